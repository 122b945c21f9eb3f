/**
 * Our provider against npm's openid package (node-openid) as the relying
 * party, stateful and stateless.
 */
import openid from 'openid';
import { CookieClient } from 'openid-test-helpers';
import { startProvider, type TestProvider } from './app.js';

const RP = 'http://rp.example:8000';

interface NodeOpenIDResult { authenticated: boolean; claimedIdentifier?: string }
interface RelyingParty {
  authenticate(identifier: string, immediate: boolean, callback: (error: { message: string } | null, url?: string) => void): void;
  verifyAssertion(url: string, callback: (error: { message: string } | null, result?: NodeOpenIDResult) => void): void;
}
const { RelyingParty } = openid as unknown as { RelyingParty: new (returnUrl: string, realm: string, stateless: boolean, strict: boolean, extensions: unknown[]) => RelyingParty };

function authenticate(rp: RelyingParty, identifier: string): Promise<string> {
  return new Promise((resolve, reject) => rp.authenticate(identifier, false, (error, url) => (error || url === undefined ? reject(new Error(error?.message ?? 'no url')) : resolve(url))));
}

function verify(rp: RelyingParty, url: string): Promise<NodeOpenIDResult> {
  return new Promise((resolve, reject) => rp.verifyAssertion(url, (error, result) => (error || result === undefined ? reject(new Error(error?.message ?? 'no result')) : resolve(result))));
}

// node-openid schedules a module-global timer per association, for its whole
// lifetime (two weeks here), which would keep the test process alive. Let
// those timers not hold the process open.
const library = openid as unknown as { saveAssociation: (...args: unknown[]) => unknown };
const saveAssociation = library.saveAssociation;
library.saveAssociation = function (this: unknown, ...args: unknown[]) {
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((handler: () => void, ms?: number) => realSetTimeout(handler, ms).unref()) as typeof setTimeout;
  try {
    return saveAssociation.apply(this, args);
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
};

let provider: TestProvider;
beforeAll(async () => {
  provider = await startProvider();
});
afterAll(() => provider.close());

describe('node-openid as the relying party', () => {
  test.each([
    ['stateful', false],
    ['stateless', true],
  ])('%s login with a claimed identifier', async (_name, stateless) => {
    const rp = new RelyingParty(`${RP}/verify`, `${RP}/`, stateless, false, []);
    const url = await authenticate(rp, `${provider.base}/user/carol`);
    const hop = await new CookieClient().get(url);
    expect(hop.status).toBe(302);
    const result = await verify(rp, hop.location as string);
    expect(result).toMatchObject({ authenticated: true, claimedIdentifier: `${provider.base}/user/carol` });
  });

  test('identifier select', async () => {
    const rp = new RelyingParty(`${RP}/verify`, `${RP}/`, false, false, []);
    const hop = await new CookieClient().get(await authenticate(rp, `${provider.base}/`));
    const result = await verify(rp, hop.location as string);
    expect(result).toMatchObject({ authenticated: true, claimedIdentifier: `${provider.base}/user/alice` });
  });

  test('a tampered assertion is refused by node-openid too', async () => {
    const rp = new RelyingParty(`${RP}/verify`, `${RP}/`, true, false, []);
    const hop = await new CookieClient().get(await authenticate(rp, `${provider.base}/user/carol`));
    const tampered = new URL(hop.location as string);
    tampered.searchParams.set('openid.claimed_id', `${provider.base}/user/mallory`);
    tampered.searchParams.set('openid.identity', `${provider.base}/user/mallory`);
    await expect(verify(rp, tampered.href)).rejects.toThrow();
  });
});
