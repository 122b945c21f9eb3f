/**
 * The mock provider as a provider: discovery documents, associations of
 * every type, checkid_setup and checkid_immediate with scripted answers,
 * SREG/AX values (non-ASCII), check_authentication, one-line attacks, and
 * Steam mode.
 */
import { Association, Message, OPENID_NS, type AssociationType, type SessionType } from 'openid2-core';
import { createConsumerSession, kvForm } from 'openid2-core/internals';
import { Browser, HUGE_DOCUMENT_BYTES, startMockProvider, type MockProvider } from '../src/index.js';
import { deliverToRelyingParty, startLogin, visitProvider } from '../src/login-driver.js';
import { startOurRP, type RunningRP } from './relying-parties.js';

const NS = 'http://specs.openid.net/auth/2.0';

let mock: MockProvider;
let rp: RunningRP;
beforeAll(async () => {
  mock = await startMockProvider({
    users: {
      victim: { profile: { nickname: 'zoë', fullname: 'Zoë Åsa Ørsted 日本', email: 'zoe@kit.example' } },
      refuser: { answer: 'deny' },
      elsewhere: { answer: 'setup_needed' },
    },
  });
  rp = await startOurRP();
});
afterAll(async () => {
  await rp.close();
  await mock.close();
});

/** A browser login through our relying party; returns where it ended and what /me shows. */
async function signIn(identifier: string): Promise<{ final: string; me: unknown }> {
  const browser = new Browser();
  const started = await startLogin(browser, { loginUrl: rp.loginUrl, loginMethod: 'form', loginPageUrl: `${rp.base}/` }, identifier, 5000);
  const atProvider = await visitProvider(browser, started, { user: 'victim', attack: undefined }, 5000);
  const final = await deliverToRelyingParty(browser, atProvider, 5000);
  const me: unknown = JSON.parse((await browser.get(rp.meUrl)).body);
  return { final: final.url, me };
}

function checkid(mode: string, identity: string, returnTo: string, extra: Record<string, string> = {}): string {
  const url = new URL(mock.opEndpoint);
  const args = { 'openid.ns': NS, 'openid.mode': mode, 'openid.claimed_id': identity, 'openid.identity': identity, 'openid.return_to': returnTo, ...extra };
  for (const [key, value] of Object.entries(args)) url.searchParams.set(key, value);
  return url.href;
}

describe('discovery documents', () => {
  test('an identity page links the endpoint in HTML and points to its XRDS', async () => {
    const page = await fetch(mock.identifier('victim'));
    const html = await page.text();
    expect(html).toContain(`<link rel="openid2.provider" href="${mock.opEndpoint}">`);
    const xrds = await fetch(page.headers.get('x-xrds-location') as string);
    expect(xrds.headers.get('content-type')).toContain('application/xrds+xml');
    expect(await xrds.text()).toContain(`<LocalID>${mock.identifier('victim')}</LocalID>`);
  });

  test('the OP identifier answers XRDS to Accept: application/xrds+xml; an unknown user is a 404', async () => {
    const op = await fetch(mock.opIdentifier, { headers: { accept: 'application/xrds+xml' } });
    expect(await op.text()).toContain('http://specs.openid.net/auth/2.0/server');
    expect((await fetch(`${mock.base}/user/nobody`)).status).toBe(404);
  });
});

describe('hostile discovery documents', () => {
  test('the loop redirects to itself with a growing counter; the huge page is 64 MiB, and reading it to the end is recorded', async () => {
    const loop = mock.identifier('victim', 'loop');
    const hop = await fetch(loop, { redirect: 'manual' });
    expect(hop.status).toBe(302);
    expect(new URL(hop.headers.get('location') as string).searchParams.get('hop')).toBe('1');
    const huge = mock.identifier('victim', 'huge');
    const other = mock.identifier('victim', 'huge');
    expect((await (await fetch(huge)).arrayBuffer()).byteLength).toBeGreaterThanOrEqual(HUGE_DOCUMENT_BYTES);
    expect([mock.readToEnd(huge), mock.readToEnd(other)]).toEqual([true, false]);
  });

  test('the slow page starts at once and never ends by itself', async () => {
    const controller = new AbortController();
    const slow = await fetch(mock.identifier('victim', 'slow'), { signal: controller.signal });
    expect(slow.status).toBe(200);
    const reader = (slow.body as ReadableStream<Uint8Array>).getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toMatch(/^<!DOCTYPE html>/);
    controller.abort();
  });
});

describe('associate', () => {
  test.each([
    ['DH-SHA1', 'HMAC-SHA1'],
    ['DH-SHA256', 'HMAC-SHA256'],
  ] as const)('%s / %s: the shared secret signs the next assertion', async (sessionType: SessionType, assocType: AssociationType) => {
    const session = createConsumerSession(sessionType);
    const body = new URLSearchParams({ 'openid.ns': NS, 'openid.mode': 'associate', 'openid.assoc_type': assocType, 'openid.session_type': sessionType });
    for (const [key, value] of Object.entries(session.requestArgs())) body.set(`openid.${key}`, value);
    const answer = kvForm.parse(await (await fetch(mock.opEndpoint, { method: 'POST', body })).text());
    const association = new Association({ handle: answer.assoc_handle as string, secret: session.extractSecret(answer, assocType), issued: 0, lifetime: 10 ** 9, assocType });
    const redirect = await fetch(checkid('checkid_setup', mock.identifier('victim'), 'http://127.0.0.1:1/return', { 'openid.assoc_handle': association.handle }), { redirect: 'manual' });
    const assertion = Message.fromPostArgs(new URL(redirect.headers.get('location') as string).searchParams);
    expect(assertion.getArg(OPENID_NS, 'assoc_handle')).toBe(association.handle);
    expect(association.verifyMessage(assertion)).toBe(true);
  });

  test('no-encryption over plain http is refused (§8.4.1)', async () => {
    const body = new URLSearchParams({ 'openid.ns': NS, 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'no-encryption' });
    const answer = kvForm.parse(await (await fetch(mock.opEndpoint, { method: 'POST', body })).text());
    expect(answer.error_code).toBe('unsupported-type');
  });
});

describe('scripted users through our relying party', () => {
  test('allow: signed in, the SREG/AX profile arrives signed with its non-ASCII values (check_authentication for the private signature)', async () => {
    const { me } = await signIn(mock.identifier('victim'));
    expect(me).toMatchObject({ claimedId: mock.identifier('victim'), profile: { nickname: 'zoë', fullname: 'Zoë Åsa Ørsted 日本', email: 'zoe@kit.example' } });
  });

  test('deny: the relying party gets cancel', async () => {
    const { final, me } = await signIn(mock.identifier('refuser'));
    expect(final).toBe(`${rp.base}/failed?openid_error=cancel`);
    expect(me).toBeNull();
  });

  test.each([
    ['elsewhere', 'checkid_setup'],
    ['elsewhere', 'checkid_immediate'],
    ['refuser', 'checkid_immediate'],
  ])('%s with %s: setup_needed', async (user, mode) => {
    const redirect = await fetch(checkid(mode, mock.identifier(user), 'http://127.0.0.1:1/return'), { redirect: 'manual' });
    expect(new URL(redirect.headers.get('location') as string).searchParams.get('openid.mode')).toBe('setup_needed');
  });

  test('check_authentication confirms a private signature once', async () => {
    const redirect = await fetch(checkid('checkid_setup', mock.identifier('victim'), 'http://127.0.0.1:1/return'), { redirect: 'manual' });
    const body = new URL(redirect.headers.get('location') as string).searchParams;
    body.set('openid.mode', 'check_authentication');
    const first = kvForm.parse(await (await fetch(mock.opEndpoint, { method: 'POST', body })).text());
    const second = kvForm.parse(await (await fetch(mock.opEndpoint, { method: 'POST', body })).text());
    expect([first.is_valid, second.is_valid]).toEqual(['true', 'false']);
  });

  test('an attack in one line: mock.use(name) makes every answer that attack, and use(undefined) makes it honest again', async () => {
    mock.use('wrong_signature_key');
    const forged = await signIn(mock.identifier('victim'));
    mock.use(undefined);
    expect(forged.final).toBe(`${rp.base}/failed?openid_error=signature_mismatch`);
    expect((await signIn(mock.identifier('victim'))).final).toBe(`${rp.base}/me`);
    expect(() => mock.use('no_such_attack')).toThrow(/not a known attack/);
    expect(() => mock.use('unsolicited_assertion')).toThrow(/provider\.unsolicitedAssertion/);
    expect(() => mock.use('redirect_loop_discovery')).toThrow(/provider\.identifier\(user, 'loop'\)/);
  });
});

describe('Steam mode', () => {
  let steam: MockProvider;
  let steamRP: RunningRP;
  beforeAll(async () => {
    steam = await startMockProvider({ steam: true });
    steamRP = await startOurRP({ steamBase: steam.base });
  });
  afterAll(async () => {
    await steamRP.close();
    await steam.close();
  });

  test("our Steam preset signs in with the victim's SteamID64; the answer is signed over Steam's fixed list with handle 1234567890", async () => {
    const browser = new Browser();
    const started = await startLogin(browser, { loginUrl: steamRP.loginUrl }, undefined, 5000);
    const atSteam = await visitProvider(browser, started, { user: 'victim', attack: undefined }, 5000);
    const answer = new URL(atSteam.location as string).searchParams;
    expect([answer.get('openid.signed'), answer.get('openid.assoc_handle')]).toEqual(['signed,op_endpoint,claimed_id,identity,return_to,response_nonce,assoc_handle', '1234567890']);
    await deliverToRelyingParty(browser, atSteam, 5000);
    expect(JSON.parse((await browser.get(steamRP.meUrl)).body)).toMatchObject({ presetData: { steamId: '76561197960287930' }, claimedId: steam.identifier('victim') });
  });

  test('only identifier select; no associations; check_authentication without the relying party Origin is is_valid:false', async () => {
    const notSelect = await fetch(`${steam.opEndpoint}?${new URLSearchParams({ 'openid.ns': NS, 'openid.mode': 'checkid_setup', 'openid.claimed_id': steam.identifier('victim'), 'openid.identity': steam.identifier('victim'), 'openid.return_to': 'http://127.0.0.1:1/r' })}`);
    expect(notSelect.status).toBe(400);
    const associate = kvForm.parse(await (await fetch(steam.opEndpoint, { method: 'POST', body: new URLSearchParams({ 'openid.ns': NS, 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA1', 'openid.session_type': 'DH-SHA1', 'openid.dh_consumer_public': 'AQ==' }) })).text());
    expect(associate.error_code).toBe('unsupported-type');
    const select = 'http://specs.openid.net/auth/2.0/identifier_select';
    const redirect = await fetch(`${steam.opEndpoint}?${new URLSearchParams({ 'openid.ns': NS, 'openid.mode': 'checkid_setup', 'openid.claimed_id': select, 'openid.identity': select, 'openid.return_to': 'http://127.0.0.1:1/r' })}`, { redirect: 'manual' });
    const body = new URL(redirect.headers.get('location') as string).searchParams;
    body.set('openid.mode', 'check_authentication');
    const without = kvForm.parse(await (await fetch(steam.opEndpoint, { method: 'POST', body })).text());
    const withOrigin = kvForm.parse(await (await fetch(steam.opEndpoint, { method: 'POST', body, headers: { origin: 'http://127.0.0.1:1' } })).text());
    expect([without.is_valid, withOrigin.is_valid]).toEqual(['false', 'true']);
  });
});

describe('options', () => {
  test.each([
    [{ users: {} }, /users/],
    [{ users: { 'a b': {} } }, /users\.a b/],
    [{ selectUser: 'nobody' }, /selectUser/],
    [{ attack: 'nope' }, /attack/],
    [{ users: { x: { steamId: '12' } } }, /steamId/],
  ])('%j is refused', async (options, message) => {
    await expect(startMockProvider(options as never)).rejects.toThrow(message);
  });
});
