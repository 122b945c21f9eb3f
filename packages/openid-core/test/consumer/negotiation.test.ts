/** Association negotiation against a real OP (§8): preferences, unsupported-type retry, reuse. */
import { Consumer } from '../../src/consumer/consumer.js';
import { objectSession } from '../../src/consumer/session.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { startOP, type TestOP } from './op.js';

const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 });
let sha1Only: TestOP;
beforeAll(async () => {
  sha1Only = await startOP({ assocTypes: ['HMAC-SHA1'], preferred: { assocType: 'HMAC-SHA1', sessionType: 'DH-SHA1' } });
});
afterAll(() => sha1Only.close());

describe('association negotiation', () => {
  test('unsupported-type: one retry with the OP suggestion our policy allows', async () => {
    const store = new MemoryStore();
    const consumer = new Consumer({ session: objectSession({}), store, fetcher });
    const auth = await consumer.begin(`${sha1Only.base}/user/alice`);
    expect(auth.association?.assocType).toBe('HMAC-SHA1');
    const again = await consumer.begin(`${sha1Only.base}/user/alice`);
    expect(again.association?.handle).toBe(auth.association?.handle);
  });

  test('a suggestion outside our policy is not taken: the login goes stateless', async () => {
    const consumer = new Consumer({ session: objectSession({}), store: new MemoryStore(), fetcher, associationPreferences: [{ assocType: 'HMAC-SHA256', sessionType: 'DH-SHA256' }] });
    const auth = await consumer.begin(`${sha1Only.base}/user/alice`);
    expect(auth.association).toBeUndefined();
    const response = await fetch(auth.redirectUrl('http://rp.example/', 'http://rp.example/return'), { redirect: 'manual' });
    const url = response.headers.get('location') as string;
    expect((await consumer.complete(new URL(url).searchParams, url)).status).toBe('success');
  });

  test('no-encryption is never requested over plain HTTP', async () => {
    const consumer = new Consumer({ session: objectSession({}), store: new MemoryStore(), fetcher, associationPreferences: [{ assocType: 'HMAC-SHA1', sessionType: 'no-encryption' }] });
    const before = sha1Only.http.requests.length;
    const auth = await consumer.begin(`${sha1Only.base}/user/alice`);
    expect(auth.association).toBeUndefined();
    expect(sha1Only.http.requests.slice(before).some((path) => path.startsWith('/openid'))).toBe(false);
  });
});
