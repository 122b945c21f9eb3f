/**
 * Negative answers and errors (§5.2.3, §10.2; OpenID 1.1 §4.2.2.1), and
 * the transaction every answer is matched with: unsolicited or late answers
 * are refused.
 */
import { OPENID2_NS } from '../../../src/constants.js';
import { startOP, type TestOP } from '../op.js';
import { forgeAssertion, knownAssociation } from '../forge.js';
import { assertionUrl, complete, expectFailure, party, returnToFor } from '../parties.js';

let op: TestOP;
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

describe('negative answers', () => {
  test('cancel takes the transaction out: a later positive answer to it is unsolicited', async () => {
    const rp = party();
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const cancel = new URL(returnTo);
    cancel.searchParams.set('openid.ns', OPENID2_NS);
    cancel.searchParams.set('openid.mode', 'cancel');
    expect(await complete(rp, cancel.href)).toEqual({ status: 'cancel' });
    expect(Object.keys(rp.session.openidTransactions as object)).toEqual([]);
  });

  test("an OpenID 1.x user_setup_url is passed on only if it is http(s)", async () => {
    const rp = party();
    for (const [given, expected] of [
      ['https://op.example/setup?x=1', 'https://op.example/setup?x=1'],
      ['javascript:alert(1)', undefined],
      ['data:text/html,<script>', undefined],
      ['not a url', undefined],
    ] as const) {
      const returnTo = await returnToFor(rp, `${op.base}/v1/bob`);
      const url = new URL(returnTo);
      url.searchParams.set('openid.mode', 'id_res');
      url.searchParams.set('openid.user_setup_url', given);
      expect(await complete(rp, url.href)).toEqual({ status: 'setup_needed', setupUrl: expected });
    }
  });

  test('an error answer: provider_error, with the OP text made harmless', async () => {
    const rp = party();
    const url = new URL(await returnToFor(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.ns', OPENID2_NS);
    url.searchParams.set('openid.mode', 'error');
    url.searchParams.set('openid.error', 'oops\nis_valid:true\r\n<script>');
    const result = await complete(rp, url.href);
    expectFailure(result, 'provider_error');
    if (result.status === 'failure') expect(result.message).not.toMatch(/[\r\n]/);
  });
});

describe('the transaction', () => {
  test('an answer to a login this session never started: unsolicited_assertion', async () => {
    const url = await assertionUrl(party(), `${op.base}/user/alice`);
    expectFailure(await complete(party(), url), 'unsolicited_assertion');
  });

  test('unsolicited answers, when allowed, are verified in full (OpenID 2.0)', async () => {
    const association = knownAssociation();
    const rp = party({ allowUnsolicitedAssertions: true });
    await rp.store?.storeAssociation(op.endpoint, association);
    const url = forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/user/alice`, returnTo: 'http://rp.example/return' });
    expect(await complete(rp, url)).toMatchObject({ status: 'success', claimedId: `${op.base}/user/alice` });
    const tampered = new URL(url);
    tampered.searchParams.set('openid.sig', Buffer.alloc(32).toString('base64'));
    expectFailure(await complete(rp, tampered.href), 'signature_mismatch');
  });

  test('unsolicited OpenID 1.x answers are refused even when unsolicited ones are allowed', async () => {
    const association = knownAssociation({ assocType: 'HMAC-SHA1' });
    const rp = party({ allowUnsolicitedAssertions: true });
    await rp.store?.storeAssociation(op.endpoint, association);
    const url = forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/v1/bob`, returnTo: 'http://rp.example/return', openid1: true });
    expectFailure(await complete(rp, url), 'unsolicited_assertion');
  });

  test('an answer after the transaction lifetime: transaction_expired', async () => {
    let now = Date.now();
    const rp = party({ now: () => now, transactionTtlMs: 60_000 });
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    now += 61_000;
    expectFailure(await complete(rp, url), 'transaction_expired');
  });

  test('a session entry that is not a transaction counts as none', async () => {
    const rp = party();
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    const table = rp.session.openidTransactions as Record<string, Record<string, unknown>>;
    for (const entry of Object.values(table)) entry.opEndpoint = 42;
    expectFailure(await complete(rp, url), 'unsolicited_assertion');
  });

  test('only the newest five logins in progress are kept per session', async () => {
    const rp = party({ withStore: false });
    const urls: string[] = [];
    for (let i = 0; i < 6; i += 1) urls.push(await returnToFor(rp, `${op.base}/user/alice`));
    expect(Object.keys(rp.session.openidTransactions as object)).toHaveLength(5);
    expect(await rp.consumer.hasTransactionFor(rp.sessionStore, urls[0] as string)).toBe(false);
    expect(await rp.consumer.hasTransactionFor(rp.sessionStore, urls[5] as string)).toBe(true);
    expect(await rp.consumer.hasTransactionFor(rp.sessionStore, 'http://rp.example/return?openid_tx=%00')).toBe(false);
  });
});
