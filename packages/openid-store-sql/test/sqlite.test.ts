import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { OpenIDConfigError } from 'openid2-core';
import { runStoreConformance, uniquePrefix } from 'openid-test-helpers';
import { SqliteStore } from '../src/sqlite.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'openid-sqlite-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const prefixes = new WeakMap<object, string>();

runStoreConformance('SqliteStore', {
  create: async (options) => {
    const tablePrefix = uniquePrefix('t');
    const store = new SqliteStore({ filename: join(directory, 'store.db'), tablePrefix, sweepSeconds: false, ...options });
    prefixes.set(store, tablePrefix);
    return store;
  },
  destroy: (store) => (store as SqliteStore).dropTables(),
  shared: (store) => ({
    module: 'openid-store-sql/sqlite',
    exportName: 'SqliteStore',
    options: { filename: join(directory, 'store.db'), tablePrefix: prefixes.get(store) },
  }),
  // A path through a regular file: the database cannot be opened.
  unreachable: () => new SqliteStore({ filename: '/dev/null/openid/store.db' }),
});

describe('SqliteStore options', () => {
  test.each([['x; DROP TABLE users; --'], ['1abc'], [''], ['a-b'], ['x'.repeat(41)]])('refuses the table prefix %j', (tablePrefix) => {
    expect(() => new SqliteStore({ filename: ':memory:', tablePrefix })).toThrow(OpenIDConfigError);
  });

  test.each([
    ['neither a filename nor a database', {}],
    ['both a filename and a database', { filename: ':memory:', database: {} as never }],
  ])('refuses %s when created', (_, options) => {
    expect(() => new SqliteStore(options)).toThrow(OpenIDConfigError);
  });

  test('uses a database of the application and leaves it open on close', async () => {
    const db = new Database(':memory:');
    const store = new SqliteStore({ database: db, tablePrefix: 'app_' });
    expect(await store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'mine')).toBe(true);
    await store.close();
    expect(db.open).toBe(true);
    expect(db.prepare('SELECT salt FROM app_nonces').all()).toEqual([{ salt: 'mine' }]);
    db.close();
  });
});
