/**
 * The consumer against our own OP (the core Server over node:http): every
 * positive flow end to end over real HTTP. The forged and broken responses
 * are in verify/, one file per check.
 */
import { Consumer } from '../../src/consumer/consumer.js';
import { objectSession } from '../../src/consumer/session.js';
import { DiscoveryError } from '../../src/errors.js';
import { SREG_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';
import { startOP, type TestOP } from './op.js';
import { forgeAssertion, knownAssociation } from './forge.js';
import { assertionUrl, complete, fetcher, party, REALM, returnToFor, RP } from './parties.js';

let op: TestOP;
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());
afterEach(() => {
  op.decide = (request) => ({ allow: true, ...(request.idSelect ? { identity: `${op.base}/user/alice` } : {}) });
});

describe('positive flows', () => {
  test.each([['smart', true], ['stateless', false]])('OpenID 2.0, %s', async (_name, withStore) => {
    const rp = party({ withStore });
    const before = op.checkAuthCount;
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/user/alice`));
    expect(result).toMatchObject({ status: 'success', claimedId: `${op.base}/user/alice`, identity: `${op.base}/user/alice`, displayIdentifier: `${op.base}/user/alice` });
    if (result.status === 'success') expect(result.endpoint).toMatchObject({ opEndpoint: op.endpoint, version: '2.0' });
    // Smart mode verifies locally; stateless asks the OP.
    expect(op.checkAuthCount - before).toBe(withStore ? 0 : 1);
    if (withStore) expect((await rp.store?.getAssociation(op.endpoint))?.assocType).toBe('HMAC-SHA256');
  });

  test.each([['smart', true], ['stateless', false]])('OpenID 1.1, %s (HMAC-SHA1 only)', async (_name, withStore) => {
    const rp = party({ withStore });
    const auth = await rp.consumer.begin(rp.sessionStore, `${op.base}/v1/bob`);
    expect(auth.association?.assocType).toBe(withStore ? 'HMAC-SHA1' : undefined);
    const message = auth.getMessage(REALM, RP);
    expect(message.isOpenID1()).toBe(true);
    const response = await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' });
    const result = await complete(rp, response.headers.get('location') as string);
    expect(result).toMatchObject({ status: 'success', claimedId: `${op.base}/v1/bob` });
    if (result.status === 'success') expect(result.endpoint.version).not.toBe('2.0');
  });

  test('identifier select: the OP picks the identifier, which is rediscovered', async () => {
    const rp = party();
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/`));
    expect(result).toMatchObject({ status: 'success', claimedId: `${op.base}/user/alice` });
  });

  test('delegation: the claimed identifier names the OP-local one', async () => {
    const rp = party();
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/delegated/carol`));
    expect(result).toMatchObject({ status: 'success', claimedId: `${op.base}/delegated/carol`, identity: `${op.base}/user/carol` });
  });

  test('begin without discovery, at a known OP endpoint (a provider button)', async () => {
    const rp = party();
    const auth = await rp.consumer.beginWithOPEndpoint(rp.sessionStore, op.endpoint);
    expect(auth.endpoint.isOPIdentifier).toBe(true);
    const response = await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' });
    expect(await complete(rp, response.headers.get('location') as string)).toMatchObject({ status: 'success', claimedId: `${op.base}/user/alice` });
  });

  test('immediate mode, allowed: success without interaction', async () => {
    const rp = party();
    expect(await complete(rp, await assertionUrl(rp, `${op.base}/user/alice`, { immediate: true }))).toMatchObject({ status: 'success' });
  });

  test('cancel, and setup needed in immediate mode (2.0 without URL, 1.x with user_setup_url)', async () => {
    const rp = party();
    op.decide = () => ({ allow: false });
    expect(await complete(rp, await assertionUrl(rp, `${op.base}/user/alice`))).toEqual({ status: 'cancel' });
    expect(await complete(rp, await assertionUrl(rp, `${op.base}/user/alice`, { immediate: true }))).toEqual({ status: 'setup_needed', setupUrl: undefined });
    const v1 = await complete(rp, await assertionUrl(rp, `${op.base}/v1/bob`, { immediate: true }));
    expect(v1.status).toBe('setup_needed');
    if (v1.status === 'setup_needed') expect(new URL(v1.setupUrl as string).searchParams.get('openid.mode')).toBe('checkid_setup');
  });

  test('a POSTed assertion: the body, and only the body, is the message', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    const body = new URLSearchParams([...url.searchParams].filter(([key]) => key.startsWith('openid.')));
    for (const key of [...body.keys()]) url.searchParams.delete(key);
    expect(await rp.consumer.complete(rp.sessionStore, body, url.href)).toMatchObject({ status: 'success' });
  });

  test('a return_to with its own query and UTF-8 arguments survives the round trip', async () => {
    const rp = party();
    const returnTo = `${RP}?next=${encodeURIComponent('/café/東京?x=1&y=2')}`;
    const url = await assertionUrl(rp, `${op.base}/user/alice`, { returnTo });
    expect(new URL(url).searchParams.get('next')).toBe('/café/東京?x=1&y=2');
    expect(await complete(rp, url)).toMatchObject({ status: 'success' });
  });

  test('a claimed identifier with a fragment (§11.5.1): kept on claimedId, not on displayIdentifier', async () => {
    const rp = party();
    op.decide = () => ({ allow: true, identity: `${op.base}/user/dora`, claimedId: `${op.base}/user/dora#2` });
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/`));
    expect(result).toMatchObject({ status: 'success', claimedId: `${op.base}/user/dora#2`, displayIdentifier: `${op.base}/user/dora` });
  });
});

describe('extension data', () => {
  test('signed SREG values (UTF-8) read by namespace URI; an injected unsigned one never', async () => {
    op.decide = () => ({ allow: true, extensions: [{ namespace: SREG_1_1_NS, args: { email: 'zoë@example.com', fullname: 'Zoë 東京' } }] });
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.sreg.nickname', 'injected');
    const result = await complete(rp, url.href);
    expect(result.status).toBe('success');
    if (result.status !== 'success') return;
    expect(result.getSignedArgs(SREG_1_1_NS)).toEqual({ email: 'zoë@example.com', fullname: 'Zoë 東京' });
    expect(result.getSignedArgs(SREG_1_0_NS)).toEqual({});
    expect(result.signedFields).toEqual(expect.arrayContaining(['ns.sreg', 'sreg.email', 'op_endpoint']));
    expect(result.signedFields).not.toContain('sreg.nickname');
    expect(result).not.toHaveProperty('message');
  });

  test('an extension namespace injected under another alias: nothing of it is exposed', async () => {
    op.decide = () => ({ allow: true, extensions: [{ namespace: SREG_1_1_NS, args: { email: 'alice@example.com' } }] });
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.ns.ext9', SREG_1_0_NS);
    url.searchParams.set('openid.ext9.email', 'mallory@example.com');
    const result = await complete(rp, url.href);
    expect(result.status).toBe('success');
    if (result.status !== 'success') return;
    expect(result.getSignedArgs(SREG_1_0_NS)).toEqual({});
    expect(result.getSignedArgs(SREG_1_1_NS)).toEqual({ email: 'alice@example.com' });
  });

  test('signed extension values under an unsigned alias declaration (OpenID 2.0): not exposed', async () => {
    const association = knownAssociation();
    const rp = party();
    await rp.store?.storeAssociation(op.endpoint, association);
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const extra = { 'ns.sreg': SREG_1_1_NS, 'sreg.email': 'alice@example.com' };
    const signed = ['op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'sreg.email'];
    const result = await complete(rp, forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/user/alice`, returnTo, extra, signed }));
    expect(result.status).toBe('success');
    if (result.status === 'success') expect(result.getSignedArgs(SREG_1_1_NS)).toEqual({});
  });

  test('extension arguments added to the request reach the OP, UTF-8 intact', async () => {
    let seen: Record<string, string> = {};
    op.decide = (request) => {
      seen = request.message.getArgs(SREG_1_1_NS);
      return { allow: true };
    };
    const rp = party();
    const auth = await rp.consumer.begin(rp.sessionStore, `${op.base}/user/alice`);
    auth.addExtension({ namespace: SREG_1_1_NS, args: { required: 'email', policy_url: 'http://rp.example/privé' } });
    const response = await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' });
    expect(await complete(rp, response.headers.get('location') as string)).toMatchObject({ status: 'success' });
    expect(seen).toEqual({ required: 'email', policy_url: 'http://rp.example/privé' });
  });
});

describe('begin', () => {
  test('an identifier without an OpenID service: DiscoveryError', async () => {
    const rp = party();
    await expect(rp.consumer.begin(rp.sessionStore, `${op.base}/nobody`)).rejects.toBeInstanceOf(DiscoveryError);
    await expect(rp.consumer.begin(rp.sessionStore, 'javascript:alert(1)')).rejects.toBeInstanceOf(DiscoveryError);
  });

  test('an async session (get/set/delete returning promises) works the same', async () => {
    const data = new Map<string, unknown>();
    const session = { get: async (k: string) => data.get(k), set: async (k: string, v: unknown) => void data.set(k, v), delete: async (k: string) => void data.delete(k) };
    const consumer = new Consumer({ fetcher });
    const auth = await consumer.begin(session, `${op.base}/user/alice`);
    const response = await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' });
    const url = response.headers.get('location') as string;
    expect(await consumer.complete(session, new URL(url).searchParams, url)).toMatchObject({ status: 'success' });
  });

  test('objectSession adapts a plain object such as req.session', () => {
    const target: Record<string, unknown> = {};
    const session = objectSession(target);
    session.set('a', 1);
    expect(session.get('a')).toBe(1);
    session.delete('a');
    expect(target).toEqual({});
  });
});
