import { describeWith, mysqlAvailability, MYSQL_URL, runStoreConformance, startTcpProxy, uniquePrefix, urlWithPort } from 'openid-test-helpers';
import { MysqlStore } from '../src/index.js';

const prefixes = new WeakMap<object, string>();

const viaPort = (port: number): string => urlWithPort(MYSQL_URL, port);

describeWith('MySQL/MariaDB', await mysqlAvailability(), () => {
  runStoreConformance({
    name: 'MysqlStore',
    create: async (options) => {
      const tablePrefix = uniquePrefix('t');
      const store = new MysqlStore({ url: MYSQL_URL, tablePrefix, ...options });
      prefixes.set(store, tablePrefix);
      return store;
    },
    destroy: (store) => (store as MysqlStore).dropTables(),
    crossProcess: (store) => ({ module: 'openid-store-sql', exportName: 'MysqlStore', options: { url: MYSQL_URL, tablePrefix: prefixes.get(store) } }),
    unreachable: () => new MysqlStore({ url: viaPort(1), timeoutMs: 1000 }),
    severable: async () => {
      const target = new URL(MYSQL_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 3306));
      const store = new MysqlStore({ url: viaPort(proxy.port), tablePrefix: uniquePrefix('cut'), timeoutMs: 1000 });
      return { store, cut: () => proxy.kill() };
    },
  });
});
