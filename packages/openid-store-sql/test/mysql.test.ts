import { describeWith, mysqlAvailability, MYSQL_URL, runStoreConformance, startTcpProxy, uniquePrefix, urlWithPort } from 'openid-test-helpers';
import { MysqlStore } from '../src/mysql.js';

const prefixes = new WeakMap<object, string>();
/** Nothing listens on port 1 of 127.0.0.1: connections are refused at once. */
const CLOSED_PORT = 1;

async function dropTables(tablePrefix: string): Promise<void> {
  const store = new MysqlStore({ url: MYSQL_URL, tablePrefix });
  try {
    await store.dropTables();
  } finally {
    await store.close();
  }
}

describeWith('MySQL/MariaDB', await mysqlAvailability(), () => {
  runStoreConformance('MysqlStore', {
    create: async (options) => {
      const tablePrefix = uniquePrefix('t');
      const store = new MysqlStore({ url: MYSQL_URL, tablePrefix, sweepSeconds: false, ...options });
      prefixes.set(store, tablePrefix);
      return store;
    },
    destroy: (store) => (store as MysqlStore).dropTables(),
    shared: (store) => ({ module: 'openid-store-sql/mysql', exportName: 'MysqlStore', options: { url: MYSQL_URL, tablePrefix: prefixes.get(store) } }),
    unreachable: () => new MysqlStore({ url: urlWithPort(MYSQL_URL, CLOSED_PORT), timeoutMs: 1000 }),
    severable: async () => {
      const target = new URL(MYSQL_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 3306));
      const tablePrefix = uniquePrefix('cut');
      const store = new MysqlStore({ url: urlWithPort(MYSQL_URL, proxy.port), tablePrefix, timeoutMs: 1000 });
      return { store, cut: () => proxy.kill(), destroy: () => dropTables(tablePrefix) };
    },
  });

  describe('MysqlStore with a pool of the application', () => {
    test('uses the pool and leaves it open on close', async () => {
      const mysql = await import('mysql2/promise');
      const pool = mysql.createPool({ uri: MYSQL_URL });
      const tablePrefix = uniquePrefix('pool');
      const store = new MysqlStore({ pool, tablePrefix });
      try {
        expect(await store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'pooled')).toBe(true);
        await store.close();
        const [rows] = await pool.query(`SELECT CAST(salt AS CHAR) AS salt FROM ${tablePrefix}nonces`);
        expect(rows).toEqual([{ salt: 'pooled' }]);
      } finally {
        await pool.query(`DROP TABLE IF EXISTS ${tablePrefix}nonces, ${tablePrefix}associations`);
        await pool.end();
      }
    });
  });
});
