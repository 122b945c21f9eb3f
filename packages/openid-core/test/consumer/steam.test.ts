/**
 * The Steam preset against a local stand-in that behaves as Steam's OP
 * does: identifier select only, assoc_handle 1234567890, a fixed signed list,
 * check_authentication answered only with the right Origin.
 */
import { startServer, type TestServer } from 'openid-test-helpers';
import { Consumer } from '../../src/consumer/consumer.js';
import { objectSession } from '../../src/consumer/session.js';
import { steamPreset, steamIdFromClaimedId } from '../../src/consumer/presets/steam.js';
import { Association } from '../../src/association.js';
import { Message, OPENID_NS } from '../../src/message.js';
import { makeNonce } from '../../src/nonce.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { OPENID2_NS, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE } from '../../src/constants.js';

const RP_ORIGIN = 'http://rp.example';
const STEAM_ID = '76561197960287930';
const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 });

let steam: TestServer;
let checks: Array<string | undefined> = [];
const secret = Buffer.alloc(20, 7);
const used = new Set<string>();

function xrds(type: string, endpoint: string): string {
  return `<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service priority="0"><Type>${type}</Type><URI>${endpoint}</URI></Service></XRD></xrds:XRDS>`;
}

beforeAll(async () => {
  steam = await startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', steam.url);
    const endpoint = `${steam.url}/openid/login`;
    const association = new Association({ handle: '1234567890', secret, issued: 0, lifetime: 10 ** 10, assocType: 'HMAC-SHA1' });
    if (url.pathname === '/openid') {
      res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrds(OPENID_IDP_2_0_TYPE, endpoint));
    } else if (url.pathname.startsWith('/openid/id/')) {
      res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrds(OPENID_2_0_TYPE, endpoint));
    } else if (url.pathname === '/openid/login' && req.method === 'GET') {
      const claimed = `${steam.url}/openid/id/${STEAM_ID}`;
      const response = new Message(OPENID2_NS);
      response.updateArgs(OPENID_NS, { mode: 'id_res', op_endpoint: endpoint, claimed_id: claimed, identity: claimed, return_to: url.searchParams.get('openid.return_to') as string, response_nonce: makeNonce() });
      association.signMessage(response, ['signed', 'op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'assoc_handle']);
      res.writeHead(302, { location: response.toURL(url.searchParams.get('openid.return_to') as string) }).end();
    } else if (url.pathname === '/openid/login' && req.method === 'POST') {
      checks.push(req.headers.origin);
      const message = Message.fromPostArgs(new URLSearchParams(body));
      message.setArg(OPENID_NS, 'mode', 'id_res');
      const nonce = message.getArg(OPENID_NS, 'response_nonce') ?? '';
      const valid = req.headers.origin === RP_ORIGIN && association.verifyMessage(message) && !used.has(nonce);
      used.add(nonce);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`ns:${OPENID2_NS}\nis_valid:${valid}\n`);
    } else {
      res.writeHead(404).end();
    }
  });
});
afterAll(() => steam.close());
beforeEach(() => {
  checks = [];
});

function steamConsumer(origin = RP_ORIGIN): { consumer: Consumer; opIdentifier: string } {
  const preset = steamPreset({ origin, steamBase: steam.url });
  return { consumer: new Consumer({ session: objectSession({}), fetcher, ...preset.consumer }), opIdentifier: preset.opIdentifier };
}

async function assertion(consumer: Consumer, opIdentifier: string): Promise<URL> {
  const auth = await consumer.begin(opIdentifier);
  expect(auth.association).toBeUndefined();
  const response = await fetch(auth.redirectUrl(`${RP_ORIGIN}/`, `${RP_ORIGIN}/return`), { redirect: 'manual' });
  return new URL(response.headers.get('location') as string);
}

describe('Steam preset', () => {
  test('a Steam login yields the SteamID64, checked with the right Origin', async () => {
    const { consumer, opIdentifier } = steamConsumer();
    const url = await assertion(consumer, opIdentifier);
    const result = await consumer.complete(url.searchParams, url.href);
    expect(result).toMatchObject({ status: 'success', steamId: STEAM_ID, claimedId: `${steam.url}/openid/id/${STEAM_ID}` });
    expect(checks).toEqual([RP_ORIGIN]);
  });

  test('a tampered Steam response (another SteamID) fails', async () => {
    const { consumer, opIdentifier } = steamConsumer();
    const url = await assertion(consumer, opIdentifier);
    const other = `${steam.url}/openid/id/76561197960287931`;
    url.searchParams.set('openid.claimed_id', other);
    url.searchParams.set('openid.identity', other);
    const result = await consumer.complete(url.searchParams, url.href);
    expect(result).toMatchObject({ status: 'failure', reason: 'check_authentication_failed' });
  });

  test('without the Origin Steam wants, check_authentication fails closed', async () => {
    const { consumer, opIdentifier } = steamConsumer('http://elsewhere.example');
    const url = await assertion(consumer, opIdentifier);
    expect(await consumer.complete(url.searchParams, url.href)).toMatchObject({ status: 'failure', reason: 'check_authentication_failed' });
  });

  test('SteamID64 extraction accepts only Steam identifiers', () => {
    expect(steamIdFromClaimedId(`https://steamcommunity.com/openid/id/${STEAM_ID}`)).toBe(STEAM_ID);
    expect(steamIdFromClaimedId(`http://steamcommunity.com/openid/id/${STEAM_ID}`)).toBe(STEAM_ID);
    expect(steamIdFromClaimedId(`https://steamcommunity.com.evil.example/openid/id/${STEAM_ID}`)).toBeUndefined();
    expect(steamIdFromClaimedId(`https://evil.example/openid/id/${STEAM_ID}`)).toBeUndefined();
    expect(steamIdFromClaimedId('https://steamcommunity.com/openid/id/123')).toBeUndefined();
    expect(steamIdFromClaimedId(`https://steamcommunity.com/openid/id/${STEAM_ID}/extra`)).toBeUndefined();
  });
});
