/**
 * 20.7: only what is used is required. A provider that never interacts
 * needs no interactionUrl (an interact decision without one is answered
 * with an error and reported), and with the `session` option direct
 * requests (associate, check_authentication) make no session at all.
 */
import session from 'express-session';
import { CookieClient } from 'openid-test-helpers';
import { Consumer, createFetcher, MemoryStore, objectSession, OPENID2_NS, type OpenIDEvent } from 'openid2-core';
import { checkidParams, startProvider, type TestProvider } from './app.js';

/** A checkid_setup URL at the provider for alice. */
function checkidUrl(provider: TestProvider, realm = 'http://rp.example/'): string {
  return `${provider.endpoint}?${checkidParams(provider.base, { 'openid.return_to': `${realm}return`, 'openid.realm': realm })}`;
}

/** The number of sessions a store holds. */
function count(store: session.MemoryStore): Promise<number> {
  return new Promise((resolve, reject) => store.length((error, length) => (error ? reject(error) : resolve(length ?? 0))));
}

/** An associate request (through openid2-core's consumer) and a check_authentication request, both direct. */
async function directRequests(provider: TestProvider): Promise<void> {
  const userSession = objectSession({});
  const consumer = new Consumer({ store: new MemoryStore(), fetcher: createFetcher({ allowLoopback: true }) });
  const auth = await consumer.beginWithOPEndpoint(userSession, provider.endpoint);
  expect(auth.association).toBeDefined();
  const response = await fetch(provider.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'openid.ns': OPENID2_NS, 'openid.mode': 'check_authentication', 'openid.assoc_handle': 'x', 'openid.signed': 'mode', 'openid.sig': 'AAAA' }),
  });
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('set-cookie')).toBeNull();
}

describe('20.7: the session option runs express-session for indirect requests only', () => {
  test('20.7: associate and check_authentication create no session and set no cookie; a checkid request does', async () => {
    const sessions = new session.MemoryStore();
    const provider = await startProvider({
      withSession: false,
      provider: { session: session({ secret: 'op', resave: false, saveUninitialized: true, store: sessions, name: 'op.sid' }) },
    });
    try {
      await directRequests(provider);
      expect(await count(sessions)).toBe(0);
      provider.decide = () => ({ type: 'interact' });
      const client = new CookieClient();
      const checkid = await client.get(checkidUrl(provider));
      expect(checkid.status).toBe(303);
      expect(client.cookie(provider.base, 'op.sid')).toBeDefined();
      expect(await count(sessions)).toBe(1);
    } finally {
      await provider.close();
    }
  });

  test('20.7: for comparison, express-session mounted before the router makes a session for every direct request', async () => {
    const sessions = new session.MemoryStore();
    const before = await startProvider({
      withSession: false,
      prepare: (app) => app.use(session({ secret: 'op', resave: false, saveUninitialized: true, store: sessions, name: 'op.sid' })),
    });
    try {
      const response = await fetch(before.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ 'openid.ns': OPENID2_NS, 'openid.mode': 'check_authentication', 'openid.assoc_handle': 'x', 'openid.signed': 'mode', 'openid.sig': 'AAAA' }),
      });
      expect(response.headers.get('set-cookie')).not.toBeNull();
      expect(await count(sessions)).toBe(1);
    } finally {
      await before.close();
    }
  });
});

describe('20.7: interactionUrl is needed only by interact decisions', () => {
  test('20.7: a provider without interactionUrl that never interacts signs in', async () => {
    const provider = await startProvider({ provider: { interactionUrl: undefined } });
    try {
      const answer = await new CookieClient().get(checkidUrl(provider));
      expect(new URL(answer.location as string).searchParams.get('openid.mode')).toBe('id_res');
    } finally {
      await provider.close();
    }
  });

  test('20.7: an interact decision without a url and without interactionUrl: an error answer to the relying party and an event naming the reason', async () => {
    const events: OpenIDEvent[] = [];
    const provider = await startProvider({ provider: { interactionUrl: undefined, onEvent: (event) => events.push(event) } });
    provider.decide = () => ({ type: 'interact' });
    try {
      const answer = await new CookieClient().get(checkidUrl(provider));
      expect(answer.location?.startsWith('http://rp.example/return?')).toBe(true);
      expect(new URL(answer.location as string).searchParams.get('openid.mode')).toBe('error');
      expect(events).toEqual([expect.objectContaining({ event: 'request_failed', reason: 'interaction_url_missing' })]);
    } finally {
      await provider.close();
    }
  });

  test('20.7: an interact decision with its own url needs no interactionUrl', async () => {
    const provider = await startProvider({ provider: { interactionUrl: undefined } });
    provider.decide = () => ({ type: 'interact', url: '/consent' });
    try {
      const answer = await new CookieClient().get(checkidUrl(provider));
      expect(answer.location).toMatch(/\/consent\?interaction=/);
    } finally {
      await provider.close();
    }
  });
});
