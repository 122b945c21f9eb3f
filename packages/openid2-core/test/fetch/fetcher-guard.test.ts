/**
 * The private-address guard, on by default: literal addresses, names that
 * resolve to private addresses (checked on the address the socket uses),
 * and every redirect hop.
 */
import type { LookupAddress } from 'node:dns';
import { startServer, type TestServer } from 'openid-test-helpers';
import { createFetcher, type LookupFunction } from '../../src/fetch/fetcher.js';
import { FetchError, OpenIDConfigError } from '../../src/errors.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/to-private') {
      res.writeHead(302, { location: `http://127.0.0.2:${server.port}/secret` });
      res.end();
    } else if (path === '/to-name') {
      res.writeHead(302, { location: `http://rebinding.example:${server.port}/secret` });
      res.end();
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`you reached ${path}`);
    }
  });
});
afterAll(() => server.close());

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

/** A DNS look-up answering from a table, counting its calls. */
function fakeDns(table: Record<string, string[] | (() => string[])>): { lookup: LookupFunction; calls: string[] } {
  const calls: string[] = [];
  const lookup: LookupFunction = (hostname, _options, callback) => {
    calls.push(hostname);
    const entry = table[hostname];
    if (entry === undefined) {
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      return;
    }
    const addresses = typeof entry === 'function' ? entry() : entry;
    callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
  };
  return { lookup, calls };
}

const secretRequests = (): number => server.requests.filter((path) => path === '/secret').length;

describe('the private-address guard', () => {
  test.each([
    ['the test server itself', () => `${server.url}/secret`],
    ['localhost', () => `http://localhost:${server.port}/secret`],
    ['IPv6 loopback', () => 'http://[::1]/'],
    ['IPv4-mapped link-local (cloud metadata)', () => 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
    ['a decimal IPv4 address', () => `http://2130706433:${server.port}/secret`],
    ['a hexadecimal IPv4 address', () => `http://0x7f.0.0.1:${server.port}/secret`],
    ['0.0.0.0', () => `http://0.0.0.0:${server.port}/secret`],
  ])('refuses %s by default', async (_name, url) => {
    const error = await failure(createFetcher({ timeoutMs: 2000 }).fetch(url()));
    expect(error.reason).toBe('private_address');
    expect(secretRequests()).toBe(0);
  });

  test.each([
    ['127.0.0.1'], ['::ffff:127.0.0.1'], ['10.0.0.1'], ['169.254.169.254'], ['fd00::1'],
  ])('refuses a public name that resolves to %s', async (address) => {
    const dns = fakeDns({ 'evil.example': [address] });
    const error = await failure(createFetcher({ timeoutMs: 2000, lookup: dns.lookup }).fetch(`http://evil.example:${server.port}/secret`));
    expect(error.reason).toBe('private_address');
    expect(error.message).toMatch(/evil\.example/);
    expect(secretRequests()).toBe(0);
  });

  test('refuses a name with one public and one private address', async () => {
    const dns = fakeDns({ 'mixed.example': ['93.184.216.34', '127.0.0.1'] });
    const error = await failure(createFetcher({ timeoutMs: 2000, lookup: dns.lookup }).fetch(`http://mixed.example:${server.port}/secret`));
    expect(error.reason).toBe('private_address');
  });

  test('checks every redirect hop, literal address', async () => {
    // 127.0.0.1 stands in for a public host; the redirect goes to 127.0.0.2.
    const fetcher = createFetcher({ timeoutMs: 2000, addressPolicy: (address) => address === '127.0.0.1' });
    const error = await failure(fetcher.fetch(`${server.url}/to-private`));
    expect(error.reason).toBe('private_address');
    expect(error.url).toBe(`${server.url}/to-private`);
    expect(secretRequests()).toBe(0);
  });

  test('resolves and checks the name again on each connection (DNS rebinding)', async () => {
    // First answer allowed, every later one private: a check made once, before connecting, would be fooled.
    let answers = 0;
    const dns = fakeDns({ 'rebinding.example': () => ((answers += 1) === 1 ? ['127.0.0.1'] : ['127.0.0.2']) });
    const fetcher = createFetcher({ timeoutMs: 2000, lookup: dns.lookup, addressPolicy: (address) => address === '127.0.0.1' });
    const error = await failure(fetcher.fetch(`http://rebinding.example:${server.port}/to-name`));
    expect(error.reason).toBe('private_address');
    expect(dns.calls).toEqual(['rebinding.example', 'rebinding.example']);
    expect(secretRequests()).toBe(0);
  });

  test('allowPrivateAddresses lets tests and intranets through', async () => {
    const response = await createFetcher({ allowPrivateAddresses: true }).fetch(`${server.url}/allowed`);
    expect(response.body).toBe('you reached /allowed');
  });

  test('an allowed name is connected to at the address the look-up gave', async () => {
    const dns = fakeDns({ 'intranet.example': ['127.0.0.1'] });
    const fetcher = createFetcher({ lookup: dns.lookup, allowPrivateAddresses: true });
    expect((await fetcher.fetch(`http://intranet.example:${server.port}/named`)).body).toBe('you reached /named');
  });

  test('DNS failures are typed', async () => {
    const dns = fakeDns({});
    const error = await failure(createFetcher({ timeoutMs: 2000, lookup: dns.lookup }).fetch('http://nowhere.example/'));
    expect(error.reason).toBe('dns');
    expect(error.cause).toBeDefined();
  });
});

describe('17.9: allowLoopback, the narrow switch for local development', () => {
  test('reaches 127.0.0.1, and localhost by name', async () => {
    const dns = fakeDns({ localhost: ['127.0.0.1'] });
    const fetcher = createFetcher({ timeoutMs: 2000, allowLoopback: true, lookup: dns.lookup });
    expect((await fetcher.fetch(`${server.url}/loopback`)).body).toBe('you reached /loopback');
    expect((await fetcher.fetch(`http://localhost:${server.port}/by-name`)).body).toBe('you reached /by-name');
  });

  test.each([
    ['a 10.x address', 'http://10.1.2.3/secret'],
    ['a 192.168.x address', 'http://192.168.1.20/secret'],
    ['a link-local address (cloud metadata)', 'http://169.254.169.254/latest/meta-data/'],
    ['0.0.0.0', `http://0.0.0.0:80/secret`],
    ['an IPv4-mapped private address', 'http://[::ffff:10.0.0.1]/secret'],
  ])('still refuses %s, decided by the guard before any connection', async (_name, url) => {
    const dns = fakeDns({});
    const error = await failure(createFetcher({ timeoutMs: 2000, allowLoopback: true, lookup: dns.lookup }).fetch(url));
    // Any attempt to connect would end in a timeout or a network error, not this reason.
    expect(error.reason).toBe('private_address');
    expect(dns.calls).toEqual([]);
  });

  test('still refuses a name that resolves to a private, non-loopback address', async () => {
    // Names no other test connects to (a kept-alive connection to a name is reused without a look-up).
    const dns = fakeDns({ 'lan.example': ['192.168.1.20'], 'split.example': ['127.0.0.1', '10.0.0.8'] });
    const fetcher = createFetcher({ timeoutMs: 2000, allowLoopback: true, lookup: dns.lookup });
    expect((await failure(fetcher.fetch(`http://lan.example:${server.port}/secret`))).reason).toBe('private_address');
    expect((await failure(fetcher.fetch(`http://split.example:${server.port}/secret`))).reason).toBe('private_address');
    expect(dns.calls).toEqual(['lan.example', 'split.example']);
    expect(secretRequests()).toBe(0);
  });

  test('is refused when NODE_ENV=production, and must be a boolean', () => {
    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => createFetcher({ allowLoopback: true })).toThrow(OpenIDConfigError);
      expect(() => createFetcher({ allowLoopback: true })).toThrow(/^allowLoopback: .*NODE_ENV=production/);
      expect(() => createFetcher({ allowLoopback: false })).not.toThrow();
    } finally {
      process.env.NODE_ENV = saved;
    }
    expect(() => createFetcher({ allowLoopback: 'yes' as never })).toThrow(/^allowLoopback:/);
  });
});

describe('connections are not shared between fetchers', () => {
  test('a stricter fetcher never reuses a kept-alive socket a looser one opened to a private address', async () => {
    // Both fetchers resolve the same name to the test server (a private address); only one may reach it.
    const { lookup } = fakeDns({ 'shared-socket.example': ['127.0.0.1'] });
    const url = `http://shared-socket.example:${server.port}/secret`;
    const loose = createFetcher({ timeoutMs: 2000, allowPrivateAddresses: true, lookup });
    expect((await loose.fetch(url)).status).toBe(200);
    const before = secretRequests();
    const strict = createFetcher({ timeoutMs: 2000, lookup });
    const error = await failure(strict.fetch(url));
    expect(error.reason).toBe('private_address');
    expect(secretRequests()).toBe(before);
  });

  test('one fetcher reuses its own connections (keep-alive)', async () => {
    const { lookup, calls } = fakeDns({ 'kept-alive.example': ['127.0.0.1'] });
    const fetcher = createFetcher({ timeoutMs: 2000, allowPrivateAddresses: true, lookup });
    await fetcher.fetch(`http://kept-alive.example:${server.port}/one`);
    await fetcher.fetch(`http://kept-alive.example:${server.port}/two`);
    // One connection, so one look-up, for two requests.
    expect(calls).toEqual(['kept-alive.example']);
  });
});
