/**
 * 17.2: what one login start may cost. An attacker's XRDS lists a thousand
 * endpoints that decline, refuse or never answer: the relying party tries
 * at most 3 of them, and the whole start (discovery and association) ends
 * at one deadline with a reason code.
 */
import type { IncomingMessage } from 'node:http';
import { startServer, type TestServer } from 'openid-test-helpers';
import { Consumer } from '../../src/consumer/consumer.js';
import { objectSession } from '../../src/consumer/session.js';
import { OPENID2_NS, OPENID_2_0_TYPE } from '../../src/constants.js';
import { DiscoveryError, OpenIDConfigError } from '../../src/errors.js';
import type { Fetcher } from '../../src/fetch/fetcher.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { fetcher } from './parties.js';

/**
 * An XRDS document of 1,000 endpoints, the i-th at `uri(i)`: 100 services
 * of 10 URIs each, or 1,000 services of one (which the XML shape limit of
 * discovery refuses: 3,000 elements).
 */
function xrdsOf(uri: (i: number) => string, urisPerService = 10): string {
  const services = Array.from({ length: 1000 / urisPerService }, (_, s) => {
    const uris = Array.from({ length: urisPerService }, (_, u) => `<URI priority="${u}">${uri(s * urisPerService + u)}</URI>`);
    return `<Service priority="${s}"><Type>${OPENID_2_0_TYPE}</Type>${uris.join('')}</Service>`;
  });
  return `<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD>${services.join('')}</XRD></xrds:XRDS>`;
}

let server: TestServer;
/** Associate requests received, by kind of endpoint. */
const associates = { decline: 0, silent: 0, suggest: 0 };
/** Requests the server got and never answered, resolved when the client closes their connection. */
const silentClosed: Promise<void>[] = [];

function hold(req: IncomingMessage): void {
  silentClosed.push(new Promise((resolve) => req.socket.once('close', () => resolve())));
}

beforeAll(async () => {
  server = await startServer((req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const xrds = (uri: (i: number) => string, perService?: number): void => void res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrdsOf(uri, perService));
    if (path === '/declining') xrds((i) => `${server.url}/decline/${i}`);
    else if (path === '/silent') xrds((i) => `${server.url}/silent/${i}`);
    else if (path === '/refused') xrds((i) => `http://127.0.0.1:1/op/${i}`);
    else if (path === '/same-url') xrds(() => `${server.url}/decline/same`);
    else if (path === '/one-per-service') xrds((i) => `${server.url}/decline/${i}`, 1);
    else if (path === '/suggesting') xrds((i) => `${server.url}/suggest/${i}`);
    else if (path === '/hanging-page') hold(req);
    else if (path.startsWith('/decline/') && req.method === 'POST') {
      associates.decline += 1;
      res.writeHead(400, { 'content-type': 'text/plain' }).end('error:associations are not offered here\n');
    } else if (path.startsWith('/suggest/') && req.method === 'POST') {
      // Declines every pair, suggesting another (§8.2.4): the negotiator retries once per endpoint.
      associates.suggest += 1;
      const suggestion = body.includes('HMAC-SHA256') ? 'assoc_type:HMAC-SHA1\nsession_type:DH-SHA1' : 'assoc_type:HMAC-SHA256\nsession_type:DH-SHA256';
      res.writeHead(400, { 'content-type': 'text/plain' }).end(`ns:${OPENID2_NS}\nerror:try another\nerror_code:unsupported-type\n${suggestion}\n`);
    } else if (path.startsWith('/silent/') && req.method === 'POST') {
      associates.silent += 1;
      hold(req);
    } else res.writeHead(404).end();
  });
});
afterAll(() => server.close());

/** The fetcher of the consumer, counting the associate requests (POSTs) it sends anywhere. */
function counting(): { fetcher: Fetcher; posts: () => number } {
  let posts = 0;
  return {
    fetcher: { fetch: (url, init) => ((posts += init?.method === 'POST' ? 1 : 0), fetcher.fetch(url, init)) },
    posts: () => posts,
  };
}

function consumer(options: { fetcher?: Fetcher; beginTimeoutMs?: number } = {}): Consumer {
  return new Consumer({ store: new MemoryStore(), fetcher, ...options });
}

async function beginError(promise: Promise<unknown>): Promise<DiscoveryError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(DiscoveryError);
  return error as DiscoveryError;
}

describe('17.2: endpoints tried per begin', () => {
  test('17.2: 1,000 endpoints whose OP declines to associate: 3 associate requests, and the login starts stateless at the first', async () => {
    const before = associates.decline;
    const auth = await consumer().begin(objectSession({}), `${server.url}/declining`);
    expect(associates.decline - before).toBe(3);
    expect([auth.endpoint.opEndpoint, auth.association]).toEqual([`${server.url}/decline/0`, undefined]);
  });

  test('17.2: 1,000 endpoints that decline with a suggested type: 3 associate requests in all, retries included', async () => {
    const before = associates.suggest;
    const auth = await consumer().begin(objectSession({}), `${server.url}/suggesting`);
    expect(associates.suggest - before).toBe(3);
    expect([auth.endpoint.opEndpoint, auth.association]).toEqual([`${server.url}/suggest/0`, undefined]);
  });

  test('17.2: 1,000 services of one endpoint each: the document is refused before any associate request', async () => {
    const before = associates.decline;
    await beginError(consumer().begin(objectSession({}), `${server.url}/one-per-service`));
    expect(associates.decline - before).toBe(0);
  });

  test('17.2: 1,000 endpoints at a closed port: 3 associate attempts, then endpoints_unreachable', async () => {
    const count = counting();
    const error = await beginError(consumer({ fetcher: count.fetcher }).begin(objectSession({}), `${server.url}/refused`));
    expect(error.reason).toBe('endpoints_unreachable');
    expect(count.posts()).toBe(3);
  });

  test('17.2: 1,000 endpoints at one URL: that URL is asked once', async () => {
    const before = associates.decline;
    await consumer().begin(objectSession({}), `${server.url}/same-url`);
    expect(associates.decline - before).toBe(1);
  });
});

describe('17.2: one deadline for begin', () => {
  test('17.2: 1,000 endpoints that never answer: begin fails at the deadline with begin_timeout, its requests aborted', async () => {
    const before = associates.silent;
    const held = silentClosed.length;
    const error = await beginError(consumer({ beginTimeoutMs: 300 }).begin(objectSession({}), `${server.url}/silent`));
    expect([error.reason, error.code]).toEqual(['begin_timeout', 'ERR_DISCOVERY']);
    expect(error.message).toMatch(/longer than 300 ms/);
    expect(associates.silent - before).toBeLessThanOrEqual(3);
    // The request in flight at the deadline was aborted: its connection closes (the fetcher's own timeout is far longer).
    await Promise.all(silentClosed.slice(held));
  });

  test('17.2: an identifier page that never answers: the deadline covers discovery too', async () => {
    const error = await beginError(consumer({ beginTimeoutMs: 300 }).begin(objectSession({}), `${server.url}/hanging-page`));
    expect(error.reason).toBe('begin_timeout');
  });

  test('17.2: an application fetcher that ignores the abort signal is not waited for', async () => {
    const never: Fetcher = { fetch: () => new Promise(() => undefined) };
    const error = await beginError(consumer({ fetcher: never, beginTimeoutMs: 200 }).beginWithOPEndpoint(objectSession({}), 'https://op.example/openid'));
    expect(error.reason).toBe('begin_timeout');
  });

  test.each([0, -1, 1.5, Number.NaN, '15000', 2 ** 31])('17.2: beginTimeoutMs %p is refused when the consumer is made', (value) => {
    expect(() => consumer({ beginTimeoutMs: value as number })).toThrow(OpenIDConfigError);
    expect(() => consumer({ beginTimeoutMs: value as number })).toThrow(/^beginTimeoutMs:/);
  });
});
