/**
 * Hostile servers: every case ends with a typed FetchError, bounded in time
 * and memory (small limits keep the suite fast; the defaults are 10 s and 1 MiB).
 */
import { createServer } from 'node:net';
import { createGzip } from 'node:zlib';
import { sendLargeBody, startServer, type TestServer } from 'openid-test-helpers';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { FetchError } from '../../src/errors.js';

let server: TestServer;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
  server = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/huge') {
      sendLargeBody(res, 800); // 50 MiB
    } else if (path === '/declared-huge') {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('x');
    } else if (path === '/gzip-bomb') {
      // 50 MiB of zeros, about 50 KiB on the wire.
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      const zeros = Buffer.alloc(1 << 20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 50) {
          sent += 1;
          if (!gzip.write(zeros)) return void gzip.once('drain', pump);
        }
        gzip.end();
      };
      pump();
    } else if (path === '/hang') {
      // Never answers.
    } else if (path === '/drip') {
      // Answers at once, then one byte every 50 ms, forever.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('x'), 50);
      timers.add(timer);
      res.on('close', () => clearInterval(timer));
    } else if (path === '/loop') {
      res.writeHead(302, { location: '/loop' });
      res.end();
    } else if (path === '/to-file') {
      res.writeHead(302, { location: 'file:///etc/passwd' });
      res.end();
    } else {
      res.writeHead(404);
      res.end();
    }
  });
});
afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  await server.close();
});

async function failure(promise: Promise<unknown>): Promise<FetchError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(FetchError);
  return error as FetchError;
}

const local = createFetcher({ allowPrivateAddresses: true, timeoutMs: 5000, maxBytes: 1 << 20 });

describe('bounded by default', () => {
  test('a 50 MiB body is cut off at the size cap', async () => {
    const error = await failure(local.fetch(`${server.url}/huge`));
    expect([error.reason, error.url]).toEqual(['too_large', `${server.url}/huge`]);
  });

  test('a declared 50 MiB body is refused before it is read', async () => {
    expect((await failure(local.fetch(`${server.url}/declared-huge`))).reason).toBe('too_large');
  });

  test('the cap applies after decompression (gzip bomb)', async () => {
    expect((await failure(local.fetch(`${server.url}/gzip-bomb`))).reason).toBe('too_large');
  });

  test('a server that never answers times out', async () => {
    const error = await failure(createFetcher({ allowPrivateAddresses: true, timeoutMs: 500 }).fetch(`${server.url}/hang`));
    expect(error.reason).toBe('timeout');
    expect(error.message).toMatch(/500 ms/);
  });

  test('the timeout covers the whole body: a server that drips bytes times out', async () => {
    expect((await failure(createFetcher({ allowPrivateAddresses: true, timeoutMs: 500 }).fetch(`${server.url}/drip`))).reason).toBe('timeout');
  });

  test('a redirect loop stops at the limit', async () => {
    const before = server.requests.length;
    expect((await failure(local.fetch(`${server.url}/loop`))).reason).toBe('too_many_redirects');
    // The first request and five redirects.
    expect(server.requests.length - before).toBe(6);
  });

  test('a redirect to another scheme is refused', async () => {
    expect((await failure(local.fetch(`${server.url}/to-file`))).reason).toBe('scheme_not_allowed');
  });

  test('a refused connection is a connection failure', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(local.fetch(`http://127.0.0.1:${port}/`));
    expect(error.reason).toBe('connection');
    expect(error.cause).toBeDefined();
  });

  test('a server that closes the connection without answering is a connection failure', async () => {
    const rude = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => rude.listen(0, '127.0.0.1', resolve));
    const { port } = rude.address() as { port: number };
    try {
      expect((await failure(local.fetch(`http://127.0.0.1:${port}/`))).reason).toBe('connection');
    } finally {
      await new Promise((resolve) => rude.close(resolve));
    }
  });
});
