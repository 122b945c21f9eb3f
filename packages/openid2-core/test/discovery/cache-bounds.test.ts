/**
 * 17.3: the discovery cache is bounded by bytes, not only by entries, and
 * one result keeps little of a large document. Identifiers come from
 * unauthenticated login requests: 1,000 of them, each an XRDS document of
 * about 1 MiB of strings, must leave the cache within its bound.
 */
import type { TestServer } from 'openid-test-helpers';
import { MemoryDiscoveryCache } from '../../src/discovery/cache.js';
import { discover, type DiscoveryResult } from '../../src/discovery/discover.js';
import { DISCOVERY_LIMITS } from '../../src/discovery/limits.js';
import { OPENID_2_0_TYPE } from '../../src/constants.js';
import { OpenIDConfigError } from '../../src/errors.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { XRDS_TYPE } from './fixtures/documents.js';
import { send, startFixtureServer } from './fixtures/server.js';

const MiB = 1024 * 1024;
const IDENTIFIERS = 1000;
const LONG_TYPE = `http://types.example/${'t'.repeat(42_000)}`;

/** 13 services, each: a 42 kB type, ten 3 kB endpoint URLs and one of 1.5 kB (under the fetcher's 1 MiB cap). */
function heavyXRDS(): Buffer {
  const services = Array.from({ length: 13 }, (_, s) => {
    const long = Array.from({ length: 10 }, (_, u) => `<URI>http://op${s}-${u}.example/openid?pad=${'p'.repeat(3000)}</URI>`);
    const kept = `<URI>http://op${s}.example/openid?pad=${'k'.repeat(1500)}</URI>`;
    return `<Service priority="${s}"><Type>${OPENID_2_0_TYPE}</Type><Type>${LONG_TYPE}${s}</Type>${long.join('')}${kept}</Service>`;
  });
  return Buffer.from(`<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD>${services.join('')}</XRD></xrds:XRDS>`);
}

/** The strings an entry holds, at two bytes a character, measured here rather than taken from the cache. */
function measured(result: DiscoveryResult): number {
  const strings = [result.normalizedInput, result.claimedId, result.finalUrl];
  for (const e of result.endpoints) strings.push(e.opEndpoint, e.claimedId, e.localId, e.displayIdentifier, ...e.typeUris);
  return strings.reduce((sum, text) => sum + 2 * (text?.length ?? 0), 0);
}

let server: TestServer;
const document = heavyXRDS();
beforeAll(async () => {
  server = await startFixtureServer(() => Object.fromEntries(Array.from({ length: IDENTIFIERS }, (_, i) => [`/id/${i}`, send(XRDS_TYPE, document)])));
});
afterAll(() => server.close());
const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 10_000 });

describe('17.3: one discovery result', () => {
  test('17.3: keeps at most 10 endpoints, no over-long URL, no over-long type', async () => {
    expect(document.length).toBeGreaterThan(0.9 * MiB);
    const result = await discover(`${server.url}/id/0`, { fetcher });
    expect(result.endpoints.length).toBe(DISCOVERY_LIMITS.maxEndpoints);
    for (const endpoint of result.endpoints) {
      expect(endpoint.opEndpoint.length).toBeLessThanOrEqual(DISCOVERY_LIMITS.maxUrlLength);
      expect(endpoint.typeUris).toEqual([OPENID_2_0_TYPE]);
    }
    // The most preferred endpoints are the ones kept (priority order).
    expect(result.endpoints.map((e) => new URL(e.opEndpoint).host)).toEqual(Array.from({ length: 10 }, (_, s) => `op${s}.example`));
    expect(measured(result)).toBeLessThan(64 * 1024);
  });
});

describe('17.3: the memory cache', () => {
  test('17.3: 1,000 identifiers of ~1 MiB XRDS each leave the cache within its byte bound', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const maxBytes = 4 * MiB;
    const cache = new MemoryDiscoveryCache({ maxBytes });
    for (let start = 0; start < IDENTIFIERS; start += 8) {
      const batch = Array.from({ length: Math.min(8, IDENTIFIERS - start) }, (_, i) => discover(`${server.url}/id/${start + i}`, { fetcher, cache }));
      await Promise.all(batch);
    }
    // The cache's own accounting, and an independent measure of what it still hands out.
    expect(cache.bytes).toBeLessThanOrEqual(maxBytes);
    let held = 0;
    let entries = 0;
    for (let i = 0; i < IDENTIFIERS; i += 1) {
      const entry = cache.get(`url:${server.url}/id/${i}`);
      if (entry !== undefined) {
        held += measured(entry);
        entries += 1;
      }
    }
    expect(held).toBeLessThanOrEqual(maxBytes);
    // Still a cache: the latest identifiers are kept, and a hit makes no request.
    expect(entries).toBeGreaterThan(10);
    const requests = server.requests.length;
    await discover(`${server.url}/id/${IDENTIFIERS - 1}`, { fetcher, cache });
    expect(server.requests.length).toBe(requests);
    if (gc !== undefined) {
      // Run with --expose-gc: nothing else holds on to the documents either (unbounded, this grew by about 1 GiB).
      gc();
      expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(maxBytes + 60 * MiB);
    }
  }, 300_000);

  test('17.3: an entry larger than an eighth of the bound is not kept', () => {
    const cache = new MemoryDiscoveryCache({ maxBytes: 64 * 1024 });
    const big = `http://big.example/${'b'.repeat(8 * 1024)}`;
    cache.set('big', { normalizedInput: big, claimedId: big, finalUrl: big, endpoints: [] });
    cache.set('small', { normalizedInput: 'http://a.example/', claimedId: 'http://a.example/', finalUrl: undefined, endpoints: [] });
    expect([cache.get('big'), cache.get('small')?.claimedId, cache.size]).toEqual([undefined, 'http://a.example/', 1]);
    expect(cache.bytes).toBeGreaterThan(0);
  });

  test.each([0, -1, 1.5, Number.NaN])('17.3: maxBytes %p is refused at construction', (maxBytes) => {
    expect(() => new MemoryDiscoveryCache({ maxBytes })).toThrow(OpenIDConfigError);
    expect(() => new MemoryDiscoveryCache({ maxBytes })).toThrow(/^maxBytes:/);
  });
});
