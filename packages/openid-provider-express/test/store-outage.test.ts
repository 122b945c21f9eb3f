/**
 * The provider's store goes away: every request gets the protocol's error
 * answer (key-value to a direct request, an indirect error to the relying
 * party's return_to), and the event says store_error; nothing reaches the
 * app's error handler and nothing is signed.
 */
import { MemoryStore, OPENID2_NS, StoreError, type OpenIDEvent } from 'openid2-core';
import { intToBase64 } from 'openid2-core/internals';
import { CookieClient, readForm } from 'openid-test-helpers';
import { checkidParams, startProvider, type TestProvider } from './app.js';

/** A store whose database is out of reach. */
class UnreachableStore extends MemoryStore {
  override storeAssociation(): Promise<void> {
    return Promise.reject(new StoreError('connection refused'));
  }
  override getAssociation(): Promise<undefined> {
    return Promise.reject(new StoreError('connection refused'));
  }
  override useNonce(): Promise<boolean> {
    return Promise.reject(new StoreError('connection refused'));
  }
}

let provider: TestProvider;
const events: OpenIDEvent[] = [];
beforeAll(async () => {
  provider = await startProvider({ provider: { store: new UnreachableStore(), onEvent: (event) => events.push(event) } });
});
afterAll(() => provider.close());
beforeEach(() => {
  events.length = 0;
});

function kv(body: string): Record<string, string> {
  return Object.fromEntries(body.trim().split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
}

test('check_authentication: a key-value error, not a 503 from the error handler', async () => {
  const response = await fetch(provider.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      'openid.ns': OPENID2_NS,
      'openid.mode': 'check_authentication',
      'openid.op_endpoint': provider.endpoint,
      'openid.claimed_id': `${provider.base}/user/alice`,
      'openid.identity': `${provider.base}/user/alice`,
      'openid.return_to': 'http://rp.example/return',
      'openid.response_nonce': `${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}abc`,
      'openid.assoc_handle': 'some-handle',
      'openid.signed': 'op_endpoint,claimed_id,identity,return_to,response_nonce,assoc_handle',
      'openid.sig': Buffer.alloc(32).toString('base64'),
    }),
  });
  expect(response.status).toBe(400);
  const answer = kv(await response.text());
  expect(answer).toMatchObject({ ns: OPENID2_NS, mode: 'error', error: 'The provider is unavailable at the moment; try again later.' });
  expect(answer).not.toHaveProperty('is_valid');
  expect(events.at(-1)).toMatchObject({ event: 'request_failed', reason: 'store_error', direct: true });
  expect(events.at(-1)?.cause).toEqual([expect.objectContaining({ name: 'StoreError', message: 'connection refused' })]);
});

test('associate: a key-value error without a key (the relying party goes on without an association)', async () => {
  const response = await fetch(provider.endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(2n) }),
  });
  expect(response.status).toBe(400);
  const answer = kv(await response.text());
  expect(answer).toMatchObject({ mode: 'error', error: 'The provider is unavailable at the moment; try again later.' });
  expect(Object.keys(answer).filter((key) => /mac_key|assoc_handle|dh_server_public/.test(key))).toEqual([]);
  expect(events.at(-1)).toMatchObject({ event: 'request_failed', reason: 'store_error' });
});

test('checkid_setup allowed by the app: an indirect error to return_to, nothing signed', async () => {
  const response = await fetch(`${provider.endpoint}?${checkidParams(provider.base)}`, { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = new URL(response.headers.get('location') as string);
  expect(`${location.origin}${location.pathname}`).toBe('http://rp.example/return');
  expect(location.searchParams.get('openid.mode')).toBe('error');
  expect(location.searchParams.get('openid.error')).toBe('The provider is unavailable at the moment; try again later.');
  expect(location.searchParams.has('openid.sig')).toBe(false);
  expect(events.find((event) => event.event === 'request_failed')).toMatchObject({ reason: 'store_error', direct: false });
});

test('checkid answered after the login page (resume): the same indirect error, not the error handler', async () => {
  provider.decide = () => ({ type: 'interact' });
  try {
    const client = new CookieClient();
    const hop = await client.get(`${provider.endpoint}?${checkidParams(provider.base)}`);
    expect(hop.status).toBe(303);
    const form = readForm((await client.get(hop.location as string)).body).fields;
    form.set('approve', '1');
    const approved = await client.post(`${provider.base}/login`, form);
    expect(approved.status).toBe(302);
    const location = new URL(approved.location as string);
    expect(`${location.origin}${location.pathname}`).toBe('http://rp.example/return');
    expect(location.searchParams.get('openid.mode')).toBe('error');
    expect(location.searchParams.has('openid.sig')).toBe(false);
    expect(events.find((event) => event.event === 'request_failed')).toMatchObject({ reason: 'store_error' });
  } finally {
    provider.decide = (context) => ({ type: 'allow', ...(context.request.idSelect ? { identity: `${provider.base}/user/alice` } : {}) });
  }
});
