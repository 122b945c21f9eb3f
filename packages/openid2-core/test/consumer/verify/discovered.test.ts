/**
 * §11.2: the claimed identifier must, by discovery, name the OP endpoint
 * that signed. An op_endpoint that discovery does not name is refused
 * before anything is sent to it.
 */
import type { TestOP } from '../op.js';
import { forgeAssertion, knownAssociation } from '../forge.js';
import { complete, expectFailure, party, returnToFor, withOPAndStandIn, type StandIn } from '../parties.js';

let op: TestOP;
let attacker: StandIn;
withOPAndStandIn((started) => ({ op, standIn: attacker } = started));

describe("an op_endpoint pointing at an attacker's provider that would answer is_valid:true", () => {
  test.each([['stateless', false], ['smart', true]])('%s: discovery_mismatch, and the attacker receives no request', async (_name, withStore) => {
    const rp = party({ withStore });
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const url = forgeAssertion({ opEndpoint: attacker.endpoint, claimedId: `${op.base}/user/alice`, returnTo });
    const before = attacker.http.requests.length;
    expectFailure(await complete(rp, url), 'discovery_mismatch');
    expect(attacker.http.requests.length).toBe(before);
  });

  test('unsolicited (allowed), for an identifier that never named it: discovery_mismatch, no request to the attacker', async () => {
    const rp = party({ withStore: false, allowUnsolicitedAssertions: true });
    const url = forgeAssertion({ opEndpoint: attacker.endpoint, claimedId: `${op.base}/user/alice`, returnTo: 'http://rp.example/return' });
    const before = attacker.http.requests.length;
    expectFailure(await complete(rp, url), 'discovery_mismatch');
    expect(attacker.http.requests.length).toBe(before);
  });

  test('signed by an OP the relying party is associated with, for an identifier of another OP: discovery_mismatch', async () => {
    const rogue = knownAssociation();
    const rp = party();
    await rp.store?.storeAssociation(attacker.endpoint, rogue);
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const url = forgeAssertion({ association: rogue, opEndpoint: attacker.endpoint, claimedId: `${op.base}/user/alice`, returnTo });
    const before = attacker.http.requests.length;
    expectFailure(await complete(rp, url), 'discovery_mismatch');
    expect(attacker.http.requests.length).toBe(before);
  });
});

describe('the asserted identifiers against discovery', () => {
  test('a delegated identifier asserted with another OP-local identifier: discovery_mismatch', async () => {
    const association = knownAssociation();
    const rp = party();
    await rp.store?.storeAssociation(op.endpoint, association);
    const returnTo = await returnToFor(rp, `${op.base}/`);
    const url = forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/delegated/carol`, identity: `${op.base}/user/mallory`, returnTo });
    expectFailure(await complete(rp, url), 'discovery_mismatch');
  });

  test('a claimed identifier without an OpenID service: discovery_failed', async () => {
    const association = knownAssociation();
    const rp = party();
    await rp.store?.storeAssociation(op.endpoint, association);
    const returnTo = await returnToFor(rp, `${op.base}/`);
    const url = forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/nobody`, returnTo });
    expectFailure(await complete(rp, url), 'discovery_failed');
  });

  test('another identifier than requested, on the same OP: rediscovered, and accepted when it checks out', async () => {
    const association = knownAssociation();
    const rp = party();
    await rp.store?.storeAssociation(op.endpoint, association);
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const url = forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/user/bob`, returnTo });
    expect(await complete(rp, url)).toMatchObject({ status: 'success', claimedId: `${op.base}/user/bob` });
  });

  test('OpenID 1.x: an identity other than the requested one: discovery_mismatch', async () => {
    const association = knownAssociation({ assocType: 'HMAC-SHA1' });
    const rp = party();
    await rp.store?.storeAssociation(op.endpoint, association);
    const returnTo = await returnToFor(rp, `${op.base}/v1/bob`);
    const url = forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/v1/mallory`, returnTo, openid1: true });
    expectFailure(await complete(rp, url), 'discovery_mismatch');
  });
});
