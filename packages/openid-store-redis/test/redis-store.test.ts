import { describeWith, redisAvailability, REDIS_URL, runStoreConformance, startTcpProxy, uniquePrefix, urlWithPort } from 'openid-test-helpers';
import { Redis } from 'ioredis';
import { RedisStore } from '../src/index.js';

const prefixes = new WeakMap<object, string>();

const viaPort = (port: number): string => urlWithPort(REDIS_URL, port);

async function deleteKeys(prefix: string): Promise<void> {
  const client = new Redis(REDIS_URL);
  try {
    const keys = await client.keys(`${prefix}*`);
    if (keys.length > 0) await client.del(...keys);
  } finally {
    client.disconnect();
  }
}

describeWith('Redis', await redisAvailability(), () => {
  runStoreConformance({
    name: 'RedisStore',
    expiresNoncesItself: true,
    create: async (options) => {
      const keyPrefix = uniquePrefix('openid-test');
      const store = new RedisStore({ url: REDIS_URL, keyPrefix, ...options });
      prefixes.set(store, keyPrefix);
      return store;
    },
    destroy: (store) => deleteKeys(prefixes.get(store) as string),
    crossProcess: (store) => ({ module: 'openid-store-redis', exportName: 'RedisStore', options: { url: REDIS_URL, keyPrefix: prefixes.get(store) } }),
    unreachable: () => new RedisStore({ url: viaPort(1), timeoutMs: 1000 }),
    severable: async () => {
      const target = new URL(REDIS_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      const store = new RedisStore({ url: viaPort(proxy.port), keyPrefix: uniquePrefix('openid-cut'), timeoutMs: 1000, redisOptions: { retryStrategy: () => 200 } });
      return { store, cut: () => proxy.kill() };
    },
  });

  test('nonce keys expire by themselves (a TTL is set)', async () => {
    const keyPrefix = uniquePrefix('openid-ttl');
    const store = new RedisStore({ url: REDIS_URL, keyPrefix });
    const client = new Redis(REDIS_URL);
    try {
      expect(await store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'ttl')).toBe(true);
      const [key] = await client.keys(`${keyPrefix}*`);
      expect(await client.ttl(key as string)).toBeGreaterThan(0);
    } finally {
      client.disconnect();
      await store.close();
      await deleteKeys(keyPrefix);
    }
  });
});
