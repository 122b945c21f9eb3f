/**
 * §11.3: the response nonce, used in the store only after everything else
 * passed; a replay fails with `nonce_reused`.
 */
import { StoreError } from '../../../src/errors.js';
import { DEFAULT_NONCE_SKEW_SECONDS, makeNonce, parseNonce } from '../../../src/nonce.js';
import type { OpenIDStore } from '../../../src/store/store.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import { startOP, type TestOP } from '../op.js';
import { forgeAssertion, knownAssociation } from '../forge.js';
import { assertionUrl, complete, expectFailure, party, returnToFor, type Party } from '../parties.js';

let op: TestOP;
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

/** A relying party associated with `op` through a known association, and an answer signed with it. */
async function signedAnswer(options: { nonce?: string; rp?: Party } = {}): Promise<{ rp: Party; url: string }> {
  const association = knownAssociation();
  const rp = options.rp ?? party();
  await rp.store?.storeAssociation(op.endpoint, association);
  const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
  const nonce = options.nonce === undefined ? {} : { nonce: options.nonce };
  return { rp, url: forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/user/alice`, returnTo, ...nonce }) };
}

describe('the response nonce', () => {
  test.each(['garbage', '2026-13-45T99:99:99Zx', `${new Date().toISOString()}salt`, ''])('malformed (%j): invalid_nonce', async (nonce) => {
    const { rp, url } = await signedAnswer({ nonce });
    expectFailure(await complete(rp, url), 'invalid_nonce');
  });

  test.each([
    ['six hours old', -6 * 3600 * 1000],
    ['six hours ahead', 6 * 3600 * 1000],
  ])('%s: nonce_stale', async (_name, offset) => {
    const { rp, url } = await signedAnswer({ nonce: makeNonce(Date.now() + offset) });
    expectFailure(await complete(rp, url), 'nonce_stale');
  });

  test('a replayed real answer: nonce_reused', async () => {
    const rp = party();
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    expect(await complete(rp, url)).toMatchObject({ status: 'success' });
    // In the same session the transaction is gone already; another session allowing unsolicited answers reaches the nonce.
    const replayer = party({ store: rp.store, allowUnsolicitedAssertions: true });
    expectFailure(await complete(replayer, url), 'nonce_reused');
  });

  test('the same answer twice in one session: the second finds no transaction', async () => {
    const rp = party();
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    expect(await complete(rp, url)).toMatchObject({ status: 'success' });
    expectFailure(await complete(rp, url), 'unsolicited_assertion');
  });

  test('the nonce is consumed last: a response refused earlier leaves it unused', async () => {
    const nonce = makeNonce();
    const first = await signedAnswer({ nonce });
    const tampered = new URL(first.url);
    tampered.searchParams.set('openid.sig', Buffer.alloc(32, 5).toString('base64'));
    expectFailure(await complete(first.rp, tampered.href), 'signature_mismatch');
    const again = await signedAnswer({ nonce, rp: party({ store: first.rp.store }) });
    expect(await complete(again.rp, again.url)).toMatchObject({ status: 'success' });
  });

  test('17.11: a replayed OpenID 1.1 answer is refused by its signed response_nonce', async () => {
    const rp = party();
    const url = await assertionUrl(rp, `${op.base}/v1/alice`);
    const assertion = new URL(url).searchParams;
    expect(assertion.get('openid.ns')).toBeNull();
    expect(assertion.get('openid.signed')?.split(',')).toContain('response_nonce');
    // A session kept in a cookie can be sent again as it was: the transaction comes back with it.
    const snapshot = structuredClone(rp.session);
    expect(await complete(rp, url)).toMatchObject({ status: 'success' });
    Object.assign(rp.session, snapshot);
    expectFailure(await complete(rp, url), 'nonce_reused');
  });

  test('17.11: an OpenID 1.1 answer whose nonce is not signed, or in a format of its own, relies on the transaction alone', async () => {
    const used = makeNonce();
    const cases = [
      { extra: { response_nonce: used }, signed: ['return_to', 'identity'] },
      { extra: { response_nonce: 'opaque-1.1-nonce' } },
    ];
    for (const change of cases) {
      const association = knownAssociation();
      const rp = party();
      const { timestamp, salt } = parseNonce(used);
      await rp.store?.useNonce(op.endpoint, timestamp, salt);
      await rp.store?.storeAssociation(op.endpoint, association);
      const returnTo = await returnToFor(rp, `${op.base}/v1/alice`);
      const url = forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/v1/alice`, returnTo, openid1: true, ...change });
      expect(await complete(rp, url)).toMatchObject({ status: 'success' });
    }
  });

  test('a store failing on useNonce: store_error, never a success', async () => {
    const store = new MemoryStore();
    store.useNonce = async () => {
      throw new StoreError('connection refused');
    };
    const { rp, url } = await signedAnswer({ rp: party({ store }) });
    expectFailure(await complete(rp, url), 'store_error');
  });
});

describe('18.4: one nonce window, the store\'s', () => {
  const MINUTE = 60 * 1000;

  test("a nonce outside the store's narrower window: nonce_stale (refused before the store, not 'reused' by it)", async () => {
    const store = new MemoryStore({ skewSeconds: 60 });
    const { rp, url } = await signedAnswer({ rp: party({ store }), nonce: makeNonce(Date.now() - 2 * MINUTE) });
    expectFailure(await complete(rp, url), 'nonce_stale');
  });

  test("a nonce inside the store's wider window (past the 30-minute default): accepted", async () => {
    const store = new MemoryStore({ skewSeconds: 2 * 86400 });
    expect(store.skewSeconds).toBe(2 * 86400);
    const { rp, url } = await signedAnswer({ rp: party({ store }), nonce: makeNonce(Date.now() - 6 * 60 * MINUTE) });
    expect(await complete(rp, url)).toMatchObject({ status: 'success' });
  });

  test('a store that does not tell its window: DEFAULT_NONCE_SKEW_SECONDS', async () => {
    const inner = new MemoryStore({ skewSeconds: 2 * 86400 });
    const store: OpenIDStore = {
      storeAssociation: (server, association) => inner.storeAssociation(server, association),
      getAssociation: (server, handle) => inner.getAssociation(server, handle),
      removeAssociation: (server, handle) => inner.removeAssociation(server, handle),
      useNonce: (server, timestamp, salt) => inner.useNonce(server, timestamp, salt),
      cleanup: () => inner.cleanup(),
      close: () => inner.close(),
    };
    const late = await signedAnswer({ rp: party({ store }), nonce: makeNonce(Date.now() - (DEFAULT_NONCE_SKEW_SECONDS + 60) * 1000) });
    expectFailure(await complete(late.rp, late.url), 'nonce_stale');
    const inTime = await signedAnswer({ rp: party({ store }), nonce: makeNonce(Date.now() - (DEFAULT_NONCE_SKEW_SECONDS - 60) * 1000) });
    expect(await complete(inTime.rp, inTime.url)).toMatchObject({ status: 'success' });
  });
});
