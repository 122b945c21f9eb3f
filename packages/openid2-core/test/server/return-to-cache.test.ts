/** Relying party discovery results kept by realm: one fetch per realm and lifetime, failures kept briefly. */
import { ReturnToCache } from '../../src/server/return-to-cache.js';
import { OpenIDConfigError } from '../../src/errors.js';

function counter(answer: (realm: string) => Promise<string[]>) {
  const calls: string[] = [];
  return { calls, load: (realm: string) => (calls.push(realm), answer(realm)) };
}

describe('ReturnToCache', () => {
  test('a realm is fetched once while fresh, and again after its lifetime', async () => {
    let now = 0;
    const cache = new ReturnToCache({ ttlMs: 1000 }, () => now);
    const source = counter(async (realm) => [`${realm}return`]);
    expect(await cache.get('https://rp.example/', source.load)).toEqual(['https://rp.example/return']);
    expect(await cache.get('https://rp.example/', source.load)).toEqual(['https://rp.example/return']);
    expect(source.calls).toHaveLength(1);
    now = 1001;
    await cache.get('https://rp.example/', source.load);
    expect(source.calls).toHaveLength(2);
  });

  test('concurrent requests for one realm share one fetch', async () => {
    const cache = new ReturnToCache({}, () => 0);
    let release!: (value: string[]) => void;
    const source = counter(() => new Promise((resolve) => (release = resolve)));
    const pending = [cache.get('https://rp.example/', source.load), cache.get('https://rp.example/', source.load)];
    release(['https://rp.example/return']);
    expect(await Promise.all(pending)).toEqual([['https://rp.example/return'], ['https://rp.example/return']]);
    expect(source.calls).toHaveLength(1);
  });

  test('a failure is kept for the shorter failure lifetime only', async () => {
    let now = 0;
    const cache = new ReturnToCache({ ttlMs: 60_000, failureTtlMs: 100 }, () => now);
    const source = counter(async () => {
      throw new Error('unreachable');
    });
    await expect(cache.get('https://down.example/', source.load)).rejects.toThrow('unreachable');
    await expect(cache.get('https://down.example/', source.load)).rejects.toThrow('unreachable');
    expect(source.calls).toHaveLength(1);
    now = 101;
    await expect(cache.get('https://down.example/', source.load)).rejects.toThrow('unreachable');
    expect(source.calls).toHaveLength(2);
  });

  test('bounded: the least recently used realm goes first', async () => {
    const cache = new ReturnToCache({ maxEntries: 2 }, () => 0);
    const source = counter(async (realm) => [realm]);
    await cache.get('https://a.example/', source.load);
    await cache.get('https://b.example/', source.load);
    await cache.get('https://a.example/', source.load);
    await cache.get('https://c.example/', source.load);
    expect(cache.size).toBe(2);
    await cache.get('https://a.example/', source.load);
    await cache.get('https://b.example/', source.load);
    expect(source.calls).toEqual(['https://a.example/', 'https://b.example/', 'https://c.example/', 'https://b.example/']);
  });

  test('bad options are refused', () => {
    expect(() => new ReturnToCache({ maxEntries: 0 }, Date.now)).toThrow(OpenIDConfigError);
    expect(() => new ReturnToCache({ ttlMs: -1 }, Date.now)).toThrow(OpenIDConfigError);
    expect(() => new ReturnToCache({ failureTtlMs: Number.NaN }, Date.now)).toThrow(OpenIDConfigError);
  });
});
