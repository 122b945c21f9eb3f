/**
 * URLs built from the request: behind a proxy with `trust proxy`, under
 * any mount point, and with X-Forwarded-* ignored from untrusted peers.
 */
import { CookieClient } from 'openid-test-helpers';
import { loginToken, signIn, startOP, startRP, type Running } from './apps.js';

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
    const rp = await startRP({ noBaseUrl: true, prepare: (app) => app.set('trust proxy', 'loopback') });
    try {
      const url = await loginRequest(rp, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'rp.example' });
      expect(url.searchParams.get('openid.realm')).toBe('https://rp.example/');
      expect(url.searchParams.get('openid.return_to')).toMatch(/^https:\/\/rp\.example\/openid\/return\?openid_tx=/);
    } finally {
      await rp.close();
    }
  });

  test('without trust proxy, the forwarded headers are ignored', async () => {
    const rp = await startRP({ noBaseUrl: true });
    try {
      const url = await loginRequest(rp, { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' });
      expect(url.searchParams.get('openid.realm')).toBe(`${rp.base}/`);
      expect(url.searchParams.get('openid.return_to')?.startsWith(`${rp.base}/openid/return?`)).toBe(true);
    } finally {
      await rp.close();
    }
  });

  test('an explicit realm and baseUrl win over the request', async () => {
    const rp = await startRP({ baseUrl: 'https://rp.example/openid', realm: 'https://rp.example/' });
    try {
      const url = await loginRequest(rp, {});
      expect(url.searchParams.get('openid.realm')).toBe('https://rp.example/');
      expect(url.searchParams.get('openid.return_to')).toMatch(/^https:\/\/rp\.example\/openid\/return\?/);
    } finally {
      await rp.close();
    }
  });
});

describe('mount points', () => {
  test('a full login under a nested mount point, URLs from the request', async () => {
    const rp = await startRP({ noBaseUrl: true, mount: '/auth/openid' });
    try {
      const { final, me } = await signIn(rp, `${op.base}/user/alice`, new CookieClient(), '/auth/openid');
      expect(final).toBe(`${rp.base}/me`);
      expect(me).toMatchObject({ claimedId: `${op.base}/user/alice` });
    } finally {
      await rp.close();
    }
  });
});
