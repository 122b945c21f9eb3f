/**
 * Login CSRF at /login (issue 17.1): another site's form or link carrying
 * the attacker's identifier must not start a login in the victim's session.
 * The attacker's OP records every request it gets: a refused login reaches
 * it not even for discovery.
 */
import { CookieClient, deliverIndirect } from 'openid-test-helpers';
import type { ConsumerFailure } from '../src/index.js';
import { loginToken, signIn, startOP, startRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
let attacker: Running & { endpoint: string };
const attackerRequests: string[] = [];
let rp: Running;
const errors: unknown[] = [];
let mallory: string;

beforeAll(async () => {
  op = await startOP();
  attacker = await startOP({ requests: attackerRequests });
  rp = await startRP({ errors });
  mallory = `${attacker.base}/user/mallory`;
});
afterAll(async () => {
  await rp.close();
  await op.close();
  await attacker.close();
});
afterEach(() => {
  // No refusal here goes to the app's error handler, and the attacker's OP never hears of the victim.
  expect(errors.splice(0)).toEqual([]);
  expect(attackerRequests.splice(0)).toEqual([]);
});

const EVIL = 'http://evil.example';

/** A POST to /login as a browser sends it: the headers given, the victim's session cookie when it goes along. */
async function post(client: CookieClient | undefined, form: Record<string, string> | URLSearchParams, headers: Record<string, string> = {}, base = rp.base, query = ''): Promise<Response> {
  const cookie = client?.cookie(base, 'rp.sid');
  return fetch(`${base}/openid/login${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie === undefined ? {} : { cookie: `rp.sid=${cookie}` }), ...headers },
    body: new URLSearchParams(form),
    redirect: 'manual',
  });
}

async function signedInAs(client: CookieClient): Promise<unknown> {
  return JSON.parse((await client.get(`${rp.base}/me`)).body || 'null');
}

async function expectRefused(response: Response): Promise<void> {
  expect(response.status).toBe(403);
  expect(response.headers.get('location')).toBeNull();
  const body = await response.text();
  expect(body).toContain('csrf_failed');
  expect(body).toContain('/failed?openid_error=csrf_failed');
}

describe('17.1: a login with a typed identifier needs this site\'s form', () => {
  test.each([
    ['a modern browser (Sec-Fetch-Site, Origin), cookie withheld (SameSite=Lax)', false, { 'sec-fetch-site': 'cross-site', origin: EVIL }],
    ['a modern browser, cookie sent (SameSite=None)', true, { 'sec-fetch-site': 'cross-site', origin: EVIL }],
    ['a browser sending only Origin', true, { origin: EVIL }],
    ['a browser sending neither header', true, {}],
  ])('17.1: a cross-site form POST with the attacker\'s identifier never reaches the attacker\'s OP, never signs in (%s)', async (_name, withCookie, headers) => {
    const victim = new CookieClient();
    await loginToken(rp, victim);
    await expectRefused(await post(withCookie ? victim : undefined, { openid_identifier: mallory }, headers));
    expect(await signedInAs(victim)).toBeNull();
  });

  test.each([
    ['the identifier', false],
    ['the identifier and the victim\'s own token', true],
  ])('17.1: a cross-site GET link with %s is refused, never followed', async (_name, withToken) => {
    const victim = new CookieClient();
    const token = await loginToken(rp, victim);
    const query = new URLSearchParams({ openid_identifier: mallory });
    if (withToken) query.set('openid_csrf', token);
    const response = await victim.get(`${rp.base}/openid/login?${query.toString()}`, true);
    expect(response.status).toBe(403);
    expect(response.body).toContain('csrf_failed');
    expect(await signedInAs(victim)).toBeNull();
  });

  test('17.1: a POST naming the identifier in its query is refused too', async () => {
    const victim = new CookieClient();
    const token = await loginToken(rp, victim);
    await expectRefused(await post(victim, { openid_csrf: token }, {}, rp.base, `?openid_identifier=${encodeURIComponent(mallory)}`));
  });

  test('17.1: a missing, wrong, foreign or repeated token is refused (same origin, cookie sent)', async () => {
    const victim = new CookieClient();
    const token = await loginToken(rp, victim);
    const foreign = await loginToken(rp, new CookieClient());
    const oneOff = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    const forms: Array<Record<string, string>> = [{}, { openid_csrf: '' }, { openid_csrf: oneOff }, { openid_csrf: foreign }, { openid_csrf: `${token} ` }];
    for (const form of forms) {
      await expectRefused(await post(victim, { openid_identifier: mallory, ...form }, { origin: rp.base, 'sec-fetch-site': 'same-origin' }));
    }
    await expectRefused(await post(victim, new URLSearchParams([['openid_identifier', mallory], ['openid_csrf', token], ['openid_csrf', token]])));
    // A session that never showed the form has no token to match.
    await expectRefused(await post(undefined, { openid_identifier: mallory, openid_csrf: token }));
    expect(await signedInAs(victim)).toBeNull();
  });

  test.each([
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling origin)', { 'sec-fetch-site': 'same-site' }],
    ['Origin of another site', { origin: EVIL }],
    ['Origin of another port', { origin: 'http://127.0.0.1:1' }],
    ['Origin: null', { origin: 'null' }],
  ])('17.1: even the right token is refused from elsewhere (%s)', async (_name, headers) => {
    const victim = new CookieClient();
    const token = await loginToken(rp, victim);
    await expectRefused(await post(victim, { openid_identifier: mallory, openid_csrf: token }, headers));
  });

  test('17.1: the app\'s own form with the token signs in (same-origin headers, and none)', async () => {
    const client = new CookieClient();
    const token = await loginToken(rp, client);
    const start = await post(client, { openid_identifier: `${op.base}/user/alice`, openid_csrf: token }, { origin: rp.base, 'sec-fetch-site': 'same-origin' });
    expect(start.status).toBe(303);
    const url = start.headers.get('location') as string;
    await deliverIndirect(client, await client.get(url, true), url);
    expect(await signedInAs(client)).toMatchObject({ claimedId: `${op.base}/user/alice` });
    // The session was regenerated at login: the old token went with it.
    await expectRefused(await post(client, { openid_identifier: `${op.base}/user/alice`, openid_csrf: token }));
    expect((await signIn(rp, `${op.base}/user/bob`)).me).toMatchObject({ claimedId: `${op.base}/user/bob` });
  });

  test('17.1: the "Sign in with X" button (the configured OP identifier, no input) stays a plain link, even from another site', async () => {
    const button = await startRP({ opIdentifier: `${op.base}/`, errors });
    try {
      const client = new CookieClient();
      const start = await client.get(`${button.base}/openid/login`, true);
      expect(start.status).toBe(303);
      expect(start.location?.startsWith(op.endpoint)).toBe(true);
      const { response } = await deliverIndirect(client, await client.get(start.location as string, true), start.location as string);
      expect(response.location).toBe(`${button.base}/me`);
      // A typed identifier still needs the token there.
      await expectRefused(await post(undefined, { openid_identifier: mallory }, {}, button.base));
    } finally {
      await button.close();
    }
  });

  test('17.1: onFailure gets the refusal (reason csrf_failed), the response already 403', async () => {
    const seen: ConsumerFailure[] = [];
    const hooked = await startRP({ errors, onFailure: (_req, res, result) => {
      seen.push(result);
      res.send(`refused: ${result.status === 'failure' ? result.reason : result.status}`);
    } });
    try {
      const response = await post(undefined, { openid_identifier: mallory }, { 'sec-fetch-site': 'cross-site' }, hooked.base);
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('refused: csrf_failed');
      expect(seen).toMatchObject([{ status: 'failure', reason: 'csrf_failed', httpStatus: 403 }]);
    } finally {
      await hooked.close();
    }
  });
});
