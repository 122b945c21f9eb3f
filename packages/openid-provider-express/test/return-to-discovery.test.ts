/**
 * Relying party discovery (§9.2.1, §13) from the provider: only when the
 * decision hook (or the consent page) asks for it, once per realm, and never
 * to a private address other than loopback under the development switch.
 */
import type { LookupAddress } from 'node:dns';
import { CookieClient, startServer, type TestServer } from 'openid-test-helpers';
import { createFetcher, OPENID2_NS, RP_RETURN_TO_TYPE, type Fetcher, type FetchError, type LookupFunction } from 'openid2-core';
import type { Decision, DecisionContext } from '../src/index.js';
import { startProvider, type TestProvider } from './app.js';

let realms: TestServer;
beforeAll(async () => {
  // Every realm on this server publishes its own `<realm>return` as return_to.
  realms = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    res.writeHead(200, { 'content-type': 'application/xrds+xml' });
    res.end(
      `<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service>` +
        `<Type>${RP_RETURN_TO_TYPE}</Type><URI>${realms.url}${path}return</URI></Service></XRD></xrds:XRDS>`,
    );
  });
});
afterAll(() => realms.close());

/** A checkid_setup URL at the provider for a realm (`http://…/path/`) and a return_to inside it. */
function checkidUrl(provider: TestProvider, realm: string, returnTo = `${realm}return`, mode = 'checkid_setup'): string {
  const params = new URLSearchParams({
    'openid.ns': OPENID2_NS,
    'openid.mode': mode,
    'openid.claimed_id': `${provider.base}/user/alice`,
    'openid.identity': `${provider.base}/user/alice`,
    'openid.return_to': returnTo,
    'openid.realm': realm,
  });
  return `${provider.endpoint}?${params}`;
}

const realmFetches = (path: string): number => realms.requests.filter((request) => request === path).length;

async function withProvider(decide: (context: DecisionContext) => Promise<Decision>, run: (provider: TestProvider) => Promise<void>): Promise<void> {
  // A fetcher that can reach the realm server: only laziness keeps requests from it.
  const provider = await startProvider({ provider: { decide, fetcher: createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 }) } });
  try {
    await run(provider);
  } finally {
    await provider.close();
  }
}

describe('17.9: relying party discovery is lazy', () => {
  test('17.9: an unauthenticated checkid request whose decision does not read returnToVerified makes no request to the realm', async () => {
    await withProvider(async ({ req }) => ((req as { session: { user?: string } }).session.user === undefined ? { type: 'interact' } : { type: 'deny' }), async (provider) => {
      const realm = `${realms.url}/quiet/`;
      const setup = await new CookieClient().get(checkidUrl(provider, realm));
      expect(setup.status).toBe(303);
      expect(setup.location).toMatch(/\/login\?interaction=/);
      const immediate = await new CookieClient().get(checkidUrl(provider, realm, undefined, 'checkid_immediate'));
      expect(immediate.status).toBe(302);
      expect(new URL(immediate.location as string).searchParams.get('openid.mode')).toBe('setup_needed');
      expect(realmFetches('/quiet/')).toBe(0);
    });
  });

  test('17.9: a decision that reads returnToVerified fetches each realm once', async () => {
    const seen: boolean[] = [];
    await withProvider(async ({ returnToVerified }) => {
      seen.push(await returnToVerified());
      return { type: 'deny' };
    }, async (provider) => {
      const first = `${realms.url}/first/`;
      const second = `${realms.url}/second/`;
      for (const url of [checkidUrl(provider, first), checkidUrl(provider, first), checkidUrl(provider, second), checkidUrl(provider, first, `${first}unpublished`)]) {
        const answer = await new CookieClient().get(url);
        expect(answer.status).toBe(302);
        expect(new URL(answer.location as string).searchParams.get('openid.mode')).toBe('cancel');
      }
      expect(seen).toEqual([true, true, true, false]);
      expect(realmFetches('/first/')).toBe(1);
      expect(realmFetches('/second/')).toBe(1);
    });
  });

  test('17.9: the consent page asks through interactionDetails, after the decision, once per realm', async () => {
    await withProvider(async () => ({ type: 'interact' }), async (provider) => {
      const browser = new CookieClient();
      const hop = await browser.get(checkidUrl(provider, `${realms.url}/consent/`));
      expect(hop.status).toBe(303);
      expect(realmFetches('/consent/')).toBe(0);
      const page = await browser.get(`${hop.location as string}&verify=1`);
      expect(page.body).toContain('<p class="verified">true</p>');
      await browser.get(`${hop.location as string}&verify=1`);
      expect(realmFetches('/consent/')).toBe(1);
    });
  });
});

describe('17.9: allowLoopback lets the provider reach a relying party on 127.0.0.1 and nothing else private', () => {
  /** A DNS stand-in: names of private hosts, never asked of a real resolver. */
  const lookup: LookupFunction = (hostname, _options, callback) => {
    const table: Record<string, string> = { 'intranet.example': '192.168.1.20', 'corp.example': '10.20.30.40' };
    const address = table[hostname];
    if (address === undefined) callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
    else callback(null, [{ address, family: 4 } satisfies LookupAddress]);
  };

  test.each([
    ['127.0.0.1 (the local relying party)', () => `${realms.url}/loopback/`, true],
    ['a 10.x address', () => 'http://10.1.2.3/', false],
    ['a 192.168.x address', () => 'http://192.168.0.10/', false],
    ['a name resolving to 192.168.x', () => 'http://intranet.example/', false],
    ['a name resolving to 10.x', () => 'http://corp.example/', false],
  ])('17.9: %s', async (_name, realm, verified) => {
    const seen: boolean[] = [];
    const refusals: unknown[] = [];
    const guarded = createFetcher({ allowLoopback: true, timeoutMs: 2000, lookup });
    // Records why a fetch failed: `private_address` is the guard's refusal, before any connection.
    const fetcher: Fetcher = {
      fetch: (url, init) =>
        guarded.fetch(url, init).catch((error: unknown) => {
          refusals.push((error as FetchError).reason);
          throw error;
        }),
    };
    const provider = await startProvider({
      provider: {
        fetcher,
        decide: async ({ returnToVerified }) => {
          seen.push(await returnToVerified());
          return { type: 'deny' };
        },
      },
    });
    try {
      const answer = await new CookieClient().get(checkidUrl(provider, realm()));
      expect(answer.status).toBe(302);
      expect(seen).toEqual([verified]);
      expect(refusals).toEqual(verified ? [] : ['private_address']);
    } finally {
      await provider.close();
    }
  });
});
