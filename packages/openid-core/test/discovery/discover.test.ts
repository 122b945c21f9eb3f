import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendLargeBody, startServer, type TestServer } from 'openid-test-helpers';
import { discover } from '../../src/discovery/discover.js';
import { MemoryDiscoveryCache } from '../../src/discovery/cache.js';
import { verifyDiscoveredEndpoint } from '../../src/discovery/verify-discovered.js';
import { discoverRelyingPartyReturnTos } from '../../src/discovery/relying-party.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { DiscoveryError, FetchError } from '../../src/errors.js';
import { XRDS_TYPE, xrds, signon2, signon1, opIdentifier, returnTo, html, BILLION_LAUGHS, EXTERNAL_ENTITY } from './fixtures.js';

let server: TestServer;
let base: string;

type Route = (req: IncomingMessage, res: ServerResponse) => void;
const send = (type: string, body: string | Buffer, extra: Record<string, string> = {}): Route => (_req, res) => {
  res.writeHead(200, { 'content-type': type, ...extra });
  res.end(body);
};

function routesFor(): Record<string, Route> {
  return {
    '/xrds-direct': send(XRDS_TYPE, xrds(signon2(`${base}/op`, `${base}/local`))),
    '/negotiate': (req, res) => {
      if ((req.headers.accept ?? '').includes(XRDS_TYPE)) send(XRDS_TYPE, xrds(signon2(`${base}/op`)))(req, res);
      else send('text/html', html(''))(req, res);
    },
    '/header': send('text/html', html(''), { 'x-xrds-location': '/xrds-doc' }),
    '/meta': send('text/html', html('<meta http-equiv="X-XRDS-Location" content="/xrds-doc">')),
    '/xrds-doc': send(XRDS_TYPE, xrds(opIdentifier(`${base}/idp`), signon1(`${base}/op1`))),
    '/redirect': (_req, res) => {
      res.writeHead(302, { location: '/final-user' });
      res.end();
    },
    '/final-user': send('text/html', html(`<link rel="openid2.provider" href="${base}/op">`)),
    '/html-both': send('text/html', html(`<link rel="openid.server" href="${base}/op1"><link rel="openid2.provider openid2.local_id" href="${base}/op2">`)),
    '/no-openid-xrds': (req, res) => {
      if ((req.headers.accept ?? '').startsWith(XRDS_TYPE)) send(XRDS_TYPE, xrds(returnTo(`${base}/return`)))(req, res);
      else send('text/html', html(`<link rel="openid2.provider" href="${base}/op-html">`))(req, res);
    },
    '/latin1': send('text/html', Buffer.from(`<html><head><meta charset="iso-8859-1"><link rel="openid.server" href="${base}/op"><link rel="openid.delegate" href="${base}/caf\xe9"></head></html>`, 'latin1')),
    '/nothing': send('text/html', html('')),
    '/laughs': send(XRDS_TYPE, BILLION_LAUGHS),
    '/xxe': send(XRDS_TYPE, EXTERNAL_ENTITY),
    '/huge': (_req, res) => sendLargeBody(res, 800, 'text/html'),
    '/hang': () => undefined,
    '/loop': (_req, res) => {
      res.writeHead(302, { location: '/loop' });
      res.end();
    },
    '/to-private': (_req, res) => {
      res.writeHead(302, { location: `http://127.0.0.2:${server.port}/final-user` });
      res.end();
    },
    '/gone': (_req, res) => {
      res.writeHead(404);
      res.end();
    },
    '/xri/=example': send(XRDS_TYPE, xrds(signon2(`${base}/op`)).replace('<XRD>', '<XRD><CanonicalID>=!1234.5678</CanonicalID>')),
    '/rp': send(XRDS_TYPE, xrds(returnTo(`${base}/rp/return`, `${base}/rp/other`))),
  };
}

beforeAll(async () => {
  let table: Record<string, Route> = {};
  server = await startServer((req, res) => {
    const route = table[decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)];
    if (route === undefined) {
      res.writeHead(404);
      res.end();
    } else route(req, res);
  });
  base = server.url;
  table = routesFor();
});
afterAll(() => server.close());

const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000, maxBytes: 1 << 20 });

async function discoveryFailure(promise: Promise<unknown>): Promise<DiscoveryError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    return error as DiscoveryError;
  }
  throw new Error('expected a DiscoveryError');
}

describe('Yadis (§7.3.1)', () => {
  test('an XRDS body by content type', async () => {
    const result = await discover(`${base}/xrds-direct`, { fetcher });
    expect(result.claimedId).toBe(`${base}/xrds-direct`);
    expect(result.endpoints.map((e) => [e.serverUrl, e.getLocalId(), e.usedYadis])).toEqual([[`${base}/op`, `${base}/local`, true]]);
  });

  test('content negotiation on Accept', async () => {
    expect((await discover(`${base}/negotiate`, { fetcher })).endpoints[0]?.serverUrl).toBe(`${base}/op`);
  });

  test.each(['/header', '/meta'])('the X-XRDS-Location pointer (%s)', async (path) => {
    const result = await discover(`${base}${path}`, { fetcher });
    expect(result.claimedId).toBe(`${base}${path}`);
    expect(result.endpoints.map((e) => [e.isOPIdentifier, e.version])).toEqual([[true, '2.0'], [false, '1.1']]);
  });

  test('the final URL after redirects is the claimed identifier', async () => {
    const result = await discover(`${base}/redirect`, { fetcher });
    expect(result.normalizedInput).toBe(`${base}/redirect`);
    expect(result.claimedId).toBe(`${base}/final-user`);
    expect(result.endpoints[0]?.claimedId).toBe(`${base}/final-user`);
  });

  test('an XRDS without OpenID services falls back to HTML', async () => {
    const result = await discover(`${base}/no-openid-xrds`, { fetcher });
    expect(result.endpoints.map((e) => [e.serverUrl, e.usedYadis])).toEqual([[`${base}/op-html`, false]]);
  });
});

describe('HTML discovery over HTTP (§7.3.3)', () => {
  test('2.0 before 1.x', async () => {
    const result = await discover(`${base}/html-both`, { fetcher });
    expect(result.endpoints.map((e) => e.version)).toEqual(['2.0', '1.1']);
  });

  test('a page in ISO-8859-1', async () => {
    const result = await discover(`${base}/latin1`, { fetcher });
    expect(result.endpoints[0]?.getLocalId()).toBe(`${base}/caf%C3%A9`);
  });

  test('a page without OpenID links is a DiscoveryError', async () => {
    expect((await discoveryFailure(discover(`${base}/nothing`, { fetcher }))).message).toMatch(/No OpenID service/);
  });

  test('an HTTP error is a DiscoveryError naming the status', async () => {
    expect((await discoveryFailure(discover(`${base}/gone`, { fetcher }))).message).toMatch(/HTTP 404/);
  });
});

describe('hostile documents and servers finish fast and bounded', () => {
  test.each([
    ['entity expansion', '/laughs', /DOCTYPE or entities/],
    ['external entity', '/xxe', /DOCTYPE or entities/],
  ])('%s XRDS', async (_name, path, message) => {
    expect((await discoveryFailure(discover(`${base}${path}`, { fetcher }))).message).toMatch(message);
  });

  test.each([
    ['a 50 MiB body', '/huge', 'too_large', fetcher],
    ['a server that never answers', '/hang', 'timeout', createFetcher({ allowPrivateAddresses: true, timeoutMs: 300 })],
    ['a redirect loop', '/loop', 'too_many_redirects', fetcher],
    ['a redirect to a private address with the guard on', '/to-private', 'private_address', createFetcher({ timeoutMs: 2000, addressPolicy: (a) => a === '127.0.0.1' })],
  ])('%s', async (_name, path, reason, withFetcher) => {
    const error = await discoveryFailure(discover(`${base}${path}`, { fetcher: withFetcher }));
    expect(error.cause).toBeInstanceOf(FetchError);
    expect((error.cause as FetchError).reason).toBe(reason);
  });
});

describe('cache', () => {
  test('a second discovery of the same identifier makes no request', async () => {
    const cache = new MemoryDiscoveryCache();
    const before = server.requests.length;
    const first = await discover(`${base}/header`, { fetcher, cache });
    const afterFirst = server.requests.length;
    const second = await discover(`${base}/header`, { fetcher, cache });
    expect(afterFirst).toBeGreaterThan(before);
    expect(server.requests.length).toBe(afterFirst);
    expect(second).toBe(first);
  });

  test('entries expire and the cache is bounded', () => {
    let now = 0;
    const cache = new MemoryDiscoveryCache({ maxEntries: 2, now: () => now });
    const value = { normalizedInput: 'x', claimedId: 'x', finalUrl: undefined, endpoints: [] };
    cache.set('a', value, 100);
    cache.set('b', value, 100);
    cache.set('c', value, 100);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('c')).toBe(value);
    now = 100;
    expect(cache.get('c')).toBeUndefined();
  });
});

describe('XRIs (§7.3.2.3)', () => {
  test('without a proxy resolver they are refused with a clear error', async () => {
    expect((await discoveryFailure(discover('=example', { fetcher }))).message).toMatch(/proxy resolver/);
  });

  test('through a configured proxy resolver the CanonicalID is the claimed identifier', async () => {
    const result = await discover('xri://=example', { fetcher, xriProxy: `${base}/xri/` });
    expect(result.claimedId).toBe('=!1234.5678');
    expect(result.endpoints[0]?.serverUrl).toBe(`${base}/op`);
  });
});

describe('verifying discovered information (§11.2)', () => {
  const asserted = () => ({ claimedId: `${base}/xrds-direct#x`, localId: `${base}/local`, opEndpoint: `${base}/op`, version: '2.0' as const });

  test('a matching assertion yields the endpoint with the asserted claimed identifier', async () => {
    const result = await verifyDiscoveredEndpoint(asserted(), { fetcher });
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.endpoint.claimedId).toBe(`${base}/xrds-direct#x`);
  });

  test.each([
    ['another OP endpoint', { opEndpoint: 'http://evil.example/op' }],
    ['another local identifier', { localId: `${base}/someone-else` }],
    ['another protocol version', { version: '1.1' as const }],
  ])('%s is a discovery_mismatch', async (_name, change) => {
    const result = await verifyDiscoveredEndpoint({ ...asserted(), ...change }, { fetcher });
    expect(result).toMatchObject({ ok: false, reason: 'discovery_mismatch' });
  });

  test('a claimed identifier that cannot be discovered is discovery_failed', async () => {
    const result = await verifyDiscoveredEndpoint({ ...asserted(), claimedId: `${base}/gone` }, { fetcher });
    expect(result).toMatchObject({ ok: false, reason: 'discovery_failed' });
  });
});

describe('relying party discovery (§13)', () => {
  test('lists the published return_to URLs', async () => {
    expect(await discoverRelyingPartyReturnTos(`${base}/rp`, fetcher)).toEqual([`${base}/rp/return`, `${base}/rp/other`]);
  });

  test('a realm without XRDS publishes none', async () => {
    expect(await discoverRelyingPartyReturnTos(`${base}/nothing`, fetcher)).toEqual([]);
  });
});
