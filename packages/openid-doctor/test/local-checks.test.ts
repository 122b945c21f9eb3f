/**
 * The checks that need no network: each with a broken configuration that
 * makes it fire and a good one that keeps it quiet.
 */
import { randomBytes } from 'node:crypto';
import { createFetcher, MemoryStore, StoreError, type OpenIDStore } from 'openid2-core';
import { checkArrival, checkFetcherGuard, checkHttps, checkSealingKeys, checkSessionCookie, checkStore, formatFinding, report, type Finding } from '../src/index.js';

const ids = (findings: readonly Finding[]): string[] => findings.map((item) => `${item.level} ${item.id}`);

describe('checkArrival: the URL requests arrive at, proxy headers and trust proxy', () => {
  const direct = { protocol: 'http', host: '127.0.0.1:3000', trustProxy: false };
  test.each([
    ['proxy headers, trust proxy off, URLs from requests', undefined, { ...direct, forwardedProto: 'https', forwardedHost: 'rp.example' }, ['error rp.trust_proxy_off']],
    ['proxy headers, trust proxy off, baseUrl set', 'https://rp.example/openid', { ...direct, forwardedProto: 'https' }, ['warning rp.trust_proxy_off']],
    ['trusted proxy says another host', 'https://rp.example/openid', { ...direct, trustProxy: true, forwardedProto: 'https', forwardedHost: 'old.rp.example' }, ['error rp.public_url_mismatch']],
    ['trusted proxy forwards plain http', 'https://rp.example/openid', { ...direct, trustProxy: true, forwardedProto: 'http', forwardedHost: 'rp.example' }, ['error rp.public_url_mismatch']],
    ['reached directly at another address', 'https://rp.example/openid', direct, ['warning rp.public_url_mismatch']],
    ['good: trusted proxy with the public URL', 'https://rp.example/openid', { ...direct, trustProxy: true, forwardedProto: 'https', forwardedHost: 'rp.example' }, []],
    ['good: direct at the configured URL', 'http://127.0.0.1:3000/openid', direct, []],
    ['good: no proxy, URLs from requests', undefined, direct, []],
  ])('%s', (_name, configured, arrival, expected) => {
    expect(ids(checkArrival('rp', configured, arrival))).toEqual(expected);
  });
});

describe('checkSessionCookie: SameSite and Secure against how assertions arrive', () => {
  test.each([
    ['Secure cookie on an http site', 'http://127.0.0.1:3000', { secure: true }, true, ['error rp.secure_cookie_over_http']],
    ['https site, cookie not Secure', 'https://rp.example', { sameSite: 'lax' as const }, true, ['warning rp.cookie_not_secure']],
    ['SameSite=None without Secure', 'http://127.0.0.1:3000', { sameSite: 'none' as const }, true, ['error rp.samesite_none_needs_secure']],
    ['SameSite=Strict, no resubmission', 'https://rp.example', { sameSite: 'strict' as const, secure: true }, false, ['error rp.samesite_strict']],
    ['SameSite=Strict with resubmission', 'https://rp.example', { sameSite: true, secure: true }, true, ['warning rp.samesite_strict']],
    ['SameSite=Lax, POSTed answers not resubmitted', 'https://rp.example', { secure: true }, false, ['warning rp.samesite_lax_post']],
    ['good: Lax and Secure with resubmission', 'https://rp.example', { sameSite: 'lax' as const, secure: true }, true, []],
    ['good: Lax on a loopback http site', 'http://127.0.0.1:3000', { sameSite: 'lax' as const }, true, []],
  ])('%s', (_name, url, cookie, resubmits, expected) => {
    expect(ids(checkSessionCookie(url, cookie, resubmits))).toEqual(expected);
  });
});

describe('checkStore: reachable, schema, clock', () => {
  const failing = {
    storeAssociation: () => Promise.reject(new StoreError('relation "openid_associations" does not exist')),
  } as unknown as OpenIDStore;
  test.each([
    ['a store that fails (missing schema)', failing, ['error rp.store_unreachable']],
    ['a store whose clock is six hours ahead', new MemoryStore({ now: () => Date.now() + 6 * 3600_000 }), ['error rp.store_clock_skew']],
    ['a store with a three-day nonce window', new MemoryStore({ skewSeconds: 3 * 86400 }), ['warning rp.store_window_too_wide']],
    ['good: a MemoryStore on this clock', new MemoryStore(), []],
  ])('%s', async (_name, store, expected) => {
    expect(ids(await checkStore('rp', store))).toEqual(expected);
  });

  test('a store that does not give back what it stored: rp.store_loses_associations', async () => {
    const forgetful = Object.assign(new MemoryStore(), { getAssociation: () => Promise.resolve(undefined) });
    expect(ids(await checkStore('rp', forgetful))).toEqual(['error rp.store_loses_associations']);
  });

  test('the failing store is named with its cause', async () => {
    expect((await checkStore('op', failing))[0]?.message).toMatch(/openid_associations" does not exist/);
  });
});

describe('checkFetcherGuard: private addresses on a public deployment', () => {
  test.each([
    ['allowPrivateAddresses on a public site', createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 }), 'https://rp.example/openid', ['error rp.fetcher_allows_private']],
    ['good: the default guard', createFetcher(), 'https://rp.example/openid', []],
    ['good: private addresses on a loopback development site', createFetcher({ allowPrivateAddresses: true }), 'http://127.0.0.1:3000/openid', []],
  ])('%s', async (_name, fetcher, url, expected) => {
    expect(ids(await checkFetcherGuard('rp', fetcher, url))).toEqual(expected);
  });
});

describe('checkHttps', () => {
  test.each([
    ['http on a public host', 'http://op.example/openid', ['error op.not_https']],
    ['good: https', 'https://op.example/openid', []],
    ['good: http on loopback', 'http://localhost:3000/openid', []],
  ])('%s', (_name, url, expected) => {
    expect(ids(checkHttps('op', 'endpoint', url))).toEqual(expected);
  });
});

describe('report', () => {
  const findings = [...checkHttps('op', 'endpoint', 'http://op.example/openid'), ...checkSessionCookie('https://rp.example', { secure: true }, false)];
  test('log gets every finding, onWarning the warnings; one line each', () => {
    const logged: string[] = [];
    const warned: string[] = [];
    report(findings, { log: (item) => logged.push(formatFinding(item)), onWarning: (item) => warned.push(item.id) });
    expect(logged).toEqual([expect.stringMatching(/^error {3}op\.not_https {2}endpoint http:\/\/op\.example\/openid is plain http/), expect.stringMatching(/^warning rp\.samesite_lax_post/)]);
    expect(warned).toEqual(['rp.samesite_lax_post']);
    expect(logged.every((line) => !line.includes('\n'))).toBe(true);
  });

  test('strict throws an OpenIDConfigError on errors, not on warnings', () => {
    expect(() => report(findings, { strict: true })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', option: 'doctor', message: expect.stringMatching(/op\.not_https/) }));
    expect(report(findings.slice(1), { strict: true })).toHaveLength(1);
  });
});

describe('checkSealingKeys: the provider keys for sealed association handles', () => {
  const random = (): Buffer => randomBytes(32);
  const same = random();
  test.each([
    ['a key of 16 bytes', { keys: [{ id: 'k1', key: randomBytes(16) }] }, 1, true, ['error op.sealed_keys_invalid']],
    ['an empty key list', { keys: [] }, 1, true, ['error op.sealed_keys_invalid']],
    ['one id twice', { keys: [{ id: 'k1', key: random() }, { id: 'k1', key: random() }] }, 1, true, ['error op.sealed_keys_invalid']],
    ['a key of zeros', { keys: [{ id: 'k1', key: Buffer.alloc(32) }] }, 1, true, ['error op.sealed_key_not_random']],
    ['a key from a short password, repeated', { keys: [{ id: 'k1', key: Buffer.from('secret'.repeat(6).slice(0, 32)) }] }, 1, true, ['error op.sealed_key_not_random']],
    ['one key under two ids (a rotation without a new key)', { keys: [{ id: 'new', key: same }, { id: 'old', key: same }] }, 1, true, ['warning op.sealed_key_reused']],
    ['no sealed handles, three instances, no shared store', undefined, 3, false, ['error op.instances_without_shared_associations']],
    ['good: two random keys (rotation)', { keys: [{ id: '2026-12', key: random() }, { id: '2026-06', key: random() }] }, 3, false, []],
    ['good: no sealed handles, one store for every instance', undefined, 3, true, []],
    ['good: no sealed handles, one instance', undefined, 1, false, []],
  ])('%s', (_name, sealed, instances, shared, expected) => {
    expect(ids(checkSealingKeys(sealed, instances, shared))).toEqual(expected);
  });
});
