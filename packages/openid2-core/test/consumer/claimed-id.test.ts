/**
 * One identity, one claimedId: however the OP spells the claimed
 * identifier (scheme and host case, default port, dot segments,
 * percent-encoding), a verified assertion gives the identifier as discovery
 * verified it (OpenID 2.0 §7.2, §11.2, §11.5.1).
 */
import { startServer, type TestServer } from 'openid-test-helpers';
import { OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE } from '../../src/constants.js';
import type { Fetcher } from '../../src/fetch/fetcher.js';
import { forgeAssertion, knownAssociation } from './forge.js';
import { complete, fetcher as localFetcher, party, returnToFor } from './parties.js';

/** The OP's public origin; requests to it go to the local server (so its default port can be spelled out). */
const OP = 'https://op.example';
const ENDPOINT = `${OP}/openid`;

let server: TestServer;
/** Sends requests for https://op.example to the local server, and reports URLs back under that origin. */
let fetcher: Fetcher;

beforeAll(async () => {
  const xrds = (type: string): string =>
    `<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service><Type>${type}</Type><URI>${ENDPOINT}</URI></Service></XRD></xrds:XRDS>`;
  server = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/') res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrds(OPENID_IDP_2_0_TYPE));
    else if (path.startsWith('/user/')) res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrds(OPENID_2_0_TYPE));
    else res.writeHead(404).end();
  });
  fetcher = {
    fetch: async (url, init) => {
      const target = new URL(url);
      expect(target.origin).toBe(OP);
      const response = await localFetcher.fetch(`${server.url}${target.pathname}${target.search}`, init);
      return { ...response, finalUrl: `${OP}${response.finalUrl.slice(server.url.length)}` };
    },
  };
});
afterAll(() => server.close());

const ALICE = `${OP}/user/alice`;
const ZOE = `${OP}/user/zo%C3%AB`;

/** An assertion for `spelling`, signed by the OP, after a login begun at `begunAt`. */
async function assertFor(begunAt: string, spelling: string): Promise<Awaited<ReturnType<typeof complete>>> {
  const association = knownAssociation();
  const rp = party({ fetcher });
  await rp.store?.storeAssociation(ENDPOINT, association);
  const returnTo = await returnToFor(rp, begunAt);
  // openid.identity is the OP-local identifier: never with the fragment.
  return complete(rp, forgeAssertion({ association, opEndpoint: ENDPOINT, claimedId: spelling, identity: spelling.split('#')[0], returnTo }));
}

const spellings: [string, string][] = [
  [ALICE, ALICE],
  [ALICE, 'HTTPS://OP.EXAMPLE:443/user/./alice'],
  [ALICE, 'https://op.example:443/user/alice'],
  [ALICE, 'https://Op.Example/user/bob/../alice'],
  [ALICE, 'https://op.example/user/%61lic%65'],
  [ZOE, 'https://op.example/user/zo%c3%ab'],
  [ZOE, 'https://op.example/user/zoë'],
  [ZOE, 'hTTpS://OP.example:443/./user/zo%C3%ab'],
];

describe('17.4: the claimedId of a success', () => {
  test.each(spellings)('17.4: every spelling of one identity gives the same claimedId (%s as %s), begun at the identifier', async (canonical, spelling) => {
    expect(await assertFor(canonical, spelling)).toMatchObject({ status: 'success', claimedId: canonical, displayIdentifier: canonical });
  });

  test.each(spellings)('17.4: every spelling of one identity gives the same claimedId (%s as %s), identifier select (rediscovered)', async (canonical, spelling) => {
    expect(await assertFor(`${OP}/`, spelling)).toMatchObject({ status: 'success', claimedId: canonical, displayIdentifier: canonical });
  });

  test.each([
    ['HTTPS://OP.EXAMPLE:443/user/./alice#%7e2', `${ALICE}#~2`],
    ['https://op.example/user/alice#a%2fb', `${ALICE}#a%2Fb`],
    ['https://op.example/user/alice#', ALICE],
  ])('17.4: the fragment (§11.5.1) is kept, normalized: %s gives %s', async (spelling, expected) => {
    expect(await assertFor(ALICE, spelling)).toMatchObject({ status: 'success', claimedId: expected, displayIdentifier: ALICE });
    expect(await assertFor(`${OP}/`, spelling)).toMatchObject({ status: 'success', claimedId: expected, displayIdentifier: ALICE });
  });
});
