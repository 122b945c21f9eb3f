/**
 * Association negotiation against a real OP (§8): preferences, the
 * unsupported-type retry, reuse, OpenID 1.x, and endpoints that cannot be
 * reached.
 */
import { startServer, type TestServer } from 'openid-test-helpers';
import { Consumer } from '../../src/consumer/consumer.js';
import type { ConsumerOptions } from '../../src/consumer/consumer-config.js';
import { objectSession } from '../../src/consumer/session.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { DiscoveryError, StoreError } from '../../src/errors.js';
import { OPENID_2_0_TYPE } from '../../src/constants.js';
import { startOP, type TestOP } from './op.js';
import { fetcher, REALM, RP } from './parties.js';

let sha1Only: TestOP;
let op: TestOP;
let pages: TestServer;
beforeAll(async () => {
  sha1Only = await startOP({ assocTypes: ['HMAC-SHA1'], preferred: { assocType: 'HMAC-SHA1', sessionType: 'DH-SHA1' } });
  op = await startOP();
  // Identity pages listing an endpoint that does not answer before a working one.
  pages = await startServer((req, res) => {
    const uris = req.url === '/two' ? ['http://127.0.0.1:1/openid', op.endpoint] : ['http://127.0.0.1:1/openid', 'http://127.0.0.1:2/openid'];
    const services = uris.map((uri, index) => `<Service priority="${index}"><Type>${OPENID_2_0_TYPE}</Type><URI>${uri}</URI><LocalID>${op.base}/user/alice</LocalID></Service>`).join('');
    res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(`<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD>${services}</XRD></xrds:XRDS>`);
  });
});
afterAll(async () => {
  await sha1Only.close();
  await op.close();
  await pages.close();
});

/** The user's session the logins of this file start and complete in. */
const session = objectSession({});

function consumerWith(store: MemoryStore | undefined, extra: ConsumerOptions = {}): Consumer {
  return new Consumer({ store, fetcher, ...extra });
}

describe('association negotiation', () => {
  test('unsupported-type: one retry with the OP suggestion our policy allows, then reuse', async () => {
    const consumer = consumerWith(new MemoryStore());
    const auth = await consumer.begin(session, `${sha1Only.base}/user/alice`);
    expect(auth.association?.assocType).toBe('HMAC-SHA1');
    expect(auth.associationMade).toBe(true);
    const again = await consumer.begin(session, `${sha1Only.base}/user/alice`);
    expect(again.association?.handle).toBe(auth.association?.handle);
    expect(again.associationMade).toBe(false);
  });

  test('a suggestion outside our policy is not taken: the login goes stateless, and still succeeds', async () => {
    const consumer = consumerWith(new MemoryStore(), { associationPreferences: [{ assocType: 'HMAC-SHA256', sessionType: 'DH-SHA256' }] });
    const auth = await consumer.begin(session, `${sha1Only.base}/user/alice`);
    expect(auth.association).toBeUndefined();
    const response = await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' });
    const url = response.headers.get('location') as string;
    expect((await consumer.complete(session, new URL(url).searchParams, url)).status).toBe('success');
  });

  test('no-encryption is never requested over plain HTTP', async () => {
    const consumer = consumerWith(new MemoryStore(), { associationPreferences: [{ assocType: 'HMAC-SHA1', sessionType: 'no-encryption' }] });
    const before = sha1Only.http.requests.length;
    const auth = await consumer.begin(session, `${sha1Only.base}/user/alice`);
    expect(auth.association).toBeUndefined();
    expect(sha1Only.http.requests.slice(before).some((path) => path.startsWith('/openid'))).toBe(false);
  });

  test('an OpenID 1.x OP gets HMAC-SHA1, and a stored SHA-256 association is not reused with it', async () => {
    const store = new MemoryStore();
    const first = await consumerWith(store).begin(session, `${op.base}/user/alice`);
    expect(first.association?.assocType).toBe('HMAC-SHA256');
    const v1 = await consumerWith(store).begin(session, `${op.base}/v1/bob`);
    expect(v1.association?.assocType).toBe('HMAC-SHA1');
  });

  test('stateless: never associates, even with a store', async () => {
    const before = op.http.requests.filter((path) => path === '/openid').length;
    const auth = await consumerWith(new MemoryStore(), { stateless: true }).begin(session, `${op.base}/user/alice`);
    expect(auth.association).toBeUndefined();
    expect(op.http.requests.filter((path) => path === '/openid').length).toBe(before);
  });

  test('a store fault while associating is a fault, not a quiet stateless login', async () => {
    const store = new MemoryStore();
    store.storeAssociation = async () => {
      throw new StoreError('disk full');
    };
    await expect(consumerWith(store).begin(session, `${op.base}/user/alice`)).rejects.toBeInstanceOf(StoreError);
  });
});

describe('several endpoints', () => {
  test('one that cannot be reached is skipped for the next, and the login completes there', async () => {
    const store = new MemoryStore();
    const consumer = consumerWith(store);
    const auth = await consumer.begin(session, `${pages.url}/two`);
    expect(auth.endpoint.opEndpoint).toBe(op.endpoint);
    expect(auth.association).toBeDefined();
    const response = await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' });
    const url = response.headers.get('location') as string;
    expect(await consumer.complete(session, new URL(url).searchParams, url)).toMatchObject({ status: 'success', claimedId: `${pages.url}/two`, identity: `${op.base}/user/alice` });
  });

  test('when none can be reached: DiscoveryError', async () => {
    await expect(consumerWith(new MemoryStore()).begin(session, `${pages.url}/none`)).rejects.toBeInstanceOf(DiscoveryError);
  });
});
