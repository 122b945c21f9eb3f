/**
 * §10.1: the fields an assertion must carry and sign, and the message
 * itself (§4.1.2: one value per key, no NUL bytes). Forged responses fail
 * with `invalid_message`, `missing_field` or `missing_signed_field`.
 */
import { startOP, type TestOP } from '../op.js';
import { forgeAssertion, knownAssociation } from '../forge.js';
import { assertionUrl, complete, expectFailure, party, returnToFor } from '../parties.js';

let op: TestOP;
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

describe('the message', () => {
  test('duplicate query keys (parameter pollution): invalid_message', async () => {
    const rp = party();
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    expectFailure(await complete(rp, `${url}&openid.identity=${encodeURIComponent(`${op.base}/user/mallory`)}`), 'invalid_message');
  });

  test('duplicate keys in a POST body: invalid_message', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    const body = new URLSearchParams([...url.searchParams].filter(([key]) => key.startsWith('openid.')));
    body.append('openid.claimed_id', `${op.base}/user/mallory`);
    expectFailure(await rp.consumer.complete(rp.sessionStore, body, url.href), 'invalid_message');
  });

  test('a NUL byte in a field: invalid_message', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.claimed_id', `${op.base}/user/alice\0.evil.example`);
    expectFailure(await complete(rp, url.href), 'invalid_message');
  });

  test.each([
    ['an unknown openid.ns', { 'openid.ns': 'http://evil.example/ns', 'openid.mode': 'id_res' }],
    ['an unexpected mode', { 'openid.ns': 'http://specs.openid.net/auth/2.0', 'openid.mode': 'checkid_setup' }],
    ['no mode', { 'openid.ns': 'http://specs.openid.net/auth/2.0' }],
    ['an alias naming the OpenID namespace', { 'openid.ns': 'http://specs.openid.net/auth/2.0', 'openid.ns.x': 'http://specs.openid.net/auth/2.0', 'openid.mode': 'id_res' }],
  ])('%s: invalid_message', async (_name, args) => {
    const rp = party();
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    expectFailure(await rp.consumer.complete(rp.sessionStore, args, returnTo), 'invalid_message');
  });

  test('a current URL that is not a URL: invalid_message', async () => {
    const rp = party();
    expectFailure(await rp.consumer.complete(rp.sessionStore, { 'openid.mode': 'id_res' }, 'not a url'), 'invalid_message');
  });
});

describe('required and signed fields', () => {
  test.each(['op_endpoint', 'response_nonce', 'return_to', 'claimed_id'])('openid.%s missing: missing_field', async (field) => {
    const rp = party();
    const returnTo = await returnToFor(rp, `${op.base}/user/alice`);
    const url = forgeAssertion({ association: knownAssociation(), opEndpoint: op.endpoint, claimedId: `${op.base}/user/alice`, returnTo, omit: [field] });
    expectFailure(await complete(rp, url), 'missing_field');
  });

  test.each(['op_endpoint', 'return_to', 'response_nonce', 'assoc_handle', 'claimed_id', 'identity'])(
    '%s dropped from openid.signed of a real answer: missing_signed_field',
    async (field) => {
      const rp = party();
      const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
      url.searchParams.set('openid.signed', (url.searchParams.get('openid.signed') as string).split(',').filter((f) => f !== field).join(','));
      expectFailure(await complete(rp, url.href), 'missing_signed_field');
    },
  );

  test.each(['return_to', 'identity'])('OpenID 1.x: %s not signed: missing_signed_field', async (field) => {
    const association = knownAssociation({ assocType: 'HMAC-SHA1' });
    const rp = party();
    await rp.store?.storeAssociation(op.endpoint, association);
    const returnTo = await returnToFor(rp, `${op.base}/v1/bob`);
    const signed = ['return_to', 'identity'].filter((f) => f !== field);
    const url = forgeAssertion({ association, opEndpoint: op.endpoint, claimedId: `${op.base}/v1/bob`, returnTo, openid1: true, signed });
    expectFailure(await complete(rp, url), 'missing_signed_field');
  });
});
