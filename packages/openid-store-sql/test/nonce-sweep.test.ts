/**
 * 22.4: the SQL stores delete expired nonces (and associations) themselves,
 * amortized on nonce inserts, so the tables stay at about one window of
 * logins without a cleanup job. Every dialect, against its real server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Association, OpenIDConfigError } from 'openid2-core';
import { describeWith, mysqlAvailability, MYSQL_URL, postgresAvailability, POSTGRES_URL, uniquePrefix } from 'openid-test-helpers';
import { type SqlStoreOptions } from '../src/index.js';
import { MysqlStore } from '../src/mysql.js';
import { PostgresStore } from '../src/postgres.js';
import { SqliteStore } from '../src/sqlite.js';
import type { SqlStore } from '../src/sql-store.js';

const T0 = 1_800_000_000_000;
const SKEW = 1800;
const SERVER = 'https://op.example/openid';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'openid-sweep-'));
});
afterAll(() => rm(directory, { recursive: true, force: true }));

type Open = (options: SqlStoreOptions) => SqlStore;

function sweepTests(open: Open): void {
  let now = T0;
  const stores: SqlStore[] = [];
  const make = (options: SqlStoreOptions = {}): SqlStore => {
    const store = open({ tablePrefix: uniquePrefix('sw'), now: () => now, skewSeconds: SKEW, ...options });
    stores.push(store);
    return store;
  };
  beforeEach(() => {
    now = T0;
  });
  afterEach(async () => {
    for (const store of stores.splice(0)) {
      await store.dropTables();
      await store.close();
    }
  });
  const seconds = (): number => Math.floor(now / 1000);

  test('22.4: a nonce insert after the sweep interval deletes what left the window; nothing is left for cleanup', async () => {
    const store = make({ sweepSeconds: 60 });
    expect(await store.useNonce(SERVER, seconds(), 'early')).toBe(true);
    await store.storeAssociation(SERVER, new Association({ handle: 'short', secret: Buffer.alloc(20, 1), issued: seconds(), lifetime: 100, assocType: 'HMAC-SHA1' }));
    now += (SKEW + 200) * 1000;
    expect(await store.useNonce(SERVER, seconds(), 'late')).toBe(true);
    expect(await store.cleanup()).toEqual({ associations: 0, nonces: 0 });
    // The sweep kept what is still inside the window.
    expect(await store.useNonce(SERVER, seconds(), 'late')).toBe(false);
  });

  test('22.4: within the interval no sweep runs; with sweepSeconds false none ever does', async () => {
    for (const [options, left] of [[{ sweepSeconds: 60 * 60 * 24 }, 1], [{ sweepSeconds: false }, 1]] as const) {
      now = T0;
      const store = make(options);
      expect(await store.useNonce(SERVER, seconds(), 'early')).toBe(true);
      now += (SKEW + 200) * 1000;
      expect(await store.useNonce(SERVER, seconds(), 'late')).toBe(true);
      expect((await store.cleanup()).nonces).toBe(left);
    }
  });

  test('22.4: a bad sweepSeconds is a configuration error', () => {
    for (const sweepSeconds of [0, -1, 1.5, Number.NaN]) {
      expect(() => open({ tablePrefix: 'x', sweepSeconds })).toThrow(expect.objectContaining({ option: 'sweepSeconds' }));
      expect(() => open({ tablePrefix: 'x', sweepSeconds })).toThrow(OpenIDConfigError);
    }
  });
}

describe('SqliteStore sweep', () => sweepTests((options) => new SqliteStore({ filename: join(directory, 'sweep.db'), ...options })));
describeWith('PostgreSQL', await postgresAvailability(), () => {
  describe('PostgresStore sweep', () => sweepTests((options) => new PostgresStore({ url: POSTGRES_URL, ...options })));
});
describeWith('MySQL/MariaDB', await mysqlAvailability(), () => {
  describe('MysqlStore sweep', () => sweepTests((options) => new MysqlStore({ url: MYSQL_URL, ...options })));
});
