/**
 * 22.3: the Redis store on a real Redis Cluster (three masters started by
 * the test, stopped by PID afterwards): the conformance suite, hash tags
 * that keep every script and transaction in one slot, and a node restart in
 * the middle of logins.
 */
import { Cluster } from 'ioredis';
import { Association, StoreError } from 'openid2-core';
import { describeWith, redisClusterAvailability, runStoreConformance, startRedisCluster, uniquePrefix, type RedisCluster } from 'openid-test-helpers';
import { RedisStore } from '../src/index.js';

let cluster: RedisCluster;
let client: Cluster;
const prefixes = new WeakMap<object, string>();

function clusterClient(): Cluster {
  const made = new Cluster(cluster.nodes, {
    redisOptions: { connectTimeout: 1000, commandTimeout: 2000, maxRetriesPerRequest: 1 },
    clusterRetryStrategy: (times) => Math.min(100 * times, 1000),
    slotsRefreshTimeout: 1000,
  });
  made.on('error', () => undefined);
  return made;
}

/** Deletes every key under a prefix, on every master. */
async function deleteKeys(prefix: string): Promise<void> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  for (const node of client.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
      cursor = next;
      for (const key of keys) await node.del(key);
    } while (cursor !== '0');
  }
}

describeWith('Redis Cluster (3 local masters)', await redisClusterAvailability(), () => {
  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = clusterClient();
  }, 90_000);
  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  runStoreConformance('22.3: RedisStore on a cluster', {
    expiresNoncesItself: true,
    create: async (options) => {
      const keyPrefix = uniquePrefix('openid-cluster');
      const store = new RedisStore({ client, keyPrefix, ...options });
      prefixes.set(store, keyPrefix);
      return store;
    },
    destroy: (store) => deleteKeys(prefixes.get(store) as string),
    // Another instance, in this process or another, makes its own Cluster client from the node list.
    shared: (store) => ({ module: 'openid-store-redis', exportName: 'RedisStore', options: { clusterNodes: cluster.nodes, keyPrefix: prefixes.get(store) } }),
    unreachable: () => new RedisStore({ clusterNodes: [{ host: '127.0.0.1', port: 1 }], timeoutMs: 1000 }),
  });

  test('22.3: the keys of one server share a slot, and servers spread over the masters', async () => {
    const keyPrefix = uniquePrefix('openid-slots');
    const store = new RedisStore({ client, keyPrefix });
    try {
      const servers = Array.from({ length: 24 }, (_, i) => `https://op${i}.example/openid`);
      for (const server of servers) {
        await store.storeAssociation(server, new Association({ handle: `h-${server}`, secret: Buffer.alloc(20, 1), issued: Math.floor(Date.now() / 1000), lifetime: 600, assocType: 'HMAC-SHA1' }));
        expect(await store.useNonce(server, Math.floor(Date.now() / 1000), 'salt')).toBe(true);
      }
      const perMaster: number[] = [];
      for (const node of client.nodes('master')) {
        const [, keys] = await node.scan('0', 'MATCH', `${keyPrefix}*`, 'COUNT', 10_000);
        perMaster.push(keys.length);
        for (const key of keys) {
          // Each key's slot is this node's, and an association's key and its list share it.
          const tag = /\{[^}]*\}/.exec(key)?.[0] as string;
          expect(await node.cluster('KEYSLOT', key)).toBe(await node.cluster('KEYSLOT', `x${tag}`));
        }
      }
      expect(perMaster.filter((count) => count > 0).length).toBeGreaterThanOrEqual(2);
      expect(perMaster.reduce((a, b) => a + b, 0)).toBe(24 * 3);
      for (const server of servers) expect((await store.getAssociation(server))?.handle).toBe(`h-${server}`);
      expect((await store.cleanup()).associations).toBe(0);
    } finally {
      await deleteKeys(keyPrefix);
    }
  });

  test('22.3: a node restart during logins: only typed StoreErrors, no nonce accepted twice, nothing acknowledged lost', async () => {
    const keyPrefix = uniquePrefix('openid-restart');
    const store = new RedisStore({ client, keyPrefix });
    const servers = Array.from({ length: 30 }, (_, i) => `https://op${i}.example/openid`);
    const accepted = new Map<string, number>();
    const stored: Array<{ server: string; handle: string }> = [];
    const errors: unknown[] = [];
    let attempts = 0;
    let running = true;
    const now = (): number => Math.floor(Date.now() / 1000);
    try {
      // Six logins at a time, spread over the servers (so over the three masters), until the restart is over.
      const worker = async (offset: number): Promise<void> => {
        for (let i = offset; running || i < 60; i += 6) {
          const server = servers[i % servers.length] as string;
          const salt = `login-${i}`;
          const timestamp = now();
          const key = `${server} ${timestamp} ${salt}`;
          attempts += 1;
          await store
            .useNonce(server, timestamp, salt)
            .then((fresh) => {
              if (fresh) accepted.set(key, (accepted.get(key) ?? 0) + 1);
            })
            .catch((error: unknown) => errors.push(error));
          const handle = `h-${i}`;
          await store
            .storeAssociation(server, new Association({ handle, secret: Buffer.alloc(20, 2), issued: now(), lifetime: 600, assocType: 'HMAC-SHA1' }))
            .then(() => stored.push({ server, handle }))
            .catch((error: unknown) => errors.push(error));
        }
      };
      const logins = Promise.all([0, 1, 2, 3, 4, 5].map(worker));
      await new Promise((resolve) => setTimeout(resolve, 200));
      await cluster.restart(1);
      running = false;
      await logins;

      expect(attempts).toBeGreaterThanOrEqual(60);
      for (const error of errors) expect(error).toBeInstanceOf(StoreError);
      // Every acknowledged nonce is still known: used again, it is refused.
      for (const key of accepted.keys()) {
        const [server, timestamp, salt] = key.split(' ') as [string, string, string];
        expect(accepted.get(key)).toBe(1);
        expect(await store.useNonce(server, Number(timestamp), salt)).toBe(false);
      }
      // Every acknowledged association is still there.
      for (const { server, handle } of stored) expect((await store.getAssociation(server, handle))?.handle).toBe(handle);
    } finally {
      running = false;
      await deleteKeys(keyPrefix);
    }
  }, 120_000);
});
