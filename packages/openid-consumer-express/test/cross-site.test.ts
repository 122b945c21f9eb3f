/**
 * Answers that arrive cross-site without the session cookie: a long
 * assertion POSTed by the OP's auto-submitting form (SameSite=Lax cookies are
 * withheld), or any answer when the session cookie is SameSite=Strict. The
 * cookie jar applies the SameSite rules.
 */
import { CookieClient, deliverIndirect, readPageForm } from 'openid-test-helpers';
import { longProfile, postLogin, signIn, startOP, withRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
const opState: Parameters<typeof startOP>[0] = {};
beforeAll(async () => {
  op = await startOP(opState);
});
afterAll(() => op.close());
afterEach(() => {
  delete opState.decision;
});

/** Starts a login in `client`'s browser and returns the OP's answer page (an auto-submitting form when long). */
async function answerFor(rp: Running, client: CookieClient): Promise<{ answer: Awaited<ReturnType<CookieClient['get']>>; url: string }> {
  const start = await postLogin(rp, client, `${op.base}/user/alice`);
  const url = start.location as string;
  return { answer: await client.get(url, true), url };
}

describe('a long assertion POSTed cross-site (SameSite=Lax session cookie withheld)', () => {
  test.each([['saveUninitialized: false', false], ['saveUninitialized: true (a fresh session would replace the cookie)', true]])(
    'completes in the same browser through one same-site resubmission (%s)',
    async (_name, saveUninitialized) => {
      opState.decision = (_idSelect, base) => longProfile(base);
      await withRP({ sessionOptions: { saveUninitialized } }, async (rp) => {
        const client = new CookieClient();
        const { answer, url } = await answerFor(rp, client);
        expect(readPageForm(answer.body, url)?.method).toBe('POST');
        const { response, hops } = await deliverIndirect(client, answer, url);
        expect(hops.map((hop) => [hop.method, hop.crossSite, hop.status])).toEqual([['POST', true, 200], ['POST', false, 303]]);
        expect(response.location).toBe(`${rp.base}/me`);
        const me = JSON.parse((await client.get(`${rp.base}/me`)).body) as Record<string, unknown>;
        expect(me).toMatchObject({ claimedId: `${op.base}/user/alice` });
      });
    },
  );

  test('the resubmission page sets no cookie, cannot be framed, runs only its own script, and escapes what it echoes', async () => {
    await withRP({ sessionOptions: { saveUninitialized: true } }, async (rp) => {
      const client = new CookieClient();
      const start = await postLogin(rp, client, `${op.base}/user/alice`);
      const tx = new URL(new URL(start.location as string).searchParams.get('openid.return_to') as string).searchParams.get('openid_tx') as string;
      const stranger = new CookieClient();
      const page = await stranger.post(`${rp.base}/openid/return?openid_tx=${tx}`, { 'openid.mode': 'id_res', '"><script>alert(1)</script>': '"><img src=x onerror=alert(1)>' }, true);
      expect(page.status).toBe(200);
      expect(page.headers.getSetCookie()).toEqual([]);
      expect(page.headers.get('cache-control')).toBe('no-store');
      expect(page.headers.get('x-frame-options')).toBe('DENY');
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-[^']+'; form-action 'self'; frame-ancestors 'none'/);
      expect(page.body).not.toContain('<script>alert');
      expect(page.body).not.toContain('<img');
      expect(page.body).toContain('&quot;&gt;&lt;script&gt;');
    });
  });

  test('carried to another browser (login CSRF), it finds no transaction there: unsolicited_assertion', async () => {
    opState.decision = (_idSelect, base) => longProfile(base);
    await withRP({}, async (rp) => {
      const attacker = new CookieClient();
      const victim = new CookieClient();
      await postLogin(rp, victim, `${op.base}/user/bob`);
      const { answer, url } = await answerFor(rp, attacker);
      const { response } = await deliverIndirect(victim, answer, url);
      expect(response.location).toBe(`${rp.base}/failed?openid_error=unsolicited_assertion`);
      expect(JSON.parse((await victim.get(`${rp.base}/me`)).body || 'null')).toBeNull();
    });
  });

  test('resubmitted once only: a second missing transaction fails instead of looping', async () => {
    await withRP({}, async (rp) => {
      const client = new CookieClient();
      const fields = { 'openid.ns': 'http://specs.openid.net/auth/2.0', 'openid.mode': 'id_res', openid_resubmitted: '1' };
      const once = await client.post(`${rp.base}/openid/return?openid_tx=${'A'.repeat(32)}`, fields);
      expect(once.location).toBe(`${rp.base}/failed?openid_error=unsolicited_assertion`);
    });
  });
});

describe('a SameSite=Strict session cookie', () => {
  test('a GET answer (withheld cookie) completes through a same-site GET resubmission', async () => {
    await withRP({ sessionOptions: { cookie: { sameSite: 'strict' } } }, async (rp) => {
      const client = new CookieClient();
      const { answer, url } = await answerFor(rp, client);
      expect(answer.status).toBe(302);
      const { response, hops } = await deliverIndirect(client, answer, url);
      expect(hops.map((hop) => [hop.method, hop.crossSite, hop.status])).toEqual([['GET', true, 200], ['GET', false, 303]]);
      expect(response.location).toBe(`${rp.base}/me`);
    });
  });

  test('signIn over Strict cookies with a long (POSTed) answer too', async () => {
    opState.decision = (_idSelect, base) => longProfile(base);
    await withRP({ sessionOptions: { cookie: { sameSite: 'strict' } } }, async (rp) => {
      const { me } = await signIn(rp, `${op.base}/user/alice`);
      expect(me).toMatchObject({ claimedId: `${op.base}/user/alice` });
    });
  });
});
