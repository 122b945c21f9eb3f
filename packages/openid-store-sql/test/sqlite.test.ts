import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance, uniquePrefix } from 'openid-test-helpers';
import { SqliteStore } from '../src/index.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'openid-sqlite-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

const prefixes = new WeakMap<object, string>();

runStoreConformance({
  name: 'SqliteStore',
  create: async (options) => {
    const tablePrefix = uniquePrefix('t');
    const store = new SqliteStore({ filename: join(directory, 'store.db'), tablePrefix, ...options });
    prefixes.set(store, tablePrefix);
    return store;
  },
  destroy: (store) => (store as SqliteStore).dropTables(),
  crossProcess: (store) => ({
    module: 'openid-store-sql',
    exportName: 'SqliteStore',
    options: { filename: join(directory, 'store.db'), tablePrefix: prefixes.get(store) },
  }),
  unreachable: () => new SqliteStore({ filename: '/dev/null/openid/store.db' }),
});

describe('SqliteStore options', () => {
  test('refuses a table prefix that is not an identifier', () => {
    expect(() => new SqliteStore({ filename: ':memory:', tablePrefix: 'x; DROP TABLE users; --' })).toThrow(TypeError);
  });

  test('needs a filename or a database', () => {
    const store = new SqliteStore({});
    return expect(store.getAssociation('x')).rejects.toThrow(/filename or a database/);
  });
});
