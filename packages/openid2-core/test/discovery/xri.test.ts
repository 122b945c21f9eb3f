import type { TestServer } from 'openid-test-helpers';
import { discover } from '../../src/discovery/discover.js';
import { verifiedCanonicalId, xriProxyUrl, xriRootAuthority } from '../../src/discovery/xri.js';
import { parseXRDS } from '../../src/discovery/xrds.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { DiscoveryError, OpenIDConfigError } from '../../src/errors.js';
import { XRDS_TYPE, fixture, multiXrds, signon2, xrds } from './fixtures/documents.js';
import { send, startFixtureServer } from './fixtures/server.js';

const I_NUMBER = '=!4C72.6C81.D78F.90B2!1A2B';

let server: TestServer;
beforeAll(async () => {
  server = await startFixtureServer((url) => ({
    '/xri/=example*alice': send(XRDS_TYPE, fixture('xri-proxy.xrds', { base: url, canonical: I_NUMBER })),
    '/xri/=example*mallory': send(XRDS_TYPE, fixture('xri-proxy.xrds', { base: url, canonical: '=!FFFF!1' })),
    '/xri/=gone': send(XRDS_TYPE, multiXrds('<Status code="222">Authority not found</Status>')),
    '/xri/@example': send(XRDS_TYPE, xrds(signon2(`${url}/op`)).replace('<XRD>', '<XRD><CanonicalID>@!1</CanonicalID>')),
  }));
});
afterAll(() => server.close());

const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 });
const proxy = () => `${server.url}/xri/`;

async function discoveryFailure(promise: Promise<unknown>): Promise<DiscoveryError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DiscoveryError);
  return error as DiscoveryError;
}

describe('XRI discovery (§7.3.2.3)', () => {
  test('without a proxy resolver, XRIs are refused with a clear error and no request', async () => {
    const before = server.requests.length;
    const error = await discoveryFailure(discover('=example', { fetcher }));
    expect(error.message).toMatch(/XRI resolution needs a proxy resolver, which is not configured \(option xriProxy\)/);
    expect(error.identifier).toBe('=example');
    expect(server.requests.length).toBe(before);
  });

  test('through a proxy resolver the verified CanonicalID is the claimed identifier, the i-name is displayed', async () => {
    const result = await discover('xri://=example*alice', { fetcher, xriProxy: proxy() });
    expect([result.normalizedInput, result.claimedId, result.finalUrl]).toEqual(['=example*alice', I_NUMBER, undefined]);
    expect(result.endpoints.map((e) => [e.opEndpoint, e.claimedId, e.displayIdentifier, e.usedYadis])).toEqual([[`${server.url}/op`, I_NUMBER, '=example*alice', true]]);
    expect(server.requests.at(-1)).toBe('/xri/=example*alice?_xrd_r=application%2Fxrds%2Bxml%3Bsep%3Dfalse');
  });

  test('a CanonicalID that is not a child of the previous XRD\'s is refused', async () => {
    expect((await discoveryFailure(discover('=example*mallory', { fetcher, xriProxy: proxy() }))).message).toMatch(/cannot come from =!4C72/);
  });

  test('a resolution status other than 100 is a DiscoveryError', async () => {
    expect((await discoveryFailure(discover('=gone', { fetcher, xriProxy: proxy() }))).message).toMatch(/status 222/);
  });

  test('a proxy that is not an http(s) URL is a configuration error', async () => {
    await expect(discover('@example', { fetcher, xriProxy: 'ftp://xri.example/' })).rejects.toThrow(OpenIDConfigError);
  });
});

describe('XRI helpers', () => {
  test.each([
    ['=example', '='], ['@example*foo', '@'], ['+tag', '+'], ['$dns*example.com', '$'], ['=!1234.5678', '='],
    ['(http://example.com/)*foo', '(http://example.com/)'], ['example*foo', 'example'], ['=example/path', '='],
  ])('the root authority of %s is %s', (xri, root) => {
    expect(xriRootAuthority(xri)).toBe(root);
  });

  test.each([
    ['=example', ['=!1'], '=!1'],
    ['=example*alice', ['=!1', '=!1!2'], '=!1!2'],
    ['=Example*Alice', ['=!AB', '=!ab!CD'], '=!ab!CD'],
  ])('%s resolved through %j has the CanonicalID %s', (xri, chain, canonical) => {
    const parsed = parseXRDS(multiXrds(...chain.map((id) => `<CanonicalID>${id}</CanonicalID>`)));
    expect(verifiedCanonicalId(xri, parsed)).toBe(canonical);
  });

  test.each([
    ['another root authority', '=example', ['@!1']],
    ['a root authority claimed directly', '=example', ['=']],
    ['a chain that skips a level', '=example*alice', ['=!1', '=!2!3']],
    ['a missing link', '=example*alice', [undefined, '=!1!2']],
    ['no CanonicalID', '=example', [undefined]],
  ])('%s is refused', (_name, xri, chain) => {
    const parsed = parseXRDS(multiXrds(...chain.map((id) => (id === undefined ? '' : `<CanonicalID>${id}</CanonicalID>`))));
    expect(() => verifiedCanonicalId(xri, parsed)).toThrow(DiscoveryError);
  });

  test('proxy URLs keep XRI delimiters and escape the rest', () => {
    expect(xriProxyUrl('https://xri.net', '=example*alice')).toBe('https://xri.net/=example*alice?_xrd_r=application%2Fxrds%2Bxml%3Bsep%3Dfalse');
    expect(xriProxyUrl('https://xri.net/', '@a b?c#d')).toBe('https://xri.net/@a%20b%3Fc%23d?_xrd_r=application%2Fxrds%2Bxml%3Bsep%3Dfalse');
  });
});
