/**
 * The checks that look at a running site: the relying party's return URL
 * published and answering, the provider's identity page and OP Identifier
 * leading to its endpoint.
 */
import { startMockProvider, type MockProvider } from 'openid-test-kit';
import { checkProviderDiscovery, checkReturnUrlPublished, type Finding } from '../src/index.js';
import { fetcher, startRelyingParty, startSite, type RelyingPartyFault } from './sites.js';

const ids = (findings: readonly Finding[]): string[] => findings.map((item) => `${item.level} ${item.id}`);

describe('checkReturnUrlPublished', () => {
  test.each([
    ['no relying party discovery at the realm', 'no_realm_discovery', ['warning rp.return_url_not_published']],
    ['the XRDS lists another return URL', 'other_return_url', ['error rp.return_url_not_listed']],
    ['good: realmDiscovery on the home page', 'none', []],
  ] as const)('%s', async (_name, fault: RelyingPartyFault, expected) => {
    const site = await startRelyingParty(fault);
    try {
      expect(ids(await checkReturnUrlPublished(`${site.base}/`, `${site.base}/openid/return`, fetcher))).toEqual(expected);
    } finally {
      await site.close();
    }
  });

  test('a return URL that is not served fires rp.return_url_unreachable', async () => {
    const site = await startRelyingParty('return_route_missing');
    try {
      expect(ids(await checkReturnUrlPublished(`${site.base}/`, `${site.base}/gone/return`, fetcher))).toEqual(['error rp.return_url_unreachable']);
    } finally {
      await site.close();
    }
  });
});

describe('checkProviderDiscovery', () => {
  let op: MockProvider;
  beforeAll(async () => {
    op = await startMockProvider();
  });
  afterAll(() => op.close());

  test('good: the identity page and the OP Identifier lead to the endpoint', async () => {
    expect(await checkProviderDiscovery({ opEndpoint: op.opEndpoint, identityUrl: op.identifier('victim'), opIdentifier: op.opIdentifier, fetcher })).toEqual([]);
  });

  test('configured with another endpoint than discovery names: both documents are inconsistent', async () => {
    const findings = await checkProviderDiscovery({ opEndpoint: `${op.base}/old-endpoint`, identityUrl: op.identifier('victim'), opIdentifier: op.opIdentifier, fetcher });
    expect(ids(findings)).toEqual(['error op.identity_page_inconsistent', 'error op.op_identifier_inconsistent']);
    expect(findings[0]?.message).toContain(`leads to ${op.opEndpoint}`);
  });

  test('an identity page that is not there is undiscoverable', async () => {
    expect(ids(await checkProviderDiscovery({ opEndpoint: op.opEndpoint, identityUrl: `${op.base}/user/nobody`, fetcher }))).toEqual(['error op.identity_page_undiscoverable']);
  });
});

describe('the rarer discovery findings', () => {
  test('a realm whose XRDS location is missing: rp.realm_discovery_failed', async () => {
    const site = await startSite();
    site.app.get('/', (_req, res) => {
      res.set('X-XRDS-Location', `${site.base}/missing.xrds`).send('home');
    });
    site.app.get('/openid/return', (_req, res) => {
      res.status(400).send('no assertion');
    });
    try {
      expect(ids(await checkReturnUrlPublished(`${site.base}/`, `${site.base}/openid/return`, fetcher))).toEqual(['warning rp.realm_discovery_failed']);
    } finally {
      await site.close();
    }
  });

  test('an identity page that redirects, and an OP Identifier that is not there', async () => {
    const op = await startMockProvider();
    const site = await startSite();
    site.app.get('/me', (_req, res) => {
      res.redirect(302, op.identifier('victim'));
    });
    try {
      const findings = await checkProviderDiscovery({ opEndpoint: op.opEndpoint, identityUrl: `${site.base}/me`, opIdentifier: `${site.base}/no-op`, fetcher });
      expect(ids(findings)).toEqual(['warning op.identity_redirects', 'error op.op_identifier_undiscoverable']);
    } finally {
      await site.close();
      await op.close();
    }
  });
});
