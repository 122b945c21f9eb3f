import type { TestServer } from 'openid-test-helpers';
import { verifyDiscoveredEndpoint, type AssertedInformation } from '../../src/discovery/verify-discovered.js';
import { MemoryDiscoveryCache } from '../../src/discovery/cache.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { DiscoveryError } from '../../src/errors.js';
import { OPENID_1_1_TYPE, OPENID_2_0_TYPE } from '../../src/constants.js';
import { XRDS_TYPE, html, opIdentifier, service, signon1, signon2, xrds } from './fixtures/documents.js';
import { redirect, send, startFixtureServer } from './fixtures/server.js';

let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startFixtureServer((url) => ({
    '/alice': send(XRDS_TYPE, xrds(signon2(`${url}/op`, `${url}/local/alice`), opIdentifier(`${url}/idp`))),
    '/both': send(XRDS_TYPE, xrds(service([OPENID_2_0_TYPE, OPENID_1_1_TYPE], [`${url}/op`]))),
    '/old': send('text/html', html(`<link rel="openid.server" href="${url}/op1"><link rel="openid.delegate" href="${url}/local/old">`)),
    '/v1-xrds': send(XRDS_TYPE, xrds(signon1(`${url}/op1`))),
    '/moved': redirect('/alice'),
    '/gone': (_req, res) => {
      res.writeHead(410);
      res.end();
    },
  }));
  base = server.url;
});
afterAll(() => server.close());

const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 });
const asserted = (change: Partial<AssertedInformation> = {}): AssertedInformation => ({
  claimedId: `${base}/alice#2024`,
  localId: `${base}/local/alice`,
  opEndpoint: `${base}/op`,
  version: '2.0',
  ...change,
});

describe('verifying discovered information (§11.2)', () => {
  test('a matching 2.0 assertion yields the endpoint, with the claimed identifier as asserted (fragment kept)', async () => {
    const result = await verifyDiscoveredEndpoint(asserted(), { fetcher });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect([result.endpoint.claimedId, result.endpoint.displayIdentifier, result.endpoint.getLocalId(), result.endpoint.opEndpoint]).toEqual([
      `${base}/alice#2024`, `${base}/alice`, `${base}/local/alice`, `${base}/op`,
    ]);
  });

  test('URLs are compared normalized', async () => {
    const result = await verifyDiscoveredEndpoint(asserted({ opEndpoint: `${base.replace('http', 'HTTP')}/./op`, claimedId: `${base}/%61lice` }), { fetcher });
    expect(result.ok).toBe(true);
  });

  // Rows are functions: the server's URL is only known once the tests run.
  test.each<[string, () => Partial<AssertedInformation>]>([
    ['another OP endpoint', () => ({ opEndpoint: 'http://evil.example/op' })],
    ['the OP Identifier element\'s endpoint', () => ({ opEndpoint: `${base}/idp` })],
    ['another local identifier', () => ({ localId: `${base}/local/someone-else` })],
    ['the claimed identifier as local identifier when a LocalID is published', () => ({ localId: `${base}/alice` })],
    ['another protocol version', () => ({ version: '1.1' })],
  ])('%s is a discovery_mismatch', async (_name, change) => {
    expect(await verifyDiscoveredEndpoint(asserted(change()), { fetcher })).toMatchObject({ ok: false, reason: 'discovery_mismatch' });
  });

  test('a claimed identifier that redirects elsewhere does not match (the discovered claimed identifier differs)', async () => {
    expect(await verifyDiscoveredEndpoint(asserted({ claimedId: `${base}/moved` }), { fetcher })).toMatchObject({ ok: false, reason: 'discovery_mismatch' });
  });

  test('a claimed identifier that cannot be discovered is discovery_failed, with the DiscoveryError as cause', async () => {
    const result = await verifyDiscoveredEndpoint(asserted({ claimedId: `${base}/gone` }), { fetcher });
    expect(result).toMatchObject({ ok: false, reason: 'discovery_failed' });
    if (!result.ok) expect(result.cause).toBeInstanceOf(DiscoveryError);
  });

  test('a service listing 2.0 and 1.1 matches assertions of either version', async () => {
    for (const version of ['2.0', '1.1'] as const) {
      const result = await verifyDiscoveredEndpoint(asserted({ claimedId: `${base}/both`, localId: `${base}/both`, version }), { fetcher });
      expect(result.ok).toBe(true);
    }
  });

  test.each([
    ['HTML links', '/old', '/local/old'],
    ['an XRDS', '/v1-xrds', '/v1-xrds'],
  ])('OpenID 1.x, discovered by %s: matched on the endpoint the request went to and the delegate', async (_name, path, localPath) => {
    const v1 = { claimedId: `${base}${path}`, localId: `${base}${localPath}`, opEndpoint: `${base}/op1`, version: '1.1' as const };
    expect((await verifyDiscoveredEndpoint(v1, { fetcher })).ok).toBe(true);
    expect(await verifyDiscoveredEndpoint({ ...v1, version: '2.0' }, { fetcher })).toMatchObject({ ok: false, reason: 'discovery_mismatch' });
    expect(await verifyDiscoveredEndpoint({ ...v1, localId: `${base}/local/x` }, { fetcher })).toMatchObject({ ok: false, reason: 'discovery_mismatch' });
  });

  test('with a cache, a repeated verification makes no request', async () => {
    const cache = new MemoryDiscoveryCache();
    await verifyDiscoveredEndpoint(asserted(), { fetcher, cache });
    const before = server.requests.length;
    expect((await verifyDiscoveredEndpoint(asserted(), { fetcher, cache })).ok).toBe(true);
    expect(server.requests.length).toBe(before);
  });
});
