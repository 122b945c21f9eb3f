import { sendLargeBody, startServer, type TestServer } from 'openid-test-helpers';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { isPrivateAddress } from '../../src/fetch/address-guard.js';
import { FetchError } from '../../src/errors.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/latin1') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
      res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    } else if (path === '/post') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${req.method} ${req.headers['content-type']} ${body}`);
    } else if (path === '/huge') {
      sendLargeBody(res, 50 * 16);
    } else if (path === '/declared-huge') {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('x');
    } else if (path === '/hang') {
      // never answers
    } else if (path === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (path === '/to-private') {
      res.writeHead(302, { location: `http://127.0.0.2:${server.port}/` });
      res.end();
    } else if (path === '/to-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    } else if (path === '/redirect') {
      res.writeHead(303, { location: '/post' });
      res.end();
    } else {
      res.writeHead(404);
      res.end('missing');
    }
  });
});
afterAll(() => server.close());

const local = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000, maxBytes: 1 << 20 });

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(FetchError);
    return error as FetchError;
  }
  throw new Error('expected a FetchError');
}

describe('fetcher', () => {
  test('decodes the body by its charset and reports the final URL', async () => {
    const response = await local.fetch(`${server.url}/latin1`);
    expect(response.body).toBe('café');
    expect(response.status).toBe(200);
    expect(response.contentType).toBe('text/plain');
    expect(response.finalUrl).toBe(`${server.url}/latin1`);
  });

  test('POSTs bodies; a 303 turns into a GET', async () => {
    const post = await local.fetch(`${server.url}/post`, { method: 'POST', body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.body).toBe('POST application/x-www-form-urlencoded a=1');
    const redirected = await local.fetch(`${server.url}/redirect`, { method: 'POST', body: 'a=1' });
    expect(redirected.body.startsWith('GET')).toBe(true);
    expect(redirected.finalUrl).toBe(`${server.url}/post`);
  });

  test('non-2xx answers are returned, not thrown', async () => {
    expect((await local.fetch(`${server.url}/nothing`)).status).toBe(404);
  });

  test('a 50 MiB body is cut off at the size cap', async () => {
    expect((await failure(local.fetch(`${server.url}/huge`))).reason).toBe('too_large');
    expect((await failure(local.fetch(`${server.url}/declared-huge`))).reason).toBe('too_large');
  });

  test('a server that never answers times out', async () => {
    const error = await failure(createFetcher({ allowPrivateAddresses: true, timeoutMs: 300 }).fetch(`${server.url}/hang`));
    expect(error.reason).toBe('timeout');
  });

  test('a redirect loop stops at the limit', async () => {
    expect((await failure(local.fetch(`${server.url}/loop`))).reason).toBe('too_many_redirects');
  });

  test('only http and https, also after redirects', async () => {
    expect((await failure(local.fetch('file:///etc/passwd'))).reason).toBe('scheme_not_allowed');
    expect((await failure(local.fetch(`${server.url}/to-file`))).reason).toBe('scheme_not_allowed');
    expect((await failure(local.fetch('not a url'))).reason).toBe('invalid_url');
  });

  test('the guard refuses private addresses by default', async () => {
    const guarded = createFetcher({ timeoutMs: 2000 });
    expect((await failure(guarded.fetch(`${server.url}/latin1`))).reason).toBe('private_address');
    expect((await failure(guarded.fetch('http://localhost/'))).reason).toBe('private_address');
    expect((await failure(guarded.fetch('http://[::1]/'))).reason).toBe('private_address');
    expect((await failure(guarded.fetch('http://[::ffff:169.254.169.254]/'))).reason).toBe('private_address');
  });

  test('the guard refuses a public name that resolves to a private address', async () => {
    const fetcher = createFetcher({
      timeoutMs: 2000,
      lookup: (_host, _options, callback) => callback(null, [{ address: '127.0.0.1', family: 4 }]),
    });
    const error = await failure(fetcher.fetch(`http://public.example:${server.port}/latin1`));
    expect(error.reason).toBe('private_address');
    expect(server.requests.filter((path) => path === '/latin1')).toHaveLength(1);
  });

  test('the guard checks every redirect hop', async () => {
    // 127.0.0.1 is allowed here (standing in for a public host); the redirect goes to 127.0.0.2.
    const fetcher = createFetcher({ timeoutMs: 2000, addressPolicy: (address) => address === '127.0.0.1' });
    const before = server.requests.length;
    const error = await failure(fetcher.fetch(`${server.url}/to-private`));
    expect(error.reason).toBe('private_address');
    expect(server.requests.length).toBe(before + 1);
  });

  test('DNS failures are typed', async () => {
    const fetcher = createFetcher({
      timeoutMs: 2000,
      lookup: (host, _options, callback) => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }), []),
    });
    expect((await failure(fetcher.fetch('http://nowhere.example/'))).reason).toBe('dns');
  });
});

describe('isPrivateAddress', () => {
  test.each([
    ['127.0.0.1', true], ['10.1.2.3', true], ['172.16.0.1', true], ['172.31.255.255', true], ['192.168.1.1', true],
    ['169.254.169.254', true], ['100.64.0.1', true], ['0.0.0.0', true], ['224.0.0.1', true], ['255.255.255.255', true],
    ['::1', true], ['::', true], ['fc00::1', true], ['fd12:3456::1', true], ['fe80::1', true], ['ff02::1', true],
    ['::ffff:127.0.0.1', true], ['::ffff:7f00:1', true], ['::ffff:10.0.0.1', true], ['64:ff9b::a9fe:a9fe', true],
    ['8.8.8.8', false], ['172.32.0.1', false], ['93.184.216.34', false], ['2606:4700::1111', false], ['::ffff:8.8.8.8', false],
    ['not an ip', true],
  ])('%s → %s', (address, expected) => {
    expect(isPrivateAddress(address)).toBe(expected);
  });
});
