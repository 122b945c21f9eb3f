/**
 * 20.4: the relying party's `onEvent`: one structured object per step
 * (login started, discovery, association made or reused, success, each
 * failure with its reason and cause chain), no secrets, and failure reasons
 * the user can act on; the OP identifier button's failure does not speak of
 * "that identifier".
 */
import { CookieClient, startServer, type TestServer } from 'openid-test-helpers';
import { createFetcher, MemoryStore, type OpenIDEvent } from 'openid2-core';
import type { ConsumerFailure } from '../src/index.js';
import { postLogin, signIn, startOP, startRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
let rp: Running;
let hanging: TestServer;
const events: OpenIDEvent[] = [];
const failures: ConsumerFailure[] = [];

beforeAll(async () => {
  op = await startOP();
  rp = await startRP({ store: new MemoryStore(), onEvent: (event) => events.push(event) });
  hanging = await startServer(() => new Promise<void>(() => undefined));
});
afterAll(async () => {
  await rp.close();
  await op.close();
  await hanging.close();
});
beforeEach(() => {
  events.splice(0);
  failures.splice(0);
});

const names = (): string[] => events.map((event) => event.event);

describe('20.4: events of a login', () => {
  test('20.4: started, discovery, association made then reused, success, with durations and endpoints', async () => {
    const identifier = `${op.base}/user/alice`;
    await signIn(rp, identifier);
    expect(names()).toEqual(['login_started', 'discovery_succeeded', 'association_made', 'login_succeeded']);
    expect(events[0]).toMatchObject({ identifier, immediate: false });
    expect(events[1]).toMatchObject({ identifier, opEndpoint: op.endpoint, version: '2.0' });
    expect(events[2]).toMatchObject({ opEndpoint: op.endpoint, assocType: 'HMAC-SHA256' });
    expect(events[3]).toMatchObject({ identifier, opEndpoint: op.endpoint });
    expect(typeof events[3]?.durationMs).toBe('number');
    events.splice(0);
    await signIn(rp, identifier);
    expect(names()).toEqual(['login_started', 'discovery_succeeded', 'association_reused', 'login_succeeded']);
  });

  test('20.4: no secrets: no association handle, no signature, no session cookie, no return_to query', async () => {
    const client = new CookieClient();
    const start = await postLogin(rp, client, `${op.base}/user/alice`);
    const handle = new URL(start.location as string).searchParams.get('openid.assoc_handle') as string;
    const transaction = new URL(new URL(start.location as string).searchParams.get('openid.return_to') as string).search;
    await signIn(rp, `${op.base}/user/alice`, client);
    const logged = JSON.stringify(events);
    expect(handle).not.toBe('');
    expect(logged).not.toContain(handle);
    expect(logged).not.toContain('openid.sig');
    expect(logged).not.toContain(transaction.slice(1));
    expect(logged).not.toContain(client.cookie(rp.base, 'rp.sid') as string);
  });

  test('20.4: a failed login: its reason, the identifier and the cause chain with codes', async () => {
    await postLogin(rp, new CookieClient(), 'http://127.0.0.1:1/nobody');
    expect(names()).toEqual(['login_started', 'login_failed']);
    const failed = events[1] as OpenIDEvent;
    expect(failed).toMatchObject({ reason: 'unreachable', identifier: 'http://127.0.0.1:1/nobody' });
    expect(failed.cause?.[0]).toMatchObject({ name: 'DiscoveryError', code: 'ERR_DISCOVERY' });
    expect(failed.cause?.some((entry) => entry.code === 'ERR_FETCH' && entry.reason === 'connection')).toBe(true);
  });

  test('20.4: a refused assertion is a login_failed event with the verification reason', async () => {
    const client = new CookieClient();
    await client.get(`${rp.base}/openid/return?openid.ns=http%3A%2F%2Fspecs.openid.net%2Fauth%2F2.0&openid.mode=id_res`);
    expect(events).toEqual([expect.objectContaining({ event: 'login_failed', reason: 'unsolicited_assertion' })]);
  });

  test('20.4: a logger that throws does not break the login', async () => {
    const noisy = await startRP({ onEvent: () => {
      throw new Error('logger down');
    } });
    try {
      expect((await signIn(noisy, `${op.base}/user/alice`)).me).toMatchObject({ claimedId: `${op.base}/user/alice` });
    } finally {
      await noisy.close();
    }
  });
});

describe('20.4: reasons the user can act on', () => {
  let reasons: Running;
  let button: Running;
  beforeAll(async () => {
    const onFailure = (_req: unknown, res: { redirect(status: number, url: string): void }, result: ConsumerFailure): void => {
      failures.push(result);
      res.redirect(303, '/failed');
    };
    reasons = await startRP({ onFailure, fetcher: createFetcher({ allowPrivateAddresses: true, timeoutMs: 500 }) });
    button = await startRP({ onFailure, opIdentifier: 'http://127.0.0.1:1/' });
  });
  afterAll(async () => {
    await reasons.close();
    await button.close();
  });

  test.each<[string, string, () => string]>([
    ['a closed port', 'unreachable', () => 'http://127.0.0.1:1/nobody'],
    ['a 404 page (a typo)', 'no_openid_service', () => `${op.base}/no/such/page`],
    ['a page without OpenID links', 'no_openid_service', () => `${reasons.base}/form`],
    ['a host that never answers', 'timeout', () => `${hanging.url}/user`],
    ['an XRI', 'xri_unsupported', () => '=example'],
    ['not an identifier', 'invalid_identifier', () => 'javascript:alert(1)'],
  ])('20.4: %s → %s', async (_name, reason, identifier) => {
    await postLogin(reasons, new CookieClient(), identifier());
    expect(failures).toEqual([expect.objectContaining({ status: 'failure', reason })]);
    if (reason !== 'xri_unsupported') expect((failures[0] as { message: string }).message).toContain(identifier());
  });

  test('20.4: the OP identifier button\'s failure does not speak of an identifier the user never typed', async () => {
    const client = new CookieClient();
    await client.get(`${button.base}/openid/login`);
    expect(failures).toEqual([expect.objectContaining({ reason: 'unreachable' })]);
    const { message } = failures[0] as { message: string };
    expect(message).toBe('The sign-in service could not be reached. Try again later.');
    expect(message).not.toMatch(/identifier/i);
  });
});
