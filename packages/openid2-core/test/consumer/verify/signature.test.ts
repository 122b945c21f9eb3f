/**
 * §11.4.1: the signature, checked with the stored association before
 * anything the assertion names is fetched (CVE-2019-11027); expired
 * associations are never used; only a verified invalidate_handle removes one.
 */
import { SREG_1_1_NS } from '../../../src/constants.js';
import { MemoryStore } from '../../../src/store/memory-store.js';
import type { TestOP } from '../op.js';
import { forgeAssertion, knownAssociation } from '../forge.js';
import { assertionUrl, complete, expectFailure, party, returnToFor, withOPAndStandIn, type StandIn } from '../parties.js';

let op: TestOP;
let attacker: StandIn;
withOPAndStandIn((started) => ({ op, standIn: attacker } = started));

describe('with the association the OP signed with', () => {
  test('a changed signature: signature_mismatch', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.sig', Buffer.alloc(32, 1).toString('base64'));
    expectFailure(await complete(rp, url.href), 'signature_mismatch');
  });

  test.each(['claimed_id', 'identity', 'return_to'])('a changed signed field (%s): signature_mismatch', async (field) => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    const value = field === 'return_to' ? `${url.searchParams.get('openid.return_to')}&x=1` : `${op.base}/user/mallory`;
    url.searchParams.set(`openid.${field}`, value);
    if (field === 'return_to') url.searchParams.set('x', '1');
    expectFailure(await complete(rp, url.href), 'signature_mismatch');
  });

  test('a changed signed extension value: signature_mismatch', async () => {
    op.decide = () => ({ allow: true, extensions: [{ namespace: SREG_1_1_NS, args: { email: 'alice@example.com' } }] });
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.sreg.email', 'mallory@example.com');
    expectFailure(await complete(rp, url.href), 'signature_mismatch');
  });

  test('OpenID 1.x, a changed identity: signature_mismatch', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/v1/bob`));
    url.searchParams.set('openid.identity', `${op.base}/v1/mallory`);
    expectFailure(await complete(rp, url.href), 'signature_mismatch');
  });

  test("CVE-2019-11027: a claimed_id on an attacker's host with a bad signature makes no request there", async () => {
    const association = knownAssociation();
    const rp = party();
    await rp.store?.storeAssociation(op.endpoint, association);
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const url = new URL(forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${attacker.base}/user/alice`, returnTo }));
    url.searchParams.set('openid.sig', Buffer.alloc(32, 2).toString('base64'));
    const before = attacker.http.requests.length;
    expectFailure(await complete(rp, url.href), 'signature_mismatch');
    expect(attacker.http.requests.length).toBe(before);
  });
});

describe('expired and invalidated associations', () => {
  test('an expired association is never used: the OP then refuses to check a shared one (check_authentication_failed)', async () => {
    const expired = knownAssociation({ issued: Math.floor(Date.now() / 1000) - 7200, lifetime: 3600 });
    const rp = party();
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    await rp.store?.storeAssociation(op.endpoint, expired);
    const url = forgeAssertion({ association: expired, opEndpoint: op.endpoint, claimedId: `${op.base}/user/alice`, returnTo });
    expectFailure(await complete(rp, url), 'check_authentication_failed');
  });

  test('a store with a lagging clock that still returns it: the consumer\'s clock refuses it too', async () => {
    const lagging = new MemoryStore({ now: () => Date.now() - 2 * 3600 * 1000 });
    const rp = party({ store: lagging });
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const expired = knownAssociation({ issued: Math.floor(Date.now() / 1000) - 7200, lifetime: 3600 });
    await lagging.storeAssociation(op.endpoint, expired);
    expect(await lagging.getAssociation(op.endpoint, expired.handle)).toBeDefined();
    const url = forgeAssertion({ association: expired, opEndpoint: op.endpoint, claimedId: `${op.base}/user/alice`, returnTo });
    expectFailure(await complete(rp, url), 'check_authentication_failed');
  });

  test('invalidate_handle confirmed by the OP: the relying party forgets the handle', async () => {
    const rp = party();
    const stale = knownAssociation({ handle: '{HMAC-SHA256}{stale}' });
    await rp.store?.storeAssociation(op.endpoint, stale);
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    expect(new URL(url).searchParams.get('openid.invalidate_handle')).toBe(stale.handle);
    expect(await complete(rp, url)).toMatchObject({ status: 'success' });
    expect(await rp.store?.getAssociation(op.endpoint, stale.handle)).toBeUndefined();
  });

  test('invalidate_handle in a forged answer removes nothing', async () => {
    const rp = party();
    const good = knownAssociation();
    await rp.store?.storeAssociation(op.endpoint, good);
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const url = new URL(forgeAssertion({ association: good, opEndpoint: op.endpoint, claimedId: `${op.base}/user/alice`, returnTo }));
    url.searchParams.set('openid.invalidate_handle', good.handle);
    url.searchParams.set('openid.sig', Buffer.alloc(32, 3).toString('base64'));
    expectFailure(await complete(rp, url.href), 'signature_mismatch');
    expect(await rp.store?.getAssociation(op.endpoint, good.handle)).toBeDefined();
  });
});
