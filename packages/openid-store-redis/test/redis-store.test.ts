import { Redis } from 'ioredis';
import { OpenIDConfigError, Association } from 'openid2-core';
import { describeWith, redisAvailability, REDIS_URL, runStoreConformance, startTcpProxy, uniquePrefix, urlWithPort } from 'openid-test-helpers';
import { RedisStore } from '../src/index.js';

const prefixes = new WeakMap<object, string>();
/** Nothing listens on port 1 of 127.0.0.1: connections are refused at once. */
const CLOSED_PORT = 1;

async function withClient<T>(work: (client: Redis) => Promise<T>): Promise<T> {
  const client = new Redis(REDIS_URL);
  try {
    return await work(client);
  } finally {
    client.disconnect();
  }
}

/** Every key under a prefix, over all SCAN pages (the server is shared: one page may hold none of ours). */
function keysUnder(client: Redis, prefix: string): Promise<string[]> {
  const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
  const found: string[] = [];
  const page = async (cursor: string): Promise<string[]> => {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    found.push(...keys);
    return next === '0' ? found : page(next);
  };
  return page('0');
}

/** Deletes every key under a prefix (SCAN, not KEYS: never blocks the server for long). */
function deleteKeys(prefix: string): Promise<void> {
  return withClient(async (client) => {
    const keys = await keysUnder(client, prefix);
    if (keys.length > 0) await client.del(...keys);
  });
}

describeWith('Redis', await redisAvailability(), () => {
  runStoreConformance('RedisStore', {
    expiresNoncesItself: true,
    create: async (options) => {
      const keyPrefix = uniquePrefix('openid-test');
      const store = new RedisStore({ url: REDIS_URL, keyPrefix, ...options });
      prefixes.set(store, keyPrefix);
      return store;
    },
    destroy: (store) => deleteKeys(prefixes.get(store) as string),
    shared: (store) => ({ module: 'openid-store-redis', exportName: 'RedisStore', options: { url: REDIS_URL, keyPrefix: prefixes.get(store) } }),
    unreachable: () => new RedisStore({ url: urlWithPort(REDIS_URL, CLOSED_PORT), timeoutMs: 1000 }),
    severable: async () => {
      const target = new URL(REDIS_URL);
      const proxy = await startTcpProxy(target.hostname, Number(target.port || 6379));
      const keyPrefix = uniquePrefix('openid-cut');
      const store = new RedisStore({ url: urlWithPort(REDIS_URL, proxy.port), keyPrefix, timeoutMs: 1000 });
      return { store, cut: () => proxy.kill(), destroy: () => deleteKeys(keyPrefix) };
    },
  });

  describe('RedisStore keys', () => {
    let keyPrefix: string;
    let store: RedisStore;
    beforeEach(() => {
      keyPrefix = uniquePrefix('openid-keys');
      store = new RedisStore({ url: REDIS_URL, keyPrefix });
    });
    afterEach(async () => {
      await store.close();
      await deleteKeys(keyPrefix);
    });

    test('a nonce key expires once its timestamp leaves the skew window', async () => {
      const now = Math.floor(Date.now() / 1000);
      expect(await store.useNonce('https://op.example/', now - 600, 'ttl')).toBe(true);
      const ttl = await withClient(async (client) => {
        const [key] = await keysUnder(client, keyPrefix);
        return client.ttl(key as string);
      });
      // 30 min skew (the default), 10 min already gone, 60 s margin.
      expect(ttl).toBeGreaterThan(20 * 60);
      expect(ttl).toBeLessThanOrEqual(20 * 60 + 60);
    });

    test("an association's keys expire with the longest-lived association of the server", async () => {
      const now = Math.floor(Date.now() / 1000);
      const make = (handle: string, lifetime: number): Association =>
        new Association({ handle, secret: Buffer.alloc(32, 7), issued: now, lifetime, assocType: 'HMAC-SHA256' });
      await store.storeAssociation('https://op.example/', make('long', 7200));
      await store.storeAssociation('https://op.example/', make('short', 60));
      const ttls = await withClient(async (client) => {
        const keys = await keysUnder(client, keyPrefix);
        return Object.fromEntries(await Promise.all(keys.map(async (key) => [key.replace(/^.*\}:/, ''), await client.ttl(key)] as const)));
      });
      expect(ttls['a:short']).toBeLessThanOrEqual(60);
      expect(ttls['a:long']).toBeGreaterThan(7000);
      expect(ttls.handles).toBeGreaterThan(7000);
    });
  });
});

describe('RedisStore options', () => {
  test.each([
    ['neither url nor client', {}],
    ['both url and client', { url: REDIS_URL, client: {} as never }],
    ['a key prefix that is not a string', { url: REDIS_URL, keyPrefix: 5 as unknown as string }],
    ['22.3: both url and clusterNodes', { url: REDIS_URL, clusterNodes: [{ host: '127.0.0.1', port: 7000 }] }],
    ['22.3: an empty clusterNodes list', { clusterNodes: [] }],
    ['17.10: a cap of 0', { url: REDIS_URL, maxAssociationsPerServer: 0 }],
  ])('refuses %s when created', (_, options) => {
    expect(() => new RedisStore(options)).toThrow(OpenIDConfigError);
  });
});
