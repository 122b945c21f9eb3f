// Store operations per second, for every store whose server is reachable:
// useNonce (a fresh nonce each time: one insert) and getAssociation (the
// newest of five associations of a server), with 1 and 16 concurrent callers.
// Runs against the built packages: `npm run build` first (`npm run bench` does).
// BENCH_STORE_MS sets the measuring time per cell (default 1500 ms).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Association, MemoryStore, FileStore } from '../packages/openid2-core/dist/index.js';
import { SqliteStore } from '../packages/openid-store-sql/dist/sqlite.js';
import { PostgresStore } from '../packages/openid-store-sql/dist/postgres.js';
import { MysqlStore } from '../packages/openid-store-sql/dist/mysql.js';
import { RedisStore } from '../packages/openid-store-redis/dist/index.js';
import { deleteRedisKeys, reachable, REDIS_URL } from './lib/services.mjs';

const POSTGRES_URL = process.env.OPENID_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.OPENID_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const DURATION_MS = Number(process.env.BENCH_STORE_MS ?? 1500);
const WARMUP_MS = 200;
const SERVER = 'https://op.example/openid';


/** Operations per second of `operation` with `concurrency` callers, after a warm-up. */
async function rate(concurrency, operation) {
  const runFor = async (ms) => {
    let ops = 0;
    const stop = performance.now() + ms;
    const caller = async () => {
      while (performance.now() < stop) {
        await operation();
        ops += 1;
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: concurrency }, caller));
    return (ops * 1000) / (performance.now() - start);
  };
  await runFor(WARMUP_MS);
  return runFor(DURATION_MS);
}


const prefix = `bench_${process.pid}_`;
const dir = await mkdtemp(join(tmpdir(), 'openid-bench-'));
const targets = [
  { name: 'memory', open: async () => new MemoryStore() },
  { name: 'file', open: async () => new FileStore({ directory: join(dir, 'file') }) },
  { name: 'sqlite', open: async () => new SqliteStore({ filename: join(dir, 'bench.db'), tablePrefix: prefix }) },
  { name: 'postgres', url: [POSTGRES_URL, 5432], open: async () => new PostgresStore({ url: POSTGRES_URL, tablePrefix: prefix }) },
  { name: 'mysql', url: [MYSQL_URL, 3306], open: async () => new MysqlStore({ url: MYSQL_URL, tablePrefix: prefix }) },
  {
    name: 'redis',
    url: [REDIS_URL, 6379],
    open: async () => new RedisStore({ url: REDIS_URL, keyPrefix: `openid-${prefix}` }),
    clean: () => deleteRedisKeys(`openid-${prefix}`),
  },
];

async function measureStore(store) {
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 5; i += 1) {
    const association = new Association({ handle: `h${i}`, secret: Buffer.alloc(32, i), issued: now - i, lifetime: 3600, assocType: 'HMAC-SHA256' });
    await store.storeAssociation(SERVER, association);
  }
  let counter = 0;
  const row = {};
  for (const concurrency of [1, 16]) {
    row[`useNonce c=${concurrency}`] = await rate(concurrency, () => store.useNonce(SERVER, Math.floor(Date.now() / 1000), `s${(counter += 1)}`));
    row[`getAssociation c=${concurrency}`] = await rate(concurrency, async () => {
      if ((await store.getAssociation(SERVER)) === undefined) throw new Error('no association found');
    });
  }
  return row;
}

const rows = [];
for (const target of targets) {
  if (target.url !== undefined && !(await reachable(...target.url))) {
    console.log(`${target.name}: server unreachable at ${target.url[0]}, skipped`);
    continue;
  }
  const store = await target.open();
  try {
    rows.push({ store: target.name, ...(await measureStore(store)) });
  } catch (error) {
    console.log(`${target.name}: failed: ${error.message}`);
  } finally {
    if (typeof store.dropTables === 'function') await store.dropTables().catch(() => undefined);
    await store.close();
    await target.clean?.();
  }
}
await rm(dir, { recursive: true, force: true });

const columns = ['useNonce c=1', 'useNonce c=16', 'getAssociation c=1', 'getAssociation c=16'];
console.log(`\n${'store'.padEnd(10)}${columns.map((c) => c.padStart(20)).join('')}   (operations per second)`);
for (const row of rows) {
  console.log(`${row.store.padEnd(10)}${columns.map((c) => Math.round(row[c]).toLocaleString('en-US').padStart(20)).join('')}`);
}
