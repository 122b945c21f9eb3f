/**
 * TLS certificates are verified; an application can bring its own CA
 * through a got instance. The certificate is a self-signed, test-only one
 * for 127.0.0.1 (fixtures/test-cert.pem, valid until 2126).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import got from 'got';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { FetchError } from '../../src/errors.js';

const cert = readFileSync(new URL('fixtures/test-cert.pem', import.meta.url));
const key = readFileSync(new URL('fixtures/test-key.pem', import.meta.url));
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer({ cert, key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('secure hello');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('TLS', () => {
  test('an untrusted certificate is a tls failure', async () => {
    const error = await createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 }).fetch(url).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(FetchError);
    expect((error as FetchError).reason).toBe('tls');
  });

  test('a got instance can bring a custom CA', async () => {
    const client = got.extend({ https: { certificateAuthority: cert } });
    const response = await createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000, got: client }).fetch(url);
    expect(response.body).toBe('secure hello');
  });

  test('a got instance cannot turn verification off', async () => {
    const client = got.extend({ https: { rejectUnauthorized: false } });
    const error = await createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000, got: client }).fetch(url).then(() => undefined, (caught: unknown) => caught);
    expect((error as FetchError).reason).toBe('tls');
  });
});
