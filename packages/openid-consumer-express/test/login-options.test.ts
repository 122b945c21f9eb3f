/**
 * 20.1: per-login choices through the `loginOptions(req)` hook, immediate
 * mode reachable, and "setup needed" a first-class outcome: the silent
 * sign-in falls back to checkid_setup, end to end against our provider and
 * python3-openid's.
 */
import { fileURLToPath } from 'node:url';
import { CookieClient, deliverIndirect, describeWith, pythonOpenIDAvailability, readForm, startPythonOP, type PythonOP } from 'openid-test-helpers';
import { MemoryStore, PAPE_1_0_NS, SREG_1_1_NS } from 'openid2-core';
import { loginCsrfField, type LoginChoices } from '../src/index.js';
import { loginToken, startOP, startRP, type Running } from './apps.js';

const PYTHON_SCRIPT = fileURLToPath(new URL('../../openid2-core/test/fixtures/python_server.py', import.meta.url));

let op: Running & { endpoint: string };
const errors: unknown[] = [];
const decisions: string[] = [];

/** A relying party whose sign-in form has a "silent" checkbox; "setup needed" answers with the form again, without it. */
async function silentRP(extra: Parameters<typeof startRP>[0] = {}): Promise<Running> {
  return startRP({
    errors,
    store: new MemoryStore(),
    loginOptions: (req) => ({ immediate: (req.body as Record<string, unknown> | undefined)?.silent === '1' }),
    onSetupNeeded: (req, res, { identifier, returnTo }) => {
      res.type('html').send(
        `<form method="post" action="/openid/login">${loginCsrfField(req)}<input type="hidden" name="openid_identifier" value="${identifier ?? ''}"><input type="hidden" name="returnTo" value="${returnTo ?? ''}"></form>`,
      );
    },
    ...extra,
  });
}

let rp: Running;

beforeAll(async () => {
  // The OP knows the user only after they were seen once (checkid_setup): immediate requests before that need setup.
  let seen = false;
  op = await startOP({
    decision: (_idSelect, _base, immediate) => {
      decisions.push(immediate ? 'immediate' : 'setup');
      if (immediate && !seen) return { type: 'interact' };
      seen = true;
      return { type: 'allow' };
    },
  });
  rp = await silentRP();
});
afterAll(async () => {
  await rp.close();
  await op.close();
});
afterEach(() => {
  expect(errors.splice(0)).toEqual([]);
});

/** The OP's redirect back to the relying party, followed once (deliverIndirect would also submit onSetupNeeded's form). */
async function toOPAndBack(client: CookieClient, start: { location?: string | undefined }): Promise<{ opUrl: URL; back: Awaited<ReturnType<CookieClient['get']>> }> {
  const location = start.location as string;
  const atOp = await client.get(location, true);
  expect([302, 303]).toContain(atOp.status);
  return { opUrl: new URL(location), back: await client.get(atOp.location as string, true) };
}

/** Follows a login from /login's answer through the OP back to the relying party. */
async function roundTrip(client: CookieClient, start: { location?: string | undefined }): Promise<{ opUrl: URL; back: Awaited<ReturnType<CookieClient['get']>> }> {
  const location = start.location as string;
  const { response } = await deliverIndirect(client, await client.get(location, true), location);
  return { opUrl: new URL(location), back: response };
}

describe('20.1: immediate → setup_needed → checkid_setup', () => {
  test('20.1: against our provider, the silent sign-in falls back to checkid_setup and ends where the user was', async () => {
    const client = new CookieClient();
    const identifier = `${op.base}/user/alice`;
    const first = await client.post(`${rp.base}/openid/login`, { openid_identifier: identifier, openid_csrf: await loginToken(rp, client), silent: '1', returnTo: '/inbox' });
    const silent = await toOPAndBack(client, first);
    expect(silent.opUrl.searchParams.get('openid.mode')).toBe('checkid_immediate');
    // onSetupNeeded answered with the form again (this session's token, the identifier, the returnTo).
    expect([silent.back.status, silent.back.location]).toEqual([200, undefined]);
    const form = readForm(silent.back.body);
    expect(form.fields.get('openid_identifier')).toBe(identifier);
    expect(form.fields.get('returnTo')).toBe('/inbox');
    const second = await client.post(`${rp.base}${form.action}`, Object.fromEntries(form.fields));
    const setup = await roundTrip(client, second);
    expect(setup.opUrl.searchParams.get('openid.mode')).toBe('checkid_setup');
    expect(setup.back.location).toBe(`${rp.base}/inbox`);
    expect(JSON.parse((await client.get(`${rp.base}/me`)).body)).toMatchObject({ claimedId: identifier });
    expect(decisions.slice(-2)).toEqual(['immediate', 'setup']);
    // Now the OP knows the user: a silent sign-in succeeds without any page.
    const third = await client.post(`${rp.base}/openid/login`, { openid_identifier: identifier, openid_csrf: await loginToken(rp, client), silent: '1' });
    const again = await roundTrip(client, third);
    expect(again.opUrl.searchParams.get('openid.mode')).toBe('checkid_immediate');
    expect(again.back.location).toBe(`${rp.base}/me`);
  });

  test('20.1: without onSetupNeeded, setup_needed is a failure redirect the app can act on', async () => {
    const plain = await startOP({ decision: (_idSelect, _base, immediate) => (immediate ? { type: 'interact' } : { type: 'allow' }) });
    const other = await startRP({ errors, loginOptions: () => ({ immediate: true }) });
    try {
      const client = new CookieClient();
      const start = await client.post(`${other.base}/openid/login`, { openid_identifier: `${plain.base}/user/bob`, openid_csrf: await loginToken(other, client) });
      const { back } = await roundTrip(client, start);
      expect(back.location).toBe(`${other.base}/failed?openid_error=setup_needed`);
    } finally {
      await other.close();
      await plain.close();
    }
  });
});

describe('20.1: per-login choices', () => {
  test('20.1: profile, PAPE, stateless and extensions chosen per login reach the OP', async () => {
    const choices: LoginChoices = {
      stateless: true,
      profile: { required: ['email'] },
      pape: { policies: ['http://schemas.openid.net/pape/policies/2007/06/phishing-resistant'] },
      extensions: [{ namespace: 'https://rp.example/ns/hello', preferredAlias: 'hello', args: { greeting: 'hi' } }],
    };
    const chooser = await startRP({ errors, store: new MemoryStore(), loginOptions: () => choices });
    try {
      const client = new CookieClient();
      const start = await client.post(`${chooser.base}/openid/login`, { openid_identifier: `${op.base}/user/alice`, openid_csrf: await loginToken(chooser, client) });
      const url = new URL(start.location as string);
      expect(url.searchParams.get('openid.mode')).toBe('checkid_setup');
      // Stateless: no association handle although the router has a store.
      expect(url.searchParams.get('openid.assoc_handle')).toBeNull();
      const values = [...url.searchParams.values()];
      expect(values).toContain(PAPE_1_0_NS);
      expect(values).toContain(SREG_1_1_NS);
      expect(url.searchParams.get('openid.hello.greeting')).toBe('hi');
      const { back } = await roundTrip(client, start);
      expect(back.location).toBe(`${chooser.base}/me`);
    } finally {
      await chooser.close();
    }
  });

  test.each<[string, unknown]>([
    ['a number', 42],
    ['an unknown field', { silent: true }],
    ['immediate as a string', { immediate: 'yes' }],
    ['an unknown profile field', { profile: { required: ['shoe_size'] } }],
    ['a PAPE policy that is not a URI', { pape: { policies: ['strong'] } }],
    ['an extension without args', { extensions: [{ namespace: SREG_1_1_NS }] }],
    ['an extension with args that are not an object', { extensions: [{ namespace: SREG_1_1_NS, args: 'email' }] }],
    ['an off-site returnTo', { returnTo: '//evil.example/' }],
  ])('20.1: a hook returning %s is a failed login (invalid_login_options), not a 500, and nothing is fetched', async (_name, answer) => {
    const requests: string[] = [];
    const watched = await startOP({ requests });
    const bad = await startRP({ errors, loginOptions: () => answer as LoginChoices });
    try {
      const client = new CookieClient();
      const start = await client.post(`${bad.base}/openid/login`, { openid_identifier: `${watched.base}/user/alice`, openid_csrf: await loginToken(bad, client) });
      expect(start.status).toBe(303);
      expect(start.location).toBe(`${bad.base}/failed?openid_error=invalid_login_options`);
      expect(requests).toEqual([]);
    } finally {
      await bad.close();
      await watched.close();
    }
  });
});

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  let python: PythonOP;
  let silent: Running;
  beforeAll(async () => {
    python = await startPythonOP(PYTHON_SCRIPT);
    silent = await silentRP();
  });
  afterAll(async () => {
    await silent.close();
    await python.close();
  });

  test('20.1: against python3-openid, setup_needed then checkid_setup once the user signed in at the OP', async () => {
    const client = new CookieClient();
    const identifier = `${python.base}/user/alice`;
    await python.policy('setup');
    const first = await client.post(`${silent.base}/openid/login`, { openid_identifier: identifier, openid_csrf: await loginToken(silent, client), silent: '1', returnTo: '/inbox' });
    const immediate = await toOPAndBack(client, first);
    expect(immediate.opUrl.searchParams.get('openid.mode')).toBe('checkid_immediate');
    const form = readForm(immediate.back.body);
    expect(form.fields.get('openid_identifier')).toBe(identifier);
    // The user now signs in at the OP's page.
    await python.policy('allow');
    const second = await client.post(`${silent.base}${form.action}`, Object.fromEntries(form.fields));
    const setup = await roundTrip(client, second);
    expect(setup.opUrl.searchParams.get('openid.mode')).toBe('checkid_setup');
    expect(setup.back.location).toBe(`${silent.base}/inbox`);
    expect(JSON.parse((await client.get(`${silent.base}/me`)).body)).toMatchObject({ claimedId: identifier });
  });
});
