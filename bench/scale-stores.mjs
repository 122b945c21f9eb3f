// Issue 22.5, stores: how many store operations one login costs each side
// (smart and stateless, store-backed and sealed handles), counted on real
// logins over loopback HTTP; and how many bytes one association and one
// nonce take in each shared store.
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import session from 'express-session';
import Database from 'better-sqlite3';
import { Association, Consumer, createFetcher, MemoryStore, objectSession, Server } from '../packages/openid2-core/dist/index.js';
import { openidProvider, serveIdentity } from '../packages/openid-provider-express/dist/index.js';
import { MysqlStore } from '../packages/openid-store-sql/dist/mysql.js';
import { PostgresStore } from '../packages/openid-store-sql/dist/postgres.js';
import { SqliteStore } from '../packages/openid-store-sql/dist/sqlite.js';
import { RedisStore } from '../packages/openid-store-redis/dist/index.js';
import { deleteRedisKeys, REDIS_URL } from './lib/services.mjs';

const POSTGRES_URL = process.env.OPENID_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.OPENID_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const OPERATIONS = ['storeAssociation', 'getAssociation', 'removeAssociation', 'useNonce'];
const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 5000 });

/** A memory store that counts the operations made on it. */
function counting() {
  const inner = new MemoryStore();
  const counts = Object.fromEntries(OPERATIONS.map((name) => [name, 0]));
  const store = { cleanup: () => inner.cleanup(), close: () => inner.close() };
  for (const name of OPERATIONS) {
    store[name] = (...args) => {
      counts[name] += 1;
      return inner[name](...args);
    };
  }
  return { store, take: () => Object.fromEntries(OPERATIONS.map((name) => [name, counts[name]]).concat([['total', OPERATIONS.reduce((sum, name) => sum + counts[name], 0)]])) };
}

async function startProvider(opStore, sealed) {
  const app = express();
  const http = createServer(app);
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${http.address().port}`;
  const endpoint = `${base}/openid`;
  const server = new Server({ opEndpoint: endpoint, store: opStore, fetcher, returnToCache: {}, ...(sealed ? { sealedHandles: { keys: [{ id: 'k', key: randomBytes(32) }] } } : {}) });
  app.use(session({ secret: 'bench', resave: false, saveUninitialized: false }));
  app.use('/openid', openidProvider({ server, interactionUrl: '/login', decide: async () => ({ type: 'allow' }) }));
  app.get('/user/:name', (req, res) => serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${base}/user/${req.params.name}` }));
  app.get('/rp/', (_req, res) => void res.status(404).end());
  return { base, close: () => new Promise((resolve) => { http.closeAllConnections(); http.close(resolve); }) };
}

async function login(op, rpStore, stateless) {
  const userSession = objectSession({});
  const consumer = new Consumer({ store: rpStore, stateless, fetcher });
  const auth = await consumer.begin(userSession, `${op.base}/user/alice`);
  const response = await fetch(auth.redirectUrl(`${op.base}/rp/`, `${op.base}/rp/return`), { redirect: 'manual' });
  const location = response.headers.get('location');
  const result = await consumer.complete(userSession, new URL(location).searchParams, location);
  if (result.status !== 'success') throw new Error(`login failed: ${JSON.stringify(result)}`);
}

/** Store operations per login, after one first login (which makes the association in smart mode). */
export async function operationsPerLogin(logins = 20) {
  const rows = [];
  for (const mode of ['smart', 'stateless']) {
    for (const sealed of [false, true]) {
      const rp = counting();
      const opStore = counting();
      const op = await startProvider(opStore.store, sealed);
      try {
        await login(op, rp.store, mode === 'stateless');
        const first = { rp: rp.take(), op: opStore.take() };
        for (let i = 0; i < logins; i += 1) await login(op, rp.store, mode === 'stateless');
        const after = { rp: rp.take(), op: opStore.take() };
        const per = (side) => Object.fromEntries(Object.keys(after[side]).map((name) => [name, (after[side][name] - first[side][name]) / logins]));
        rows.push({ mode, provider: sealed ? 'sealed handles' : 'store-backed', firstLogin: first, perLogin: { rp: per('rp'), op: per('op') } });
      } finally {
        await op.close();
      }
    }
  }
  return rows;
}

const association = (i, now) => new Association({ handle: `{HMAC-SHA256}{${now.toString(16)}}{${randomBytes(18).toString('base64url')}}`, secret: randomBytes(32), issued: now, lifetime: 1209600 - i, assocType: 'HMAC-SHA256' });
/** A nonce salt as our OP makes them (8 characters) and a server URL of ordinary length. */
const SERVER = 'https://op.example.com/openid/endpoint';

async function fill(store, count) {
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < count; i += 1) {
    await store.useNonce(SERVER, now, randomBytes(6).toString('base64url'));
    await store.storeAssociation(`${SERVER}/${i % 100}`, association(i, now));
  }
}

/** Bytes per nonce and per association as each shared store reports them (indexes included). */
export async function bytesPerItem({ redis, postgres, mysql }) {
  const COUNT = 10_000;
  const rows = [];
  if (redis) {
    const { Redis } = await import('ioredis');
    const keyPrefix = `bench-bytes-${process.pid}:`;
    const store = new RedisStore({ url: REDIS_URL, keyPrefix, maxAssociationsPerServer: COUNT });
    await fill(store, COUNT);
    const client = new Redis(REDIS_URL);
    const sum = async (pattern) => {
      let bytes = 0;
      let cursor = '0';
      do {
        const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) bytes += (await client.memory('USAGE', key)) ?? 0;
      } while (cursor !== '0');
      return bytes;
    };
    const nonceBytes = await sum(`${keyPrefix}{n:*`);
    const associationBytes = (await sum(`${keyPrefix}{*}:a:*`)) + (await sum(`${keyPrefix}{*}:handles`));
    rows.push({ store: 'Redis (MEMORY USAGE)', bytesPerNonce: Math.round(nonceBytes / COUNT), bytesPerAssociation: Math.round(associationBytes / COUNT) });
    client.disconnect();
    await store.close();
    await deleteRedisKeys(keyPrefix);
  }
  const sqlRow = async (label, store, measure) => {
    try {
      await fill(store, COUNT);
      const { nonces, associations } = await measure(store.tables);
      rows.push({ store: label, bytesPerNonce: Math.round(nonces / COUNT), bytesPerAssociation: Math.round(associations / COUNT) });
    } finally {
      await store.dropTables();
      await store.close();
    }
  };
  const prefix = `bench_${process.pid}_`;
  if (postgres) {
    const pg = (await import('pg')).default;
    const pool = new pg.Pool({ connectionString: POSTGRES_URL });
    await sqlRow('PostgreSQL (pg_total_relation_size)', new PostgresStore({ pool, tablePrefix: prefix, sweepSeconds: false }), async (tables) => {
      const size = async (table) => Number((await pool.query('SELECT pg_total_relation_size($1) AS n', [table])).rows[0].n);
      return { nonces: await size(tables.nonces), associations: await size(tables.associations) };
    });
    await pool.end();
  }
  if (mysql) {
    const { createPool } = await import('mysql2/promise');
    const pool = createPool(MYSQL_URL);
    await sqlRow('MariaDB/MySQL (data + index length)', new MysqlStore({ pool, tablePrefix: prefix, sweepSeconds: false }), async (tables) => {
      const size = async (table) => {
        await pool.query(`ANALYZE TABLE ${table}`);
        const [rowsFound] = await pool.query('SELECT data_length + index_length AS n FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [table]);
        return Number(rowsFound[0].n);
      };
      return { nonces: await size(tables.nonces), associations: await size(tables.associations) };
    });
    await pool.end();
  }
  const directory = await mkdtemp(join(tmpdir(), 'bench-sqlite-'));
  try {
    const database = new Database(join(directory, 'bytes.db'));
    await sqlRow('SQLite (dbstat)', new SqliteStore({ database, tablePrefix: prefix, sweepSeconds: false }), async (tables) => {
      const size = (table) => database.prepare('SELECT SUM(pgsize) AS n FROM dbstat WHERE name = ? OR name LIKE ?').get(table, `sqlite_autoindex_${table}%`).n + (database.prepare('SELECT SUM(pgsize) AS n FROM dbstat WHERE name LIKE ?').get(`${table}_%`).n ?? 0);
      return { nonces: size(tables.nonces), associations: size(tables.associations) };
    });
    database.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  return rows;
}
