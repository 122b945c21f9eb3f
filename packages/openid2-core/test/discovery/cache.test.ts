import type { TestServer } from 'openid-test-helpers';
import { MemoryDiscoveryCache } from '../../src/discovery/cache.js';
import { discover, type DiscoveryResult } from '../../src/discovery/discover.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { DiscoveryError, OpenIDConfigError } from '../../src/errors.js';
import { XRDS_TYPE, html, signon2, xrds } from './fixtures/documents.js';
import { send, startFixtureServer } from './fixtures/server.js';

const result = (id: string): DiscoveryResult => ({ normalizedInput: id, claimedId: id, finalUrl: id, endpoints: [] });

describe('MemoryDiscoveryCache', () => {
  test('entries live for their time to live, or the cache default', () => {
    let now = 1000;
    const cache = new MemoryDiscoveryCache({ ttlMs: 500, now: () => now });
    cache.set('short', result('short'), 100);
    cache.set('default', result('default'));
    now = 1100;
    expect(cache.get('short')?.claimedId).toBe('short');
    now = 1101;
    expect(cache.get('short')).toBeUndefined();
    expect(cache.get('default')?.claimedId).toBe('default');
    now = 1501;
    expect(cache.get('default')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  test('a time to live of zero stores nothing', () => {
    const cache = new MemoryDiscoveryCache();
    cache.set('x', result('x'), 0);
    expect(cache.get('x')).toBeUndefined();
  });

  test('least recently used entries are evicted beyond maxEntries', () => {
    const cache = new MemoryDiscoveryCache({ maxEntries: 2 });
    cache.set('a', result('a'));
    cache.set('b', result('b'));
    expect(cache.get('a')?.claimedId).toBe('a'); // a is now the most recently used
    cache.set('c', result('c'));
    expect([cache.get('a')?.claimedId, cache.get('b'), cache.get('c')?.claimedId]).toEqual(['a', undefined, 'c']);
    expect(cache.size).toBe(2);
  });

  test('setting a key again replaces its entry', () => {
    const cache = new MemoryDiscoveryCache();
    cache.set('a', result('first'));
    cache.set('a', result('second'));
    expect([cache.get('a')?.claimedId, cache.size]).toEqual(['second', 1]);
  });

  test.each([
    ['maxEntries', { maxEntries: 0 }], ['maxEntries', { maxEntries: 1.5 }], ['ttlMs', { ttlMs: -1 }], ['ttlMs', { ttlMs: Number.NaN }], ['now', { now: 5 as never }],
  ])('invalid %s is refused at construction', (option, options) => {
    expect(() => new MemoryDiscoveryCache(options)).toThrow(OpenIDConfigError);
    expect(() => new MemoryDiscoveryCache(options)).toThrow(new RegExp(`^${option}:`));
  });
});

describe('discovery with a cache', () => {
  let server: TestServer;
  let now = 0;
  beforeAll(async () => {
    server = await startFixtureServer((url) => ({
      '/alice': send('text/html', html('<meta http-equiv="X-XRDS-Location" content="/alice.xrds">')),
      '/alice.xrds': send(XRDS_TYPE, xrds(signon2(`${url}/op`))),
      '/nobody': send('text/html', html('')),
    }));
  });
  afterAll(() => server.close());
  const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 });

  test('a second discovery of the same identifier makes no request', async () => {
    const cache = new MemoryDiscoveryCache({ now: () => now });
    const first = await discover(`${server.url}/alice`, { fetcher, cache });
    expect(server.requests).toEqual(['/alice', '/alice.xrds']);
    // The same identifier as typed differently normalizes to the same key.
    const second = await discover(`${server.url.replace('http://', 'HTTP://')}/./alice#fragment`, { fetcher, cache });
    expect(server.requests).toHaveLength(2);
    expect(second).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.endpoints)).toBe(true);
  });

  test('an expired entry is discovered again; cacheTtlMs overrides the cache default', async () => {
    const cache = new MemoryDiscoveryCache({ now: () => now });
    server.requests.length = 0;
    await discover(`${server.url}/alice`, { fetcher, cache, cacheTtlMs: 1000 });
    now += 1001;
    await discover(`${server.url}/alice`, { fetcher, cache, cacheTtlMs: 1000 });
    expect(server.requests).toEqual(['/alice', '/alice.xrds', '/alice', '/alice.xrds']);
  });

  test('failures are not cached', async () => {
    const cache = new MemoryDiscoveryCache({ now: () => now });
    server.requests.length = 0;
    await expect(discover(`${server.url}/nobody`, { fetcher, cache })).rejects.toThrow(DiscoveryError);
    await expect(discover(`${server.url}/nobody`, { fetcher, cache })).rejects.toThrow(DiscoveryError);
    expect(server.requests).toEqual(['/nobody', '/nobody']);
    expect(cache.size).toBe(0);
  });

  test('an asynchronous, pluggable cache works the same', async () => {
    const store = new Map<string, DiscoveryResult>();
    const cache = { get: async (key: string) => store.get(key), set: async (key: string, value: DiscoveryResult) => void store.set(key, value) };
    server.requests.length = 0;
    await discover(`${server.url}/alice`, { fetcher, cache });
    await discover(`${server.url}/alice`, { fetcher, cache });
    expect([...store.keys()]).toEqual([`url:${server.url}/alice`]);
    expect(server.requests).toHaveLength(2);
  });
});
