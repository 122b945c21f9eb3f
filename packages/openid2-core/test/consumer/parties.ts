/**
 * The parties of the consumer tests: a relying party (consumer, store,
 * session) and a stand-in OP that answers check_authentication however a
 * test wants and counts every request it gets (an attacker's provider).
 */
import { startServer, type TestServer } from 'openid-test-helpers';
import { Consumer } from '../../src/consumer/consumer.js';
import type { ConsumerOptions } from '../../src/consumer/consumer-config.js';
import { objectSession, type ConsumerSessionStore } from '../../src/consumer/session.js';
import type { CompletionResult, FailureReason } from '../../src/consumer/result.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { OPENID2_NS, OPENID_2_0_TYPE } from '../../src/constants.js';
import { startOP, type TestOP } from './op.js';

export const RP = 'http://rp.example/return';
export const REALM = 'http://rp.example/';
export const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 });

export interface Party {
  consumer: Consumer;
  store: MemoryStore | undefined;
  /** The user's session as the app holds it (express-session's req.session). */
  session: Record<string, unknown>;
  /** The same session as the consumer's calls take it. */
  sessionStore: ConsumerSessionStore;
}

/** A relying party with its own session; with a memory store unless `withStore: false`. */
export function party(options: Partial<ConsumerOptions> & { withStore?: boolean } = {}): Party {
  const { withStore, ...rest } = options;
  const store = withStore === false ? undefined : ((rest.store as MemoryStore | undefined) ?? new MemoryStore());
  const session: Record<string, unknown> = {};
  return { consumer: new Consumer({ fetcher, ...rest, store }), store, session, sessionStore: objectSession(session) };
}

/** Begins a login and returns the return_to the OP will answer to (with the transaction id). */
export async function returnToFor(rp: Party, identifier: string, returnTo = RP): Promise<string> {
  const auth = await rp.consumer.begin(rp.sessionStore, identifier);
  return auth.returnToWithTransaction(returnTo);
}

/** begin → the real OP's redirect → the URL the browser lands on. */
export async function assertionUrl(rp: Party, identifier: string, options: { immediate?: boolean; returnTo?: string } = {}): Promise<string> {
  const auth = await rp.consumer.begin(rp.sessionStore, identifier);
  const response = await fetch(auth.redirectUrl(REALM, options.returnTo ?? RP, { immediate: options.immediate ?? false }), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location') as string;
}

/** Completes with a GET assertion at its own URL. */
export function complete(rp: Party, url: string): Promise<CompletionResult> {
  return rp.consumer.complete(rp.sessionStore, new URL(url).searchParams, url);
}

export function expectFailure(result: CompletionResult, reason: FailureReason): void {
  expect(result).toMatchObject({ status: 'failure', reason });
  if (result.status === 'failure') expect(result.message.length).toBeGreaterThan(10);
}

export interface StandIn {
  base: string;
  endpoint: string;
  http: TestServer;
  /** What check_authentication gets (with extra headers, such as a redirect's location). */
  reply: { status: number; body: string; headers?: Record<string, string> };
  /** The last check_authentication request: its form fields and headers. */
  lastCheck: { fields: URLSearchParams; headers: Record<string, string | string[] | undefined> } | undefined;
  close(): Promise<void>;
}

/**
 * An OP that never signs anything yet answers check_authentication with
 * `reply` (by default `is_valid:true`): an attacker's provider. Its
 * `/user/<name>` pages name its own endpoint.
 */
export async function startStandIn(): Promise<StandIn> {
  const stand = { reply: { status: 200, body: `ns:${OPENID2_NS}\nis_valid:true\n` } } as StandIn;
  stand.http = await startServer((req, res, body) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/openid' && req.method === 'POST') {
      stand.lastCheck = { fields: new URLSearchParams(body), headers: req.headers };
      res.writeHead(stand.reply.status, { 'content-type': 'text/plain', ...stand.reply.headers }).end(stand.reply.body);
    } else if (path.startsWith('/user/')) {
      const xrds = `<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service><Type>${OPENID_2_0_TYPE}</Type><URI>${stand.endpoint}</URI></Service></XRD></xrds:XRDS>`;
      res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrds);
    } else {
      res.writeHead(404).end();
    }
  });
  stand.base = stand.http.url;
  stand.endpoint = `${stand.base}/openid`;
  stand.close = () => stand.http.close();
  return stand;
}

/**
 * The honest OP and a stand-in (an attacker's provider, or one whose
 * check_authentication answer a test scripts), started before a file's tests
 * and closed after them; `use` receives both once they run.
 */
export function withOPAndStandIn(use: (started: { op: TestOP; standIn: StandIn }) => void): void {
  let started: { op: TestOP; standIn: StandIn } | undefined;
  beforeAll(async () => {
    started = { op: await startOP(), standIn: await startStandIn() };
    use(started);
  });
  afterAll(async () => {
    await started?.op.close();
    await started?.standIn.close();
  });
}
