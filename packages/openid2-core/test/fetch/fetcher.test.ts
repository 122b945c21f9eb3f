import { gzipSync } from 'node:zlib';
import { startServer, type TestServer } from 'openid-test-helpers';
import { createFetcher, type FetcherOptions } from '../../src/fetch/fetcher.js';
import { FetchError, OpenIDConfigError } from '../../src/errors.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/latin1') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
      res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    } else if (path === '/cp1252') {
      res.writeHead(200, { 'content-type': 'text/plain; charset="windows-1252"' });
      res.end(Buffer.from([0x80, 0x20, 0x93, 0x94]));
    } else if (path === '/unknown-charset') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=x-no-such-charset' });
      res.end('caf\u00e9');
    } else if (path === '/echo') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-twice': ['a', 'b'] });
      res.end(JSON.stringify({ method: req.method, headers: req.headers, body }));
    } else if (path === '/gzip') {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.end(gzipSync('compressed hello'));
    } else if (/^\/redirect\/\d+$/.test(path)) {
      res.writeHead(Number(path.slice('/redirect/'.length)), { location: '/echo' });
      res.end('moved');
    } else if (path === '/redirect-relative') {
      res.writeHead(302, { location: 'echo?from=relative' });
      res.end();
    } else if (path === '/redirect-garbage') {
      res.writeHead(302, { location: 'http://[not-an-address/' });
      res.end();
    } else if (path === '/no-location') {
      res.writeHead(302);
      res.end('a redirect without location');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('missing');
    }
  });
});
afterAll(() => server.close());

const local = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 });

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

describe('responses', () => {
  test('the body is decoded by the charset of the Content-Type', async () => {
    const response = await local.fetch(`${server.url}/latin1`);
    expect(response).toMatchObject({ status: 200, body: 'café', contentType: 'text/plain', finalUrl: `${server.url}/latin1` });
    expect(response.bodyBytes).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    expect((await local.fetch(`${server.url}/cp1252`)).body).toBe('€ “”');
  });

  test('an unknown charset falls back to UTF-8', async () => {
    expect((await local.fetch(`${server.url}/unknown-charset`)).body).toBe('café');
  });

  test('headers have lower-case names, repeated ones joined', async () => {
    const response = await local.fetch(`${server.url}/echo`);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-twice']).toBe('a, b');
  });

  test('gzip bodies are decompressed', async () => {
    expect((await local.fetch(`${server.url}/gzip`)).body).toBe('compressed hello');
  });

  test('non-2xx answers are returned, not thrown', async () => {
    const response = await local.fetch(`${server.url}/nothing`);
    expect(response).toMatchObject({ status: 404, body: 'missing' });
  });

  test('a redirect status without Location is a response', async () => {
    expect(await local.fetch(`${server.url}/no-location`)).toMatchObject({ status: 302, body: 'a redirect without location' });
  });
});

describe('requests', () => {
  test('a user agent, the accept option, and custom headers are sent', async () => {
    const echoed = JSON.parse((await local.fetch(`${server.url}/echo`, { accept: 'application/xrds+xml', headers: { 'x-custom': '1' } })).body);
    expect(echoed.headers).toMatchObject({ accept: 'application/xrds+xml', 'x-custom': '1' });
    expect(echoed.headers['user-agent']).toMatch(/openid2-core/);
    const custom = createFetcher({ allowPrivateAddresses: true, userAgent: 'my-rp/1.0' });
    const overridden = JSON.parse((await custom.fetch(`${server.url}/echo`, { accept: 'a/b', headers: { Accept: 'c/d' } })).body);
    expect(overridden.headers).toMatchObject({ accept: 'c/d', 'user-agent': 'my-rp/1.0' });
  });

  test('POST bodies are form-encoded unless a content type is given', async () => {
    const form = JSON.parse((await local.fetch(`${server.url}/echo`, { method: 'POST', body: 'a=1&b=2' })).body);
    expect(form).toMatchObject({ method: 'POST', body: 'a=1&b=2', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const kv = JSON.parse((await local.fetch(`${server.url}/echo`, { method: 'POST', body: 'x:y\n', headers: { 'Content-Type': 'text/plain' } })).body);
    expect(kv.headers['content-type']).toBe('text/plain');
  });

  test.each([
    [301, 'GET', ''], [302, 'GET', ''], [303, 'GET', ''], [307, 'POST', 'a=1'], [308, 'POST', 'a=1'],
  ])('a %i redirect of a POST is followed as a %s', async (status, method, body) => {
    const response = await local.fetch(`${server.url}/redirect/${status}`, { method: 'POST', body: 'a=1' });
    expect(response.finalUrl).toBe(`${server.url}/echo`);
    const echoed = JSON.parse(response.body);
    expect([echoed.method, echoed.body]).toEqual([method, body]);
    if (method === 'GET') expect(echoed.headers['content-type']).toBeUndefined();
  });

  test.each([301, 302, 303, 307, 308])('17.6: followRedirects false: a %i comes back as it is, nothing follows', async (status) => {
    const before = server.requests.length;
    const response = await local.fetch(`${server.url}/redirect/${status}`, { method: 'POST', body: 'a=1', followRedirects: false });
    expect([response.status, response.headers.location, response.finalUrl, response.body]).toEqual([status, '/echo', `${server.url}/redirect/${status}`, '']);
    expect(server.requests.length - before).toBe(1);
  });

  test('relative redirects resolve against the current URL', async () => {
    expect((await local.fetch(`${server.url}/redirect-relative`)).finalUrl).toBe(`${server.url}/echo?from=relative`);
  });

  test('an unparsable URL or redirect target is invalid_url', async () => {
    expect((await failure(local.fetch('not a url'))).reason).toBe('invalid_url');
    const error = await failure(local.fetch(`${server.url}/redirect-garbage`));
    expect([error.reason, error.url]).toEqual(['invalid_url', 'http://[not-an-address/']);
  });

  test('only http and https are fetched', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://127.0.0.1:6379/_INFO', 'data:text/plain,hi']) {
      expect((await failure(local.fetch(url))).reason).toBe('scheme_not_allowed');
    }
  });
});

describe('options are checked when the fetcher is created', () => {
  test.each<[string, FetcherOptions]>([
    ['timeoutMs', { timeoutMs: 0 }], ['timeoutMs', { timeoutMs: Number.NaN }], ['maxBytes', { maxBytes: -1 }],
    ['maxBytes', { maxBytes: 1.5 }], ['maxRedirects', { maxRedirects: -1 }],
    ['lookup', { lookup: 'dns' as never }], ['addressPolicy', { addressPolicy: true as never }],
  ])('%s: %j', (option, options) => {
    expect(() => createFetcher(options)).toThrow(OpenIDConfigError);
    expect(() => createFetcher(options)).toThrow(new RegExp(`^${option}:`));
  });

  test('maxRedirects 0 refuses every redirect', async () => {
    const strict = createFetcher({ allowPrivateAddresses: true, maxRedirects: 0 });
    expect((await failure(strict.fetch(`${server.url}/redirect/302`))).reason).toBe('too_many_redirects');
  });
});
