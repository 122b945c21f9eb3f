// Store operations per second: useNonce (always a fresh nonce) and
// getAssociation (newest for a server), with 1 and 16 concurrent callers,
// for every store whose server is reachable.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:net';
import { Association, MemoryStore, FileStore } from '../packages/openid-core/dist/index.js';
import { SqliteStore, PostgresStore, MysqlStore } from '../packages/openid-store-sql/dist/index.js';
import { RedisStore } from '../packages/openid-store-redis/dist/index.js';

const POSTGRES_URL = process.env.OPENID_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MYSQL_URL = process.env.OPENID_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
const REDIS_URL = process.env.OPENID_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';
const DURATION_MS = Number(process.env.BENCH_STORE_MS ?? 1500);

function reachable(url, port) {
  const { hostname, port: p } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(p || port) });
    socket.setTimeout(1000, () => { socket.destroy(); resolve(false); });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function rate(concurrency, operation) {
  let ops = 0;
  const stop = Date.now() + DURATION_MS;
  const worker = async () => {
    while (Date.now() < stop) {
      await operation();
      ops += 1;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (ops * 1000) / (performance.now() - start);
}

const prefix = `bench_${process.pid}_`;
const dir = await mkdtemp(join(tmpdir(), 'openid-bench-'));
const targets = [
  ['memory', async () => new MemoryStore()],
  ['file', async () => new FileStore({ directory: join(dir, 'file') })],
  ['sqlite', async () => new SqliteStore({ filename: join(dir, 'bench.db'), tablePrefix: prefix })],
  ['postgres', async () => ((await reachable(POSTGRES_URL, 5432)) ? new PostgresStore({ url: POSTGRES_URL, tablePrefix: prefix }) : undefined)],
  ['mysql', async () => ((await reachable(MYSQL_URL, 3306)) ? new MysqlStore({ url: MYSQL_URL, tablePrefix: prefix }) : undefined)],
  ['redis', async () => ((await reachable(REDIS_URL, 6379)) ? new RedisStore({ url: REDIS_URL, keyPrefix: `openid-${prefix}` }) : undefined)],
];

const rows = [];
let counter = 0;
for (const [name, make] of targets) {
  const store = await make();
  if (store === undefined) {
    console.log(`${name}: server unreachable, skipped`);
    continue;
  }
  const server = 'https://op.example/openid';
  const now = Math.floor(Date.now() / 1000);
  for (let i = 0; i < 5; i += 1) {
    await store.storeAssociation(server, new Association({ handle: `h${i}`, secret: Buffer.alloc(32, i), issued: now - i, lifetime: 3600, assocType: 'HMAC-SHA256' }));
  }
  const row = { store: name };
  for (const concurrency of [1, 16]) {
    row[`useNonce c=${concurrency}`] = await rate(concurrency, () => store.useNonce(server, Math.floor(Date.now() / 1000), `s${(counter += 1)}`));
    row[`getAssociation c=${concurrency}`] = await rate(concurrency, () => store.getAssociation(server));
  }
  rows.push(row);
  if (typeof store.dropTables === 'function') await store.dropTables();
  await store.close();
}
await rm(dir, { recursive: true, force: true });

const columns = ['useNonce c=1', 'useNonce c=16', 'getAssociation c=1', 'getAssociation c=16'];
console.log(`${'store'.padEnd(10)}${columns.map((c) => c.padStart(20)).join('')}   (operations per second)`);
for (const row of rows) {
  console.log(`${row.store.padEnd(10)}${columns.map((c) => Math.round(row[c]).toLocaleString('en-US').padStart(20)).join('')}`);
}
