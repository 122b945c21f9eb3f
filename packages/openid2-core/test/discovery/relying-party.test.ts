import type { TestServer } from 'openid-test-helpers';
import { discoverRelyingPartyReturnTos } from '../../src/discovery/relying-party.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { DiscoveryError, FetchError, RealmError } from '../../src/errors.js';
import { RP_RETURN_TO_TYPE } from '../../src/constants.js';
import { XRDS_TYPE, html, returnTo, service, signon2, xrds } from './fixtures/documents.js';
import { send, startFixtureServer } from './fixtures/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startFixtureServer((url) => ({
    '/rp': send(XRDS_TYPE, xrds(signon2(`${url}/op`), service([RP_RETURN_TO_TYPE], [[`${url}/rp/second`, 2], [`${url}/rp/first`, 1]]), returnTo(`${url}/rp/other`))),
    '/rp-pointer': send('text/html', html('<meta http-equiv="X-XRDS-Location" content="/rp">')),
    '/rp-broken-pointer': send('text/html', html(''), { 'x-xrds-location': '/missing' }),
    '/no-xrds': send('text/html', html('')),
    '/other-services': send(XRDS_TYPE, xrds(signon2(`${url}/op`))),
  }));
});
afterAll(() => server.close());

const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 });

describe('relying party discovery (§13)', () => {
  test('lists the published return_to URLs in priority order', async () => {
    const expected = [`${server.url}/rp/first`, `${server.url}/rp/second`, `${server.url}/rp/other`];
    expect(await discoverRelyingPartyReturnTos(`${server.url}/rp`, fetcher)).toEqual(expected);
    expect(await discoverRelyingPartyReturnTos(`${server.url}/rp-pointer`, fetcher)).toEqual(expected);
  });

  test('a wildcard realm is discovered at www. + its domain', async () => {
    const lookup = (host: string, _options: unknown, callback: (error: null, addresses: Array<{ address: string; family: number }>) => void) => {
      expect(host).toBe('www.rp.example');
      callback(null, [{ address: '127.0.0.1', family: 4 }]);
    };
    const viaName = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000, lookup });
    const returnTos = await discoverRelyingPartyReturnTos(`http://*.rp.example:${server.port}/rp`, viaName);
    expect(returnTos).toHaveLength(3);
  });

  test.each([['/no-xrds'], ['/other-services']])('a realm without return_to services (%s) publishes none', async (path) => {
    expect(await discoverRelyingPartyReturnTos(`${server.url}${path}`, fetcher)).toEqual([]);
  });

  test('failures throw: an unreachable realm, a broken XRDS pointer, a bad realm', async () => {
    const guarded = createFetcher({ timeoutMs: 2000 });
    const unreachable = await discoverRelyingPartyReturnTos(`${server.url}/rp`, guarded).catch((error: unknown) => error);
    expect(unreachable).toBeInstanceOf(DiscoveryError);
    expect((unreachable as DiscoveryError).cause).toBeInstanceOf(FetchError);
    await expect(discoverRelyingPartyReturnTos(`${server.url}/rp-broken-pointer`, fetcher)).rejects.toThrow(/HTTP 404/);
    await expect(discoverRelyingPartyReturnTos('not a realm', fetcher)).rejects.toThrow(RealmError);
  });
});
