/**
 * What the MySQL/MariaDB and PostgreSQL store tests share: the conformance
 * run (own tables per store, an unreachable server, a server cut off through
 * a proxy) and the test of a pool the application owns. Each test file gives
 * its store class, server URL and how its driver reads the nonce table.
 */
import { runStoreConformance, startTcpProxy, uniquePrefix, urlWithPort } from 'openid-test-helpers';
import type { SqlStore, SqlStoreOptions } from '../src/sql-store.js';

/** Nothing listens on port 1 of 127.0.0.1: connections are refused at once. */
const CLOSED_PORT = 1;

/** One database server and its store class. */
export interface ServerStoreTarget<Pool> {
  /** The store class's name, as the suite titles and a child process imports it. */
  exportName: string;
  /** The subpath module a child process imports the store from (`openid-store-sql/mysql`). */
  module: string;
  /** The test server's connection URL. */
  url: string;
  /** The server's port when the URL names none. */
  defaultPort: number;
  /** A store with these options (`url` or `pool`, table prefix, timeouts, time options). */
  create(options: SqlStoreOptions & { url?: string; pool?: Pool; timeoutMs?: number }): SqlStore;
  /** A pool of the application's own, on the test server. */
  openPool(): Promise<Pool>;
  /** The salts in the nonce table, each as `{ salt }`, read through the pool. */
  salts(pool: Pool, tablePrefix: string): Promise<unknown>;
  /** Runs a statement through the pool. */
  query(pool: Pool, sql: string): Promise<unknown>;
  /** Ends the pool. */
  endPool(pool: Pool): Promise<void>;
}

async function dropTables<Pool>(target: ServerStoreTarget<Pool>, tablePrefix: string): Promise<void> {
  const store = target.create({ url: target.url, tablePrefix });
  try {
    await store.dropTables();
  } finally {
    await store.close();
  }
}

/** Registers the conformance tests and the application-pool test of one server store. */
export function runServerStoreTests<Pool>(target: ServerStoreTarget<Pool>): void {
  const prefixes = new WeakMap<object, string>();
  runStoreConformance(target.exportName, {
    create: async (options) => {
      const tablePrefix = uniquePrefix('t');
      const store = target.create({ url: target.url, tablePrefix, sweepSeconds: false, ...options });
      prefixes.set(store, tablePrefix);
      return store;
    },
    destroy: (store) => (store as SqlStore).dropTables(),
    shared: (store) => ({ module: target.module, exportName: target.exportName, options: { url: target.url, tablePrefix: prefixes.get(store) } }),
    unreachable: () => target.create({ url: urlWithPort(target.url, CLOSED_PORT), timeoutMs: 1000 }),
    severable: async () => {
      const server = new URL(target.url);
      const proxy = await startTcpProxy(server.hostname, Number(server.port || target.defaultPort));
      const tablePrefix = uniquePrefix('cut');
      const store = target.create({ url: urlWithPort(target.url, proxy.port), tablePrefix, timeoutMs: 1000 });
      return { store, cut: () => proxy.kill(), destroy: () => dropTables(target, tablePrefix) };
    },
  });

  describe(`${target.exportName} with a pool of the application`, () => {
    test('uses the pool and leaves it open on close', async () => {
      const pool = await target.openPool();
      const tablePrefix = uniquePrefix('pool');
      const store = target.create({ pool, tablePrefix });
      try {
        expect(await store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'pooled')).toBe(true);
        await store.close();
        expect(await target.salts(pool, tablePrefix)).toEqual([{ salt: 'pooled' }]);
      } finally {
        await target.query(pool, `DROP TABLE IF EXISTS ${tablePrefix}nonces, ${tablePrefix}associations`);
        await target.endPool(pool);
      }
    });
  });
}
