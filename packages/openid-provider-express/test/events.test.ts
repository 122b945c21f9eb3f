/**
 * 20.4: the provider's `onEvent`: associations made, signatures checked,
 * assertions issued or denied, interactions, setup needed and refused
 * requests, as structured objects without secrets.
 */
import { CookieClient } from 'openid-test-helpers';
import { Consumer, createFetcher, MemoryStore, objectSession, OPENID2_NS, type OpenIDEvent } from 'openid2-core';
import { startProvider, type TestProvider } from './app.js';

let provider: TestProvider;
const events: OpenIDEvent[] = [];

beforeAll(async () => {
  provider = await startProvider({ provider: { onEvent: (event) => events.push(event) } });
});
afterAll(() => provider.close());
beforeEach(() => {
  events.splice(0);
});

function checkidUrl(mode = 'checkid_setup', extra: Record<string, string> = {}): string {
  return `${provider.endpoint}?${new URLSearchParams({
    'openid.ns': OPENID2_NS,
    'openid.mode': mode,
    'openid.claimed_id': `${provider.base}/user/alice`,
    'openid.identity': `${provider.base}/user/alice`,
    'openid.return_to': 'http://rp.example/return?tx=secret-transaction',
    'openid.realm': 'http://rp.example/',
    ...extra,
  })}`;
}

async function post(args: URLSearchParams): Promise<string> {
  const response = await fetch(provider.endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: args });
  return response.text();
}

describe('20.4: provider events', () => {
  test('20.4: association made, assertion issued, signature checked (valid), never the handle, the signature or the return_to query', async () => {
    const userSession = objectSession({});
    const consumer = new Consumer({ store: new MemoryStore(), fetcher: createFetcher({ allowLoopback: true }) });
    const auth = await consumer.beginWithOPEndpoint(userSession, provider.endpoint);
    expect(events).toEqual([expect.objectContaining({ event: 'association_made', mode: 'associate', assocType: 'HMAC-SHA256' })]);
    events.splice(0);
    const answer = await new CookieClient().get(checkidUrl());
    const assertion = new URL(answer.location as string).searchParams;
    expect(events).toEqual([
      expect.objectContaining({ event: 'assertion_issued', mode: 'checkid_setup', identifier: `${provider.base}/user/alice`, realm: 'http://rp.example/', returnTo: 'http://rp.example/return' }),
    ]);
    const check = new URLSearchParams(assertion);
    check.set('openid.mode', 'check_authentication');
    expect(await post(check)).toContain('is_valid:true');
    expect(events[1]).toMatchObject({ event: 'signature_checked', reason: 'valid' });
    const logged = JSON.stringify(events);
    expect(logged).not.toContain(assertion.get('openid.sig') as string);
    expect(logged).not.toContain(assertion.get('openid.assoc_handle') as string);
    expect(logged).not.toContain('secret-transaction');
    expect(auth.association?.handle).toBeDefined();
    expect(logged).not.toContain(auth.association?.handle as string);
  });

  test('20.4: a forged check_authentication is reported invalid', async () => {
    await post(new URLSearchParams({ 'openid.ns': OPENID2_NS, 'openid.mode': 'check_authentication', 'openid.assoc_handle': 'x', 'openid.signed': 'mode', 'openid.sig': 'AAAA' }));
    expect(events).toEqual([expect.objectContaining({ event: 'signature_checked', reason: 'invalid' })]);
  });

  test('20.4: deny, interact and setup needed', async () => {
    provider.decide = () => ({ type: 'deny' });
    await new CookieClient().get(checkidUrl());
    provider.decide = () => ({ type: 'interact' });
    await new CookieClient().get(checkidUrl());
    await new CookieClient().get(checkidUrl('checkid_immediate'));
    expect(events.map((event) => event.event)).toEqual(['assertion_denied', 'interaction_started', 'setup_needed']);
    provider.decide = () => ({ type: 'allow' });
  });

  test('20.4: a refused request: request_failed with its reason and message', async () => {
    await new CookieClient().get(checkidUrl('checkid_setup', { 'openid.realm': 'http://elsewhere.example/' }));
    expect(events).toEqual([expect.objectContaining({ event: 'request_failed', reason: expect.any(String), message: expect.stringMatching(/realm|return_to/i) })]);
  });
});
