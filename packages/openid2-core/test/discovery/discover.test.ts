import { sendLargeBody, type TestServer } from 'openid-test-helpers';
import { discover } from '../../src/discovery/discover.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { DiscoveryError, FetchError, UrlError } from '../../src/errors.js';
import { XRDS_TYPE, fixture, fixtureBytes, hostile, html, opIdentifier, returnTo, signon1, signon2, xrds } from './fixtures/documents.js';
import { negotiate, redirect, send, startFixtureServer } from './fixtures/server.js';

let server: TestServer;
let base: string;

beforeAll(async () => {
  server = await startFixtureServer((url, self) => ({
    '/xrds-direct': send(XRDS_TYPE, xrds(signon2(`${url}/op`, `${url}/local`))),
    '/xrds-textxml': send('text/xml; charset=utf-8', xrds(signon2(`${url}/op`))),
    '/negotiate': negotiate(send(XRDS_TYPE, xrds(signon2(`${url}/op`))), send('text/html', html(''))),
    '/header': send('text/html', html(''), { 'x-xrds-location': '/xrds-doc' }),
    '/meta': send('text/html', html('<meta http-equiv="X-XRDS-Location" content="/xrds-doc">')),
    '/xrds-doc': send(XRDS_TYPE, xrds(opIdentifier(`${url}/idp`), signon1(`${url}/op1`))),
    '/redirect': redirect('/final-user'),
    '/redirect-to-header': redirect('/header', 301),
    '/final-user': send('text/html', html(`<link rel="openid2.provider" href="${url}/op">`)),
    '/no-openid-xrds': negotiate(send(XRDS_TYPE, xrds(returnTo(`${url}/return`))), send('text/html', html(`<link rel="openid2.provider" href="${url}/op-html">`))),
    '/broken-pointer': send('text/html', fixture('malformed.html', { base: url })),
    '/pointer-to-laughs': send('text/html', html(`<link rel="openid2.provider" href="${url}/op-html">`), { 'x-xrds-location': '/laughs' }),
    '/pointer-to-private': send('text/html', html(''), { 'x-xrds-location': `http://127.0.0.2:${self.port}/xrds-doc` }),
    '/html-both': send('text/html', html(`<link rel="openid.server" href="${url}/op1"><link rel="openid2.provider openid2.local_id" href="${url}/op2">`)),
    '/html-relative': send('text/html', html('<link rel="openid2.provider" href="op"><link rel="openid2.local_id" href="/users/a">')),
    '/latin1': send('text/html', Buffer.from(`<html><head><meta charset="iso-8859-1"><link rel="openid.server" href="${url}/op"><link rel="openid.delegate" href="${url}/caf\xe9"></head></html>`, 'latin1')),
    '/cp1252-meta': send('text/html', fixtureBytes('windows-1252.html', { base: url })),
    '/cp1252-header': send('text/html; charset=windows-1252', fixtureBytes('windows-1252.html', { base: url })),
    '/nothing': send('text/html', html('')),
    '/gone': (_req, res) => {
      res.writeHead(404);
      res.end();
    },
    '/laughs': send(XRDS_TYPE, fixture('billion-laughs.xrds')),
    '/xxe': send(XRDS_TYPE, fixture('external-entity.xrds')),
    '/deep': send(XRDS_TYPE, hostile.deepXRDS(100_000)),
    '/huge': (_req, res) => sendLargeBody(res, 800, 'text/html'),
    '/huge-head': send('text/html', hostile.unclosedHead(300_000, '')),
    '/hang': () => undefined,
    '/loop': redirect('/loop'),
    '/to-private': redirect(`http://127.0.0.2:${self.port}/final-user`),
  }));
  base = server.url;
});
afterAll(() => server.close());

const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000, maxBytes: 1 << 20 });
/** 127.0.0.1 stands in for the public internet; anything else local is private. */
const guarded = createFetcher({ timeoutMs: 2000, addressPolicy: (address) => address === '127.0.0.1' });

async function discoveryFailure(promise: Promise<unknown>): Promise<DiscoveryError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DiscoveryError);
  return error as DiscoveryError;
}

describe('Yadis (§7.3.1)', () => {
  test('an XRDS body by content type', async () => {
    const result = await discover(`${base}/xrds-direct`, { fetcher });
    expect(result).toMatchObject({ normalizedInput: `${base}/xrds-direct`, claimedId: `${base}/xrds-direct`, finalUrl: `${base}/xrds-direct` });
    expect(result.endpoints.map((e) => [e.opEndpoint, e.claimedId, e.getLocalId(), e.usedYadis])).toEqual([[`${base}/op`, `${base}/xrds-direct`, `${base}/local`, true]]);
  });

  test('an XRDS body served as text/xml', async () => {
    expect((await discover(`${base}/xrds-textxml`, { fetcher })).endpoints[0]?.usedYadis).toBe(true);
  });

  test('content negotiation on Accept', async () => {
    expect((await discover(`${base}/negotiate`, { fetcher })).endpoints.map((e) => e.opEndpoint)).toEqual([`${base}/op`]);
  });

  test.each(['/header', '/meta'])('the X-XRDS-Location pointer (%s); the page, not the document, is the claimed identifier', async (path) => {
    const result = await discover(`${base}${path}`, { fetcher });
    expect(result.claimedId).toBe(`${base}${path}`);
    expect(result.endpoints.map((e) => [e.isOPIdentifier, e.version, e.claimedId])).toEqual([[true, '2.0', undefined], [false, '1.1', `${base}${path}`]]);
  });

  test.each([
    ['/redirect', '/final-user'],
    ['/redirect-to-header', '/header'],
  ])('the final URL after redirects is the claimed identifier (%s)', async (path, final) => {
    const result = await discover(`${base}${path}`, { fetcher });
    expect([result.normalizedInput, result.claimedId, result.finalUrl]).toEqual([`${base}${path}`, `${base}${final}`, `${base}${final}`]);
    expect(result.endpoints.filter((e) => !e.isOPIdentifier).every((e) => e.claimedId === `${base}${final}`)).toBe(true);
  });

  test('an XRDS without OpenID services falls back to HTML', async () => {
    const result = await discover(`${base}/no-openid-xrds`, { fetcher });
    expect(result.endpoints.map((e) => [e.opEndpoint, e.usedYadis])).toEqual([[`${base}/op-html`, false]]);
  });

  test('an XRDS pointer that fails (404, or a refused document) falls back to the page\'s links', async () => {
    expect((await discover(`${base}/broken-pointer`, { fetcher })).endpoints.map((e) => [e.version, e.opEndpoint])).toEqual([
      ['2.0', `${base}/op?a=1&b=2`],
      ['1.1', `${base}/op?a=1&b=2`],
    ]);
    expect((await discover(`${base}/pointer-to-laughs`, { fetcher })).endpoints.map((e) => e.opEndpoint)).toEqual([`${base}/op-html`]);
  });

  test('when the page has no links either, the pointer\'s failure is reported', async () => {
    const error = await discoveryFailure(discover(`${base}/pointer-to-private`, { fetcher: guarded }));
    expect((error.cause as FetchError).reason).toBe('private_address');
  });
});

describe('HTML discovery over HTTP (§7.3.3)', () => {
  test('2.0 before 1.x', async () => {
    expect((await discover(`${base}/html-both`, { fetcher })).endpoints.map((e) => e.version)).toEqual(['2.0', '1.1']);
  });

  test('relative hrefs resolve against the final URL', async () => {
    const result = await discover(`${base}/html-relative`, { fetcher });
    expect(result.endpoints.map((e) => [e.opEndpoint, e.localId])).toEqual([[`${base}/op`, `${base}/users/a`]]);
  });

  test.each([
    ['<meta charset> ISO-8859-1', '/latin1', '/caf%C3%A9'],
    ['<meta http-equiv> windows-1252', '/cp1252-meta', '/users/ren%C3%A9e%E2%80%99s'],
    ['Content-Type windows-1252', '/cp1252-header', '/users/ren%C3%A9e%E2%80%99s'],
  ])('a page in a legacy charset (%s)', async (_name, path, local) => {
    expect((await discover(`${base}${path}`, { fetcher })).endpoints[0]?.getLocalId()).toBe(`${base}${local}`);
  });

  test('a page without OpenID links is a DiscoveryError', async () => {
    const error = await discoveryFailure(discover(`${base}/nothing`, { fetcher }));
    expect([error.message, error.identifier]).toEqual([`No OpenID service was found for ${base}/nothing`, `${base}/nothing`]);
  });

  test('an HTTP error is a DiscoveryError caused by an http_status FetchError', async () => {
    const error = await discoveryFailure(discover(`${base}/gone`, { fetcher }));
    expect(error.message).toMatch(/HTTP 404/);
    expect(error.cause).toBeInstanceOf(FetchError);
    expect(error.cause).toMatchObject({ reason: 'http_status', httpStatus: 404 });
  });
});

describe('user input (§7.2)', () => {
  test('a URL without a scheme gets http://', async () => {
    const result = await discover(`  ${base.slice('http://'.length)}/xrds-direct  `, { fetcher });
    expect(result.normalizedInput).toBe(`${base}/xrds-direct`);
  });

  test.each([['javascript:alert(1)'], ['file:///etc/passwd'], [''], ['http://user@evil.example/']])('%j is not an identifier', async (input) => {
    const error = await discoveryFailure(discover(input, { fetcher }));
    expect(error.cause).toBeInstanceOf(UrlError);
  });
});

describe('hostile documents and servers finish fast and bounded', () => {
  test.each([
    ['entity expansion XRDS', '/laughs', /DOCTYPE or entities/],
    ['external entity XRDS', '/xxe', /DOCTYPE or entities/],
    ['100 000 nested elements in an XRDS', '/deep', /nested more than 32/],
    ['300 000 unclosed elements in the head', '/huge-head', /No OpenID service/],
  ])('%s', async (_name, path, message) => {
    expect((await discoveryFailure(discover(`${base}${path}`, { fetcher }))).message).toMatch(message);
  });

  test.each([
    ['a 50 MiB body', '/huge', 'too_large', fetcher],
    ['a server that never answers', '/hang', 'timeout', createFetcher({ allowPrivateAddresses: true, timeoutMs: 500 })],
    ['a redirect loop', '/loop', 'too_many_redirects', fetcher],
    ['a redirect to a private address with the guard on', '/to-private', 'private_address', guarded],
  ])('%s', async (_name, path, reason, withFetcher) => {
    const error = await discoveryFailure(discover(`${base}${path}`, { fetcher: withFetcher }));
    expect(error.cause).toBeInstanceOf(FetchError);
    expect((error.cause as FetchError).reason).toBe(reason);
  });

  test('the guard is on by default: the test server itself is refused', async () => {
    const error = await discoveryFailure(discover(`${base}/xrds-direct`, { fetcher: createFetcher({ timeoutMs: 2000 }) }));
    expect((error.cause as FetchError).reason).toBe('private_address');
  });
});
