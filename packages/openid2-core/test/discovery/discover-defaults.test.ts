import { startServer, type TestServer } from 'openid-test-helpers';
import { discover } from '../../src/discovery/discover.js';
import { DiscoveryError, FetchError } from '../../src/errors.js';

let server: TestServer;
let requests = 0;

beforeAll(async () => {
  server = await startServer((_req, res) => {
    requests += 1;
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(`<html><head><link rel="openid2.provider" href="${server.url}/op"></head></html>`);
  });
});
afterAll(() => server.close());

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => undefined, (error: unknown) => error);
}

describe('20.6: discover(identifier) without options', () => {
  test('20.6: uses the default guarded fetcher (a coded DiscoveryError, not a TypeError): loopback is refused before any connection', async () => {
    const error = await caught(discover(`${server.url}/user`));
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).code).toBe('ERR_DISCOVERY');
    expect((error as DiscoveryError).cause).toBeInstanceOf(FetchError);
    expect(((error as DiscoveryError).cause as FetchError).reason).toBe('private_address');
    expect(requests).toBe(0);
  });

  test('20.6: an empty options object behaves the same', async () => {
    const error = await caught(discover(`${server.url}/user`, {}));
    expect(((error as DiscoveryError).cause as FetchError).reason).toBe('private_address');
  });

  test('20.6: an XRI without a proxy resolver is refused with a DiscoveryError', async () => {
    const error = await caught(discover('=example'));
    expect(error).toBeInstanceOf(DiscoveryError);
  });

  test('20.6: bad input is still a DiscoveryError', async () => {
    const error = await caught(discover('http://'));
    expect(error).toBeInstanceOf(DiscoveryError);
  });
});
