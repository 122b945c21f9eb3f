// Issue 22.5, provider side: associate and stateless checkid with sealed
// handles against the store-backed path (memory and Redis stores), side by
// side in one run, per CPU-second of this process; and what 100,000
// associate requests leave in each store. The core Server is driven
// directly (no HTTP): the difference between the paths is the store work.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MemoryStore, OPENID2_NS, Server } from '../packages/openid2-core/dist/index.js';
import { RedisStore } from '../packages/openid-store-redis/dist/index.js';

import { deleteRedisKeys, REDIS_URL } from './lib/services.mjs';
const ENDPOINT = 'https://op.example/openid';
const KEYS = { keys: [{ id: 'bench', key: randomBytes(32) }] };
const ROUND_MS = Number(process.env.BENCH_SCALE_MS ?? 1500);
const ROUNDS = 3;

/** Operations per CPU-second and per wall second of `operation`, run one after another for `ms`. */
async function measure(operation, ms) {
  let ops = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < ms) {
    await operation();
    ops += 1;
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { perCpuSecond: ops / ((used.user + used.system) / 1e6), perSecond: ops / wall };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Rounds of every subject interleaved (A B C, A B C, ...), so a busy moment of the machine hits all alike. */
async function sideBySide(subjects) {
  for (const subject of subjects) await measure(subject.operation, 200);
  const samples = new Map(subjects.map((subject) => [subject.label, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const subject of subjects) samples.get(subject.label).push(await measure(subject.operation, ROUND_MS));
  }
  return subjects.map(({ label }) => {
    const runs = samples.get(label);
    return { subject: label, perCpuSecond: Math.round(median(runs.map((run) => run.perCpuSecond))), perSecond: Math.round(median(runs.map((run) => run.perSecond))) };
  });
}


/** A random DH public key below the default modulus: 128 bytes, the high bit clear (a set one would be a negative btwoc, refused since 17.8). */
function consumerPublic() {
  const bytes = randomBytes(128);
  bytes[0] &= 0x7f;
  return bytes.toString('base64');
}

const associateArgs = (sessionType) => ({ 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': sessionType, ...(sessionType === 'DH-SHA256' ? { 'openid.dh_consumer_public': consumerPublic() } : {}) });

function associate(server, args) {
  return async () => server.encodeResponse(await server.handleRequest(server.decodeRequest(args, { secure: true })));
}

const CHECKID = { 'openid.ns': OPENID2_NS, 'openid.mode': 'checkid_setup', 'openid.claimed_id': 'https://op.example/user/alice', 'openid.identity': 'https://op.example/user/alice', 'openid.return_to': 'https://rp.example/return', 'openid.realm': 'https://rp.example/' };

/** A stateless checkid answered positively, then its check_authentication: the OP's whole work for a stateless login. */
function statelessLogin(server) {
  return async () => {
    const response = await server.decodeRequest(CHECKID, { secure: true }).answer(true);
    const args = { ...response.message.toPostArgs(), 'openid.mode': 'check_authentication' };
    const answer = server.encodeResponse(await server.handleRequest(server.decodeRequest(args, { secure: true })));
    if (!answer.body.includes('is_valid:true')) throw new Error('check_authentication did not confirm');
  };
}

function statelessCheckid(server) {
  return async () => server.encodeResponse(await server.decodeRequest(CHECKID, { secure: true }).answer(true));
}

/** Redis keys under a prefix and the memory Redis reports for them. */
async function redisFootprint(prefix) {
  const client = new Redis(REDIS_URL);
  try {
    let keys = 0;
    let bytes = 0;
    let cursor = '0';
    do {
      const [next, found] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      keys += found.length;
      for (const key of found) bytes += (await client.memory('USAGE', key)) ?? 0;
    } while (cursor !== '0');
    return { keys, bytes };
  } finally {
    client.disconnect();
  }
}

/** Sends `count` associate requests (no-encryption: the DH work is not what is measured). */
async function flood(server, count) {
  const args = associateArgs('no-encryption');
  for (let i = 0; i < count; i += 1) await server.handleRequest(server.decodeRequest(args, { secure: true }));
}

function heapUsed() {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed;
}

/** Heap growth; a few kB of collector noise below zero count as nothing. */
const growth = (before) => Math.max(0, heapUsed() - before);

export async function providerFigures({ redis }) {
  const prefix = `bench-scale-${process.pid}-`;
  const stores = { memory: new MemoryStore(), redis: redis ? new RedisStore({ url: REDIS_URL, keyPrefix: `${prefix}ops:` }) : undefined };
  const servers = [
    ['store-backed, memory store', new Server({ store: stores.memory, opEndpoint: ENDPOINT })],
    ...(redis ? [['store-backed, Redis store', new Server({ store: stores.redis, opEndpoint: ENDPOINT })]] : []),
    ['sealed handles (memory store for nonces)', new Server({ store: new MemoryStore(), opEndpoint: ENDPOINT, sealedHandles: KEYS })],
    ...(redis ? [['sealed handles (Redis store for nonces)', new Server({ store: stores.redis, opEndpoint: ENDPOINT, sealedHandles: KEYS })]] : []),
  ];
  const cases = {};
  cases.associateNoEncryption = await sideBySide(servers.map(([label, server]) => ({ label, operation: associate(server, associateArgs('no-encryption')) })));
  cases.associateDH = await sideBySide(servers.map(([label, server]) => ({ label, operation: associate(server, associateArgs('DH-SHA256')) })));
  cases.statelessCheckid = await sideBySide(servers.map(([label, server]) => ({ label, operation: statelessCheckid(server) })));
  cases.statelessLogin = await sideBySide(servers.map(([label, server]) => ({ label, operation: statelessLogin(server) })));

  // What 100,000 associate requests leave behind.
  const FLOOD = 100_000;
  const size = [];
  for (const [label, options] of [['memory store, no cap (before 17.10)', { maxAssociationsPerServer: Number.MAX_SAFE_INTEGER }], ['memory store, default cap', {}]]) {
    const before = heapUsed();
    const store = new MemoryStore(options);
    await flood(new Server({ store, opEndpoint: ENDPOINT }), FLOOD);
    size.push({ subject: label, heapBytes: growth(before) });
    await store.close();
  }
  const sealedStore = new MemoryStore();
  const sealedBefore = heapUsed();
  await flood(new Server({ store: sealedStore, opEndpoint: ENDPOINT, sealedHandles: KEYS }), FLOOD);
  size.push({ subject: 'memory store, sealed handles', heapBytes: growth(sealedBefore) });
  await sealedStore.close();
  if (redis) {
    for (const [label, options] of [['Redis, no cap (before 17.10)', { maxAssociationsPerServer: Number.MAX_SAFE_INTEGER }], ['Redis, default cap', {}], ['Redis, sealed handles', 'sealed']]) {
      const keyPrefix = `${prefix}${size.length}:`;
      const store = new RedisStore({ url: REDIS_URL, keyPrefix, ...(options === 'sealed' ? {} : options) });
      await flood(new Server({ store, opEndpoint: ENDPOINT, ...(options === 'sealed' ? { sealedHandles: KEYS } : {}) }), FLOOD);
      const footprint = await redisFootprint(keyPrefix);
      size.push({ subject: label, redisKeys: footprint.keys, redisBytes: footprint.bytes });
      await store.close();
      await deleteRedisKeys(keyPrefix);
    }
    await stores.redis.close();
    await deleteRedisKeys(prefix);
  }
  return { ...cases, after100kAssociates: size };
}
