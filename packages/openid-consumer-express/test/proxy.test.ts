/**
 * URLs built from the request: behind a proxy with `trust proxy`, under
 * any mount point, and with X-Forwarded-* ignored from untrusted peers.
 */
import { CookieClient } from 'openid-test-helpers';
import { loginToken, signIn, startOP, withRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

/** The app's form posted with these headers (and this browser's session cookie and token, read without them). */
async function loginRequest(rp: Running, headers: Record<string, string>): Promise<URL> {
  const client = new CookieClient();
  const token = await loginToken(rp, client);
  const response = await fetch(`${rp.base}/openid/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `rp.sid=${client.cookie(rp.base, 'rp.sid') ?? ''}`, ...headers },
    body: new URLSearchParams({ openid_identifier: `${op.base}/user/alice`, openid_csrf: token }),
    redirect: 'manual',
  });
  expect(response.status).toBe(303);
  return new URL(response.headers.get('location') as string);
}

describe('behind a proxy', () => {
  test('with trust proxy, return_to and realm come from X-Forwarded-Proto and X-Forwarded-Host', async () => {
    await withRP({ noBaseUrl: true, prepare: (app) => app.set('trust proxy', 'loopback') }, async (rp) => {
      const url = await loginRequest(rp, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'rp.example' });
      expect(url.searchParams.get('openid.realm')).toBe('https://rp.example/');
      expect(url.searchParams.get('openid.return_to')).toMatch(/^https:\/\/rp\.example\/openid\/return\?openid_tx=/);
    });
  });

  test('without trust proxy, the forwarded headers are ignored', async () => {
    await withRP({ noBaseUrl: true }, async (rp) => {
      const url = await loginRequest(rp, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' });
      expect(url.searchParams.get('openid.realm')).toBe(`${rp.base}/`);
      expect(url.searchParams.get('openid.return_to')?.startsWith(`${rp.base}/openid/return?`)).toBe(true);
    });
  });

  test('an explicit realm and baseUrl win over the request', async () => {
    await withRP({ baseUrl: 'https://rp.example/openid', realm: 'https://rp.example/' }, async (rp) => {
      const url = await loginRequest(rp, {});
      expect(url.searchParams.get('openid.realm')).toBe('https://rp.example/');
      expect(url.searchParams.get('openid.return_to')).toMatch(/^https:\/\/rp\.example\/openid\/return\?/);
    });
  });
});

describe('mount points', () => {
  test('a full login under a nested mount point, URLs from the request', async () => {
    await withRP({ noBaseUrl: true, mount: '/auth/openid' }, async (rp) => {
      const { final, me } = await signIn(rp, `${op.base}/user/alice`, new CookieClient(), '/auth/openid');
      expect(final).toBe(`${rp.base}/me`);
      expect(me).toMatchObject({ claimedId: `${op.base}/user/alice` });
    });
  });
});
