/** Bad input at the HTTP endpoint: always the answer the spec says, never a 500. */
import { OPENID2_NS, PAPE_1_0_NS } from 'openid2-core';
import { createConsumerSession, DEFAULT_DH_MODULUS, intToBase64, kvForm } from 'openid2-core/internals';
import express from 'express';
import request from 'supertest';
import { CookieClient, readForm } from 'openid-test-helpers';
import { openidProvider } from '../src/index.js';
import { MemoryStore } from 'openid2-core';
import { checkidParams, startProvider, type TestProvider } from './app.js';

let provider: TestProvider;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider.close());

const RETURN_TO = 'http://rp.example/return';

function checkid(extra: Record<string, string> = {}): URLSearchParams {
  return checkidParams(provider.base, { 'openid.return_to': RETURN_TO, ...extra });
}

async function direct(form: Record<string, string>): Promise<{ status: number; fields: Record<string, string> }> {
  const response = await new CookieClient().post(provider.endpoint, { 'openid.ns': OPENID2_NS, ...form });
  return { status: response.status, fields: { ...kvForm.parse(response.body) } };
}

describe('direct requests answer KV form errors with 400', () => {
  test.each([
    ['an unknown mode', { 'openid.mode': 'bogus' }],
    ['associate without a session type', { 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256' }],
    ['a DH public key of 0', { 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(0n) }],
    ['a DH public key of 1', { 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(1n) }],
    ['a DH public key of p − 1', { 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(DEFAULT_DH_MODULUS - 1n) }],
    ['a DH public key ≥ p', { 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(DEFAULT_DH_MODULUS + 2n) }],
    ['an oversized modulus', { 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(5n), 'openid.dh_modulus': intToBase64((1n << 8191n) + 1n) }],
    ['no-encryption over HTTP', { 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'no-encryption' }],
    ['check_authentication without a signature', { 'openid.mode': 'check_authentication', 'openid.assoc_handle': 'x' }],
  ])('%s', async (_name, form) => {
    const { status, fields } = await direct(form);
    expect(status).toBe(400);
    expect(fields.mode).toBe('error');
    expect(fields.error).toBeTruthy();
  });

  test('no-encryption over HTTP suggests a DH session (unsupported-type, §8.2.4)', async () => {
    const { fields } = await direct({ 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'no-encryption' });
    expect(fields).toMatchObject({ error_code: 'unsupported-type', assoc_type: 'HMAC-SHA256', session_type: 'DH-SHA256' });
  });

  test('17.8: dh_consumer_public=gA== (btwoc −128) gets an associate error, not an association', async () => {
    const { status, fields } = await direct({ 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': 'gA==' });
    expect(status).toBe(400);
    expect(fields.mode).toBe('error');
    expect(fields.error).toMatch(/negative/);
    expect(fields.assoc_handle).toBeUndefined();
    expect(fields.enc_mac_key).toBeUndefined();
  });

  test('a good associate works over POST', async () => {
    const session = createConsumerSession('DH-SHA256');
    const args = Object.fromEntries(Object.entries(session.requestArgs()).map(([k, v]) => [`openid.${k}`, v]));
    const { status, fields } = await direct({ 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', ...args });
    expect(status).toBe(200);
    expect(session.extractSecret(fields, 'HMAC-SHA256')).toHaveLength(32);
  });
});

describe('check_authentication', () => {
  async function statelessAssertion(handle?: string): Promise<URLSearchParams> {
    const hop = await new CookieClient().get(`${provider.endpoint}?${checkid(handle === undefined ? {} : { 'openid.assoc_handle': handle })}`);
    expect(hop.status).toBe(302);
    return new URL(hop.location as string).searchParams;
  }

  test('a replayed check says is_valid:false', async () => {
    const assertion = await statelessAssertion();
    assertion.set('openid.mode', 'check_authentication');
    expect((await direct(Object.fromEntries(assertion))).fields.is_valid).toBe('true');
    expect((await direct(Object.fromEntries(assertion))).fields.is_valid).toBe('false');
  });

  test('an expired or unknown handle gets a private association and invalidate_handle', async () => {
    const assertion = await statelessAssertion('{HMAC-SHA256}{old}{gone}');
    expect(assertion.get('openid.invalidate_handle')).toBe('{HMAC-SHA256}{old}{gone}');
    assertion.set('openid.mode', 'check_authentication');
    const { fields } = await direct(Object.fromEntries(assertion));
    expect(fields).toMatchObject({ is_valid: 'true', invalidate_handle: '{HMAC-SHA256}{old}{gone}' });
  });

  test('a shared-association signature is never confirmed', async () => {
    const session = createConsumerSession('DH-SHA256');
    const args = Object.fromEntries(Object.entries(session.requestArgs()).map(([k, v]) => [`openid.${k}`, v]));
    const { fields } = await direct({ 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', ...args });
    const assertion = await statelessAssertion(fields.assoc_handle);
    expect(assertion.get('openid.invalidate_handle')).toBeNull();
    assertion.set('openid.mode', 'check_authentication');
    expect((await direct(Object.fromEntries(assertion))).fields.is_valid).toBe('false');
  });

  test('a forged signature is not valid', async () => {
    const assertion = await statelessAssertion();
    assertion.set('openid.mode', 'check_authentication');
    assertion.set('openid.identity', `${provider.base}/user/mallory`);
    expect((await direct(Object.fromEntries(assertion))).fields.is_valid).toBe('false');
  });
});

describe('indirect requests', () => {
  test.each([
    ['a return_to outside the realm', { 'openid.realm': 'http://other.example/' }],
    ['a javascript: return_to', { 'openid.return_to': 'javascript:alert(1)', 'openid.realm': 'http://rp.example/' }],
    ['a return_to with CR/LF', { 'openid.return_to': 'http://rp.example/r\r\nSet-Cookie: a=b' }],
    ['a malformed realm', { 'openid.realm': 'http://rp.*.example/' }],
  ])('%s: an HTML error page (400), no redirect', async (_name, extra) => {
    const response = await new CookieClient().get(`${provider.endpoint}?${checkid(extra)}`);
    expect(response.status).toBe(400);
    expect(response.location).toBeUndefined();
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(response.body).not.toMatch(/<script>|javascript:alert/);
  });

  test('an insane realm: an error sent back to the (well-formed, in-realm) return_to', async () => {
    const response = await new CookieClient().get(`${provider.endpoint}?${checkid({ 'openid.realm': 'http://*.com/', 'openid.return_to': 'http://rp.com/return' })}`);
    expect(response.status).toBe(302);
    const location = new URL(response.location as string);
    expect(location.origin).toBe('http://rp.com');
    expect(location.searchParams.get('openid.mode')).toBe('error');
  });

  test('duplicate keys in the query are refused', async () => {
    const query = `${checkid()}&openid.identity=${encodeURIComponent(`${provider.base}/user/mallory`)}`;
    const response = await new CookieClient().get(`${provider.endpoint}?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatch(/more than once/);
  });

  test('a missing openid.mode gets an explanatory page; pages cannot be framed', async () => {
    const response = await new CookieClient().get(provider.endpoint);
    expect(response.status).toBe(400);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  test('the endpoint is its mount path only: other paths and methods go on to the app (404), HEAD gets headers only', async () => {
    for (const [method, url] of [
      ['PUT', provider.endpoint],
      ['DELETE', provider.endpoint],
      ['GET', `${provider.endpoint}/other?${checkid()}`],
      ['POST', `${provider.endpoint}/other`],
    ] as const) {
      const response = await fetch(url, { method, redirect: 'manual' });
      expect([method, url, response.status]).toEqual([method, url, 404]);
    }
    const trailing = await fetch(`${provider.endpoint}/?${checkid({ 'openid.mode': 'checkid_immediate' })}`, { redirect: 'manual' });
    expect(trailing.status).toBe(302);
    const head = await fetch(provider.endpoint, { method: 'HEAD' });
    expect(head.status).toBe(400);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(await head.text()).toBe('');
  });

  test('Content-Length counts UTF-8 bytes of the answer', async () => {
    const response = await fetch(provider.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ 'openid.ns': OPENID2_NS, 'openid.mode': 'bogus-é' }).toString(),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(400);
    expect(Number(response.headers.get('content-length'))).toBe(bytes.length);
    expect(bytes.length).toBeGreaterThan(bytes.toString('utf8').length);
    expect(kvForm.parse(bytes.toString('utf8'))).toMatchObject({ mode: 'error', error: expect.stringContaining('bogus-é') });
  });

  test('an oversized POST body is refused with 413, not a 500', async () => {
    const response = await new CookieClient().post(provider.endpoint, { 'openid.mode': 'associate', junk: 'x'.repeat(100 * 1024) });
    expect(response.status).toBe(413);
    // 18.3: the key-value error is core's errorResponse, the status the body parser's.
    expect(kvForm.parse(response.body)).toEqual({ ns: OPENID2_NS, mode: 'error', error: 'The request body is too large' });
  });

  test('18.3: PAPE auth_time from a Date goes through core\'s PapeResponse (§5.2 form, no fraction)', async () => {
    provider.decide = () => ({ type: 'allow', pape: { policies: [], authTime: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) } });
    const response = await new CookieClient()
      .get(`${provider.endpoint}?${checkid({ 'openid.ns.pape': PAPE_1_0_NS, 'openid.pape.preferred_auth_policies': '' })}`)
      .finally(() => {
        provider.decide = () => ({ type: 'allow' });
      });
    const assertion = new URL(response.location as string).searchParams;
    expect(assertion.get('openid.mode')).toBe('id_res');
    expect(assertion.get('openid.pape.auth_time')).toBe('2026-01-02T03:04:05Z');
    expect(assertion.get('openid.signed')?.split(',')).toContain('pape.auth_time');
  });
});

describe('the interaction round trip is protected', () => {
  async function pending(client: CookieClient): Promise<URLSearchParams> {
    provider.decide = () => ({ type: 'interact' });
    const hop = await client.get(`${provider.endpoint}?${checkid()}`);
    expect(hop.status).toBe(303);
    return readForm((await client.get(hop.location as string)).body).fields;
  }
  afterEach(() => {
    provider.decide = () => ({ type: 'allow' });
  });

  test('18.6: a wrong CSRF token is refused with 403 and its own page (a CsrfError, not "request not found")', async () => {
    const client = new CookieClient();
    const form = await pending(client);
    form.set('csrf', 'forged');
    form.set('approve', '1');
    const response = await client.post(`${provider.base}/login`, form);
    expect(response.status).toBe(403);
    expect(response.location).toBeUndefined();
    expect(response.body).toMatch(/Sign-in form not verified/);
    expect(response.body).toMatch(/CSRF token/);
  });

  test('another browser cannot finish the interaction', async () => {
    const form = await pending(new CookieClient());
    form.set('approve', '1');
    const response = await new CookieClient().post(`${provider.base}/login`, form);
    expect(response.status).toBe(400);
  });

  test('an interaction is single use', async () => {
    const client = new CookieClient();
    const form = await pending(client);
    form.set('approve', '1');
    expect((await client.post(`${provider.base}/login`, form)).status).toBe(302);
    expect((await client.post(`${provider.base}/login`, form)).status).toBe(400);
  });

  test('deny after interaction is a cancel', async () => {
    const client = new CookieClient();
    const form = await pending(client);
    const response = await client.post(`${provider.base}/login`, form);
    expect(new URL(response.location as string).searchParams.get('openid.mode')).toBe('cancel');
  });
});

describe('configuration', () => {
  test('options are validated when the router is made', () => {
    expect(() => openidProvider({} as never)).toThrow(/decide/);
    expect(() => openidProvider({ decide: async () => ({ type: 'deny' }), interactionUrl: '/login' } as never)).toThrow(/opEndpoint/);
    expect(() => openidProvider({ decide: async () => ({ type: 'deny' }), interactionUrl: '/login', opEndpoint: 'ftp://x/', store: new MemoryStore() })).toThrow(/opEndpoint/);
  });

  test('a missing session middleware is reported clearly', async () => {
    const app = express();
    app.use('/openid', openidProvider({ opEndpoint: 'http://127.0.0.1/openid', store: new MemoryStore(), decide: async () => ({ type: 'interact' }), interactionUrl: '/login' }));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(error.message);
    });
    const response = await request(app).get(`/openid?${checkid({ 'openid.claimed_id': 'http://127.0.0.1/u', 'openid.identity': 'http://127.0.0.1/u' })}`);
    expect(response.text).toMatch(/did you forget express-session/);
  });
});
