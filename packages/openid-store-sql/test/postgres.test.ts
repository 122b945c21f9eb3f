import { describeWith, postgresAvailability, POSTGRES_URL, runStoreConformance, startTcpProxy, uniquePrefix, urlWithPort } from 'openid-test-helpers';
import { PostgresStore } from '../src/postgres.js';

const prefixes = new WeakMap<object, string>();
/** Nothing listens on port 1 of 127.0.0.1: connections are refused at once. */
const CLOSED_PORT = 1;

async function dropTables(tablePrefix: string): Promise<void> {
  const store = new PostgresStore({ url: POSTGRES_URL, tablePrefix });
  try {
    await store.dropTables();
  } finally {
    await store.close();
  }
}

describeWith('PostgreSQL', await postgresAvailability(), () => {
  runStoreConformance('PostgresStore', {
    create: async (options) => {
      const tablePrefix = uniquePrefix('t');
      const store = new PostgresStore({ url: POSTGRES_URL, tablePrefix, sweepSeconds: false, ...options });
      prefixes.set(store, tablePrefix);
      return store;
    },
    destroy: (store) => (store as PostgresStore).dropTables(),
    shared: (store) => ({ module: 'openid-store-sql/postgres', exportName: 'PostgresStore', options: { url: POSTGRES_URL, tablePrefix: prefixes.get(store) } }),
    unreachable: () => new PostgresStore({ url: urlWithPort(POSTGRES_URL, CLOSED_PORT), timeoutMs: 1000 }),
    severable: async () => {
      const target = new URL(POSTGRES_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const tablePrefix = uniquePrefix('cut');
      const store = new PostgresStore({ url: urlWithPort(POSTGRES_URL, proxy.port), tablePrefix, timeoutMs: 1000 });
      return { store, cut: () => proxy.kill(), destroy: () => dropTables(tablePrefix) };
    },
  });

  describe('PostgresStore with a pool of the application', () => {
    test('uses the pool and leaves it open on close', async () => {
      const { default: pg } = await import('pg');
      const pool = new pg.Pool({ connectionString: POSTGRES_URL });
      const tablePrefix = uniquePrefix('pool');
      const store = new PostgresStore({ pool, tablePrefix });
      try {
        expect(await store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'pooled')).toBe(true);
        await store.close();
        const { rows } = await pool.query(`SELECT salt FROM ${tablePrefix}nonces`);
        expect(rows).toEqual([{ salt: 'pooled' }]);
      } finally {
        await pool.query(`DROP TABLE IF EXISTS ${tablePrefix}nonces, ${tablePrefix}associations`);
        await pool.end();
      }
    });
  });
});
