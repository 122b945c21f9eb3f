/**
 * 20.2: "back to where the user was". The returnTo of /login is kept with
 * the login in the session (never in a URL) and only same-origin relative
 * paths are accepted: every open-redirect class is refused before any
 * request is made.
 */
import { CookieClient, deliverIndirect, readForm } from 'openid-test-helpers';
import { isSafeReturnPath } from '../src/return-path.js';
import { loginToken, startOP, startRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
const opRequests: string[] = [];
let rp: Running;
let steamLike: Running;
const errors: unknown[] = [];

beforeAll(async () => {
  op = await startOP({ requests: opRequests });
  rp = await startRP({ errors });
  steamLike = await startRP({ errors, opIdentifier: `${op.base}/` });
});
afterAll(async () => {
  await rp.close();
  await steamLike.close();
  await op.close();
});
afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

/** Signs in through the app's form with `returnTo`; the last redirect of the relying party. */
async function signInWith(returnTo: string, client = new CookieClient()): Promise<{ start: string; final: string | undefined }> {
  const start = await client.post(`${rp.base}/openid/login`, { openid_identifier: `${op.base}/user/alice`, openid_csrf: await loginToken(rp, client), returnTo });
  expect(start.status).toBe(303);
  const location = start.location as string;
  if (!location.startsWith(op.base)) return { start: location, final: location };
  const atOp = await client.get(location, true);
  const { response } = await deliverIndirect(client, atOp, location);
  return { start: location, final: response.location };
}

const HOSTILE: ReadonlyArray<[string, string]> = [
  ['an absolute URL', 'https://evil.example/'],
  ['a scheme-relative URL', '//evil.example/path'],
  ['a slash and a backslash', '/\\evil.example'],
  ['two backslashes', '\\\\evil.example'],
  ['a backslash inside', '/ok\\..\\..\\evil'],
  ['a javascript: URL', 'javascript:alert(1)'],
  ['a data: URL', 'data:text/html,<script>alert(1)</script>'],
  ['a scheme without slashes', 'http:evil.example'],
  ['a relative path without slash', 'evil.example/path'],
  ['a leading space', ' /path'],
  ['a tab after the slash (browsers drop it: //evil)', '/\t/evil.example'],
  ['CR LF (header injection)', '/path\r\nSet-Cookie: a=b'],
  ['a NUL byte', '/path\u0000'],
  ['an ideographic space', '/\u3000/evil.example'],
  ['encoded slashes', '/%2F%2Fevil.example'],
  ['an encoded second slash', '/%2Fevil.example'],
  ['an encoded backslash', '/%5Cevil.example'],
  ['double-encoded slashes', '/%252F%252Fevil.example'],
  ['encoded CR LF', '/path%0D%0ASet-Cookie:%20a=b'],
  ['encoded tab', '/%09/evil.example'],
  ['broken percent-encoding', '/%E0%A4%A'],
  ['a very long path', `/${'a'.repeat(5000)}`],
];

describe('20.2: returnTo accepts only same-origin relative paths', () => {
  test.each(HOSTILE)('20.2: %s is refused by the rule', (_name, value) => {
    expect(isSafeReturnPath(value)).toBe(false);
  });

  test.each(['/', '/account/settings?tab=profile#email', '/a%20b/c', '/caf%C3%A9', '/search?q=a%2Fb'])('20.2: %s is accepted', (value) => {
    expect(isSafeReturnPath(value)).toBe(true);
  });

  test.each(HOSTILE)('20.2: /login with %s as returnTo is refused with invalid_return_to before any request to the OP', async (_name, value) => {
    opRequests.splice(0);
    const { start } = await signInWith(value);
    expect(start).toBe(`${rp.base}/failed?openid_error=invalid_return_to`);
    expect(opRequests).toEqual([]);
  });
});

describe('20.2: after sign-in, back to where the user was', () => {
  test('20.2: a login with returnTo ends at that path, which never appears in the URL sent to the OP', async () => {
    const client = new CookieClient();
    const { start, final } = await signInWith('/account/settings?tab=profile', client);
    expect(start).not.toContain('account');
    expect(start).not.toContain('returnTo');
    expect(final).toBe(`${rp.base}/account/settings?tab=profile`);
    expect(JSON.parse((await client.get(`${rp.base}/me`)).body)).toMatchObject({ claimedId: `${op.base}/user/alice` });
  });

  test('20.2: without returnTo, successRedirect', async () => {
    expect((await signInWith('')).final).toBe(`${rp.base}/me`);
  });

  test('20.2: the OP identifier button (a GET link) takes a returnTo too', async () => {
    const client = new CookieClient();
    const start = await client.get(`${steamLike.base}/openid/login?returnTo=${encodeURIComponent('/basket')}`);
    expect(start.status).toBe(303);
    const atOp = await client.get(start.location as string, true);
    const { response } = await deliverIndirect(client, atOp, start.location as string);
    expect(response.location).toBe(`${steamLike.base}/basket`);
  });

  test('20.2: a returnTo is used once: replaying the answer does not reuse it', async () => {
    const client = new CookieClient();
    const start = await client.post(`${rp.base}/openid/login`, { openid_identifier: `${op.base}/user/alice`, openid_csrf: await loginToken(rp, client), returnTo: '/once' });
    const atOp = await client.get(start.location as string, true);
    const { response, url } = await deliverIndirect(client, atOp, start.location as string);
    expect(response.location).toBe(`${rp.base}/once`);
    let again = await client.get(url);
    // The session no longer holds the transaction: the answer is first sent again from this site (resubmit.ts), then refused.
    if (again.status === 200) {
      const form = readForm(again.body);
      again = await client.get(`${rp.base}${form.action}?${form.fields.toString()}`);
    }
    expect(again.location).toMatch(/\/failed\?openid_error=/);
  });
});
