/**
 * The consumer against a real OP over HTTP: positive flows, and one forged
 * or broken response per verification rule, each failing with its reason.
 */
import { Consumer } from '../../src/consumer/consumer.js';
import { objectSession } from '../../src/consumer/session.js';
import type { CompletionResult } from '../../src/consumer/result.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { Association } from '../../src/association.js';
import { SREG_1_1_NS } from '../../src/constants.js';
import { startOP, type TestOP } from './op.js';

const RP = 'http://rp.example/return';
const REALM = 'http://rp.example/';
const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 });

let op: TestOP;
let attacker: TestOP;
beforeAll(async () => {
  op = await startOP();
  attacker = await startOP();
});
afterAll(async () => {
  await op.close();
  await attacker.close();
});
afterEach(() => {
  op.decide = (request) => ({ allow: true, ...(request.idSelect ? { identity: `${op.base}/user/alice` } : {}) });
});

interface Party {
  consumer: Consumer;
  store: MemoryStore | undefined;
  session: Record<string, unknown>;
}

function party(stateless = false): Party {
  const store = stateless ? undefined : new MemoryStore();
  const session: Record<string, unknown> = {};
  return { consumer: new Consumer({ session: objectSession(session), store, fetcher }), store, session };
}

/** begin → the OP's redirect → the URL the browser lands on. */
async function assertionUrl(rp: Party, identifier: string, immediate = false): Promise<string> {
  const auth = await rp.consumer.begin(identifier);
  const response = await fetch(auth.redirectUrl(REALM, RP, { immediate }), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return response.headers.get('location') as string;
}

function complete(rp: Party, url: string): Promise<CompletionResult> {
  return rp.consumer.complete(new URL(url).searchParams, url);
}

function expectFailure(result: CompletionResult, reason: string): void {
  expect(result.status).toBe('failure');
  if (result.status === 'failure') {
    expect(result.reason).toBe(reason);
    expect(result.message.length).toBeGreaterThan(10);
  }
}

describe('positive flows', () => {
  test.each([['smart', false], ['stateless', true]])('OpenID 2.0, %s', async (_name, stateless) => {
    const rp = party(stateless);
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/user/alice`));
    expect(result).toMatchObject({ status: 'success', claimedId: `${op.base}/user/alice`, identity: `${op.base}/user/alice` });
    if (!stateless) expect(await rp.store?.getAssociation(op.endpoint)).toBeDefined();
  });

  test.each([['smart', false], ['stateless', true]])('OpenID 1.1, %s', async (_name, stateless) => {
    const rp = party(stateless);
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/v1/bob`));
    expect(result).toMatchObject({ status: 'success', claimedId: `${op.base}/v1/bob` });
    if (result.status === 'success') expect(result.message.isOpenID1()).toBe(true);
  });

  test('identifier select and delegation', async () => {
    const rp = party();
    expect(await complete(rp, await assertionUrl(rp, `${op.base}/`))).toMatchObject({ status: 'success', claimedId: `${op.base}/user/alice` });
    expect(await complete(rp, await assertionUrl(rp, `${op.base}/delegated/carol`))).toMatchObject({
      status: 'success',
      claimedId: `${op.base}/delegated/carol`,
      identity: `${op.base}/user/carol`,
    });
  });

  test('cancel and setup needed', async () => {
    const rp = party();
    op.decide = () => ({ allow: false });
    expect((await complete(rp, await assertionUrl(rp, `${op.base}/user/alice`))).status).toBe('cancel');
    expect((await complete(rp, await assertionUrl(rp, `${op.base}/user/alice`, true))).status).toBe('setup_needed');
    const v1 = await complete(rp, await assertionUrl(rp, `${op.base}/v1/bob`, true));
    expect(v1.status).toBe('setup_needed');
    if (v1.status === 'setup_needed') expect(v1.setupUrl).toContain('checkid_setup');
  });

  test('a POSTed assertion takes the same verification path', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    const body = new URLSearchParams([...url.searchParams].filter(([key]) => key.startsWith('openid.')));
    for (const key of [...url.searchParams.keys()]) if (key.startsWith('openid.')) url.searchParams.delete(key);
    expect((await rp.consumer.complete(body, url.href)).status).toBe('success');
    const tamperedRp = party();
    const other = new URL(await assertionUrl(tamperedRp, `${op.base}/user/alice`));
    const tamperedBody = new URLSearchParams([...other.searchParams].filter(([key]) => key.startsWith('openid.')));
    tamperedBody.set('openid.return_to', 'http://evil.example/return');
    for (const key of [...other.searchParams.keys()]) if (key.startsWith('openid.')) other.searchParams.delete(key);
    expectFailure(await tamperedRp.consumer.complete(tamperedBody, other.href), 'return_to_mismatch');
  });

  test('signed extension values (UTF-8) are exposed; unsigned ones never', async () => {
    op.decide = () => ({ allow: true, extensions: [{ namespace: SREG_1_1_NS, args: { email: 'zoë@example.com' } }] });
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.sreg.nickname', 'injected');
    const result = await complete(rp, url.href);
    expect(result.status).toBe('success');
    if (result.status === 'success') expect(result.getSignedArgs(SREG_1_1_NS)).toEqual({ email: 'zoë@example.com' });
  });
});

describe('one forged or broken response per verification rule', () => {
  test('a replayed response: nonce_reused', async () => {
    const rp = party();
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    expect((await complete(rp, url)).status).toBe('success');
    // The transaction is gone after the first use; allow a fresh one to reach the nonce check.
    const again = party();
    again.store = rp.store;
    const replayer = new Consumer({ session: objectSession(again.session), store: rp.store, fetcher, allowUnsolicitedAssertions: true });
    expectFailure(await replayer.complete(new URL(url).searchParams, url), 'nonce_reused');
  });

  test('the same response twice in one session: the second has no transaction', async () => {
    const rp = party();
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    expect((await complete(rp, url)).status).toBe('success');
    expectFailure(await complete(rp, url), 'unsolicited_assertion');
  });

  test('a changed signature: signature_mismatch', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.sig', Buffer.alloc(32, 1).toString('base64'));
    expectFailure(await complete(rp, url.href), 'signature_mismatch');
  });

  test.each(['claimed_id', 'identity'])('a changed %s: signature_mismatch', async (field) => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set(`openid.${field}`, `${op.base}/user/mallory`);
    expectFailure(await complete(rp, url.href), 'signature_mismatch');
  });

  test.each(['op_endpoint', 'return_to', 'response_nonce', 'assoc_handle', 'claimed_id', 'identity'])('%s dropped from openid.signed: missing_signed_field', async (field) => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.signed', (url.searchParams.get('openid.signed') as string).split(',').filter((f) => f !== field).join(','));
    expectFailure(await complete(rp, url.href), 'missing_signed_field');
  });

  test('a changed return_to: return_to_mismatch', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    const elsewhere = new URL(url.href);
    elsewhere.pathname = '/other';
    expectFailure(await complete(rp, elsewhere.href), 'return_to_mismatch');
    const second = party();
    const auth = await second.consumer.begin(`${op.base}/user/alice`);
    const response = await fetch(auth.redirectUrl(REALM, `${RP}?next=%2Fhome`), { redirect: 'manual' });
    const changed = new URL(response.headers.get('location') as string);
    changed.searchParams.set('next', '/evil');
    expectFailure(await complete(second, changed.href), 'return_to_mismatch');
  });

  test("an op_endpoint pointing at an attacker's provider: discovery_mismatch, and the attacker receives no request", async () => {
    // The attacker's OP signs an assertion for the victim's identifier with a private association.
    attacker.decide = () => ({ allow: true, identity: `${op.base}/user/alice`, claimedId: `${op.base}/user/alice` });
    const rp = party(true);
    const auth = await rp.consumer.begin(`${op.base}/user/alice`);
    const forged = await fetch(
      `${attacker.endpoint}?${new URLSearchParams({
        'openid.ns': 'http://specs.openid.net/auth/2.0',
        'openid.mode': 'checkid_setup',
        'openid.claimed_id': 'http://specs.openid.net/auth/2.0/identifier_select',
        'openid.identity': 'http://specs.openid.net/auth/2.0/identifier_select',
        'openid.return_to': auth.returnToWithTransaction(RP),
        'openid.realm': REALM,
      })}`,
      { redirect: 'manual' },
    );
    const before = attacker.checkAuthCount;
    const url = forged.headers.get('location') as string;
    expect(new URL(url).searchParams.get('openid.op_endpoint')).toBe(attacker.endpoint);
    expectFailure(await complete(rp, url), 'discovery_mismatch');
    expect(attacker.checkAuthCount).toBe(before);
  });

  test('an expired association: the RP goes stateless, and the OP refuses to confirm a shared signature', async () => {
    let now = Date.now();
    const store = new MemoryStore({ now: () => now });
    const session: Record<string, unknown> = {};
    const consumer = new Consumer({ session: objectSession(session), store, fetcher, now: () => now });
    const auth = await consumer.begin(`${op.base}/user/alice`);
    const response = await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' });
    now += 15 * 24 * 60 * 60 * 1000; // past the association's 14 days
    const url = response.headers.get('location') as string;
    const result = await consumer.complete(new URL(url).searchParams, url);
    expect(result.status).toBe('failure');
  });

  test('invalidate_handle: the OP does not know the handle, the RP forgets it', async () => {
    const rp = party();
    const stale = new Association({ handle: '{HMAC-SHA256}{stale}', secret: Buffer.alloc(32, 9), issued: Math.floor(Date.now() / 1000), lifetime: 3600, assocType: 'HMAC-SHA256' });
    await rp.store?.storeAssociation(op.endpoint, stale);
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    expect(new URL(url).searchParams.get('openid.invalidate_handle')).toBe(stale.handle);
    expect((await complete(rp, url)).status).toBe('success');
    expect(await rp.store?.getAssociation(op.endpoint, stale.handle)).toBeUndefined();
  });

  test('duplicate query keys: invalid_message', async () => {
    const rp = party();
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    const polluted = `${url}&openid.identity=${encodeURIComponent(`${op.base}/user/mallory`)}`;
    expectFailure(await complete(rp, polluted), 'invalid_message');
  });

  test('a NUL byte in a field: invalid_message', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.claimed_id', `${op.base}/user/alice\0evil`);
    expectFailure(await complete(rp, url.href), 'invalid_message');
  });

  test('an unsolicited assertion: refused unless allowed', async () => {
    const starter = party();
    const url = await assertionUrl(starter, `${op.base}/user/alice`);
    expectFailure(await complete(party(), url), 'unsolicited_assertion');
  });

  test('a check_authentication answer that is not exactly is_valid:true fails closed', async () => {
    const rp = party(true);
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.response_nonce', `${new Date().toISOString().slice(0, 19)}Zforged`);
    expectFailure(await complete(rp, url.href), 'check_authentication_failed');
  });
});
