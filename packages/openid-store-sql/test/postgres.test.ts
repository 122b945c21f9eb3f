import { describeWith, postgresAvailability, POSTGRES_URL, runStoreConformance, startTcpProxy, uniquePrefix, urlWithPort } from 'openid-test-helpers';
import { PostgresStore } from '../src/index.js';

const prefixes = new WeakMap<object, string>();

const viaPort = (port: number): string => urlWithPort(POSTGRES_URL, port);

describeWith('PostgreSQL', await postgresAvailability(), () => {
  runStoreConformance({
    name: 'PostgresStore',
    create: async (options) => {
      const tablePrefix = uniquePrefix('t');
      const store = new PostgresStore({ url: POSTGRES_URL, tablePrefix, ...options });
      prefixes.set(store, tablePrefix);
      return store;
    },
    destroy: (store) => (store as PostgresStore).dropTables(),
    crossProcess: (store) => ({ module: 'openid-store-sql', exportName: 'PostgresStore', options: { url: POSTGRES_URL, tablePrefix: prefixes.get(store) } }),
    unreachable: () => new PostgresStore({ url: viaPort(1), timeoutMs: 1000 }),
    severable: async () => {
      const target = new URL(POSTGRES_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
      const store = new PostgresStore({ url: viaPort(proxy.port), tablePrefix: uniquePrefix('cut'), timeoutMs: 1000 });
      return {
        store,
        cut: async () => {
          await proxy.kill();
        },
      };
    },
  });
});
