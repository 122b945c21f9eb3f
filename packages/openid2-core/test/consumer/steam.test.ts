/**
 * The Steam preset against a local stand-in that behaves as Steam's OP
 * does: identifier select only, assoc_handle 1234567890, a fixed signed
 * list, check_authentication answered only with the right Origin.
 */
import { startSteamStandIn, type SteamStandIn } from 'openid-test-helpers';
import { Consumer } from '../../src/consumer/consumer.js';
import { objectSession } from '../../src/consumer/session.js';
import { steamPreset, steamIdFromClaimedId, steamIdOf, STEAM_OP_ENDPOINT, STEAM_OP_IDENTIFIER, STEAM_REFUSAL_CODES } from '../../src/consumer/presets/steam.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { OpenIDConfigError } from '../../src/errors.js';
import type { OpenIDStore } from '../../src/store/store.js';
import type { CompletionResult } from '../../src/consumer/result.js';
import { expectFailure, fetcher, startStandIn, type StandIn } from './parties.js';

const RP_ORIGIN = 'http://rp.example';
const STEAM_ID = '76561197960287930';

let steam: SteamStandIn;
let attacker: StandIn;

beforeAll(async () => {
  steam = await startSteamStandIn({ origin: RP_ORIGIN, steamId: STEAM_ID });
  attacker = await startStandIn();
});
afterAll(async () => {
  await steam.close();
  await attacker.close();
});
beforeEach(() => {
  steam.checks = [];
  steam.singleUse = true;
  steam.associateRequests = 0;
});

/** The user's session the logins of this file start and complete in. */
const session = objectSession({});

function steamConsumer(options: { origin?: string; store?: OpenIDStore } = {}): { consumer: Consumer; opIdentifier: string } {
  const preset = steamPreset({ origin: options.origin ?? RP_ORIGIN, steamBase: steam.http.url });
  return { consumer: new Consumer({ fetcher, store: options.store, preset }), opIdentifier: preset.opIdentifier };
}

/** A refusal of the Steam preset: the one core reason, the preset's name and its own code. */
function expectRefused(result: CompletionResult, code: (typeof STEAM_REFUSAL_CODES)[number]): void {
  expect(result).toMatchObject({ status: 'failure', reason: 'preset_refused', preset: 'steam', presetCode: code });
  if (result.status === 'failure') expect(result.message.length).toBeGreaterThan(10);
}

async function assertion(consumer: Consumer, opIdentifier: string): Promise<URL> {
  const auth = await consumer.begin(session, opIdentifier);
  expect(auth.association).toBeUndefined();
  const response = await fetch(auth.redirectUrl(`${RP_ORIGIN}/`, `${RP_ORIGIN}/return`), { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location') as string);
}

describe('Steam preset', () => {
  test('a Steam login yields the SteamID64, checked with the Origin and Referer Steam wants, never associating', async () => {
    const { consumer, opIdentifier } = steamConsumer({ store: new MemoryStore() });
    const url = await assertion(consumer, opIdentifier);
    expect(url.searchParams.get('openid.assoc_handle')).toBe('1234567890');
    const result = await consumer.complete(session, url.searchParams, url.href);
    expect(result).toMatchObject({ status: 'success', presetData: { steamId: STEAM_ID }, claimedId: `${steam.http.url}/openid/id/${STEAM_ID}` });
    expect(steamIdOf(result.status === 'success' ? result : undefined)).toBe(STEAM_ID);
    expect(Object.isFrozen(result.status === 'success' ? result.presetData : undefined)).toBe(true);
    expect(steam.checks).toEqual([{ origin: RP_ORIGIN, referer: `${RP_ORIGIN}/` }]);
    expect(steam.associateRequests).toBe(0);
  });

  test('a tampered Steam response (another SteamID): check_authentication_failed', async () => {
    const { consumer, opIdentifier } = steamConsumer();
    const url = await assertion(consumer, opIdentifier);
    const other = `${steam.http.url}/openid/id/76561197960287931`;
    url.searchParams.set('openid.claimed_id', other);
    url.searchParams.set('openid.identity', other);
    expectFailure(await consumer.complete(session, url.searchParams, url.href), 'check_authentication_failed');
  });

  test('without the Origin Steam wants, check_authentication fails closed', async () => {
    const { consumer, opIdentifier } = steamConsumer({ origin: 'http://elsewhere.example' });
    const url = await assertion(consumer, opIdentifier);
    expectFailure(await consumer.complete(session, url.searchParams, url.href), 'check_authentication_failed');
  });

  test("an op_endpoint at an attacker's OP: endpoint_mismatch, and no request to the attacker or to Steam", async () => {
    const { consumer, opIdentifier } = steamConsumer();
    const url = await assertion(consumer, opIdentifier);
    url.searchParams.set('openid.op_endpoint', attacker.endpoint);
    url.searchParams.set('openid.claimed_id', `${attacker.base}/user/${STEAM_ID}`);
    url.searchParams.set('openid.identity', `${attacker.base}/user/${STEAM_ID}`);
    const before = attacker.http.requests.length;
    expectRefused(await consumer.complete(session, url.searchParams, url.href), 'endpoint_mismatch');
    expect(attacker.http.requests.length).toBe(before);
    expect(steam.checks).toEqual([]);
  });

  test.each([
    ['on an attacker host', 'identifier_invalid', () => `${attacker.base}/openid/id/${STEAM_ID}`],
    ['on a look-alike path', 'identifier_invalid', () => `${steam.http.url}/openid/id/${STEAM_ID}/../../evil`],
    ['with a short id', 'identifier_invalid', () => `${steam.http.url}/openid/id/123`],
  ] as const)('a claimed identifier %s: %s, before any request', async (_name, reason, claimed) => {
    const { consumer, opIdentifier } = steamConsumer();
    const url = await assertion(consumer, opIdentifier);
    url.searchParams.set('openid.claimed_id', claimed());
    url.searchParams.set('openid.identity', claimed());
    const before = attacker.http.requests.length;
    expectRefused(await consumer.complete(session, url.searchParams, url.href), reason);
    expect(attacker.http.requests.length).toBe(before);
    expect(steam.checks).toEqual([]);
  });

  test('claimed identifier and identity differ: identity_mismatch', async () => {
    const { consumer, opIdentifier } = steamConsumer();
    const url = await assertion(consumer, opIdentifier);
    url.searchParams.set('openid.identity', `${steam.http.url}/openid/id/76561197960287931`);
    expectRefused(await consumer.complete(session, url.searchParams, url.href), 'identity_mismatch');
  });

  test('parameter pollution (a second claimed_id, a NUL byte): invalid_message', async () => {
    const { consumer, opIdentifier } = steamConsumer();
    const url = await assertion(consumer, opIdentifier);
    const polluted = `${url.href}&openid.claimed_id=${encodeURIComponent(`${steam.http.url}/openid/id/76561197960287931`)}`;
    expectFailure(await consumer.complete(session, new URL(polluted).searchParams, polluted), 'invalid_message');
    const second = steamConsumer();
    const nul = await assertion(second.consumer, second.opIdentifier);
    nul.searchParams.set('openid.claimed_id', `${steam.http.url}/openid/id/${STEAM_ID}\0`);
    expectFailure(await second.consumer.complete(session, nul.searchParams, nul.href), 'invalid_message');
  });

  test('a replay Steam would confirm again is caught by the store: nonce_reused', async () => {
    steam.singleUse = false;
    const store = new MemoryStore();
    const { consumer, opIdentifier } = steamConsumer({ store });
    const url = await assertion(consumer, opIdentifier);
    expect(await consumer.complete(session, url.searchParams, url.href)).toMatchObject({ status: 'success' });
    const preset = steamPreset({ origin: RP_ORIGIN, steamBase: steam.http.url });
    const replayer = new Consumer({ fetcher, store, allowUnsolicitedAssertions: true, preset });
    expectFailure(await replayer.complete(objectSession({}), url.searchParams, url.href), 'nonce_reused');
  });

  test('the stand-in, like Steam, answers identifier select only', async () => {
    const { consumer } = steamConsumer();
    const auth = await consumer.begin(session, `${steam.base}/openid/id/${STEAM_ID}`);
    const response = await fetch(auth.redirectUrl(`${RP_ORIGIN}/`, `${RP_ORIGIN}/return`), { redirect: 'manual' });
    expect(response.status).toBe(400);
  });

  test('the real Steam URLs, and an origin that is not one', () => {
    const preset = steamPreset({ origin: 'https://rp.example/some/path' });
    expect(preset.opIdentifier).toBe(STEAM_OP_IDENTIFIER);
    expect(preset.opEndpoint).toBe(STEAM_OP_ENDPOINT);
    expect(preset.name).toBe('steam');
    expect(preset.consumer?.stateless).toBe(true);
    expect(preset.consumer?.checkAuthenticationHeaders).toEqual({ Origin: 'https://rp.example', Referer: 'https://rp.example/' });
    expect(() => steamPreset({ origin: 'not a url' })).toThrow(OpenIDConfigError);
    expect(() => steamPreset({ origin: 'data:text/plain,x' })).toThrow(OpenIDConfigError);
  });

  test.each([
    [`https://steamcommunity.com/openid/id/${STEAM_ID}`, STEAM_ID],
    [`http://steamcommunity.com/openid/id/${STEAM_ID}`, STEAM_ID],
    [`https://steamcommunity.com.evil.example/openid/id/${STEAM_ID}`, undefined],
    [`https://evil.example/openid/id/${STEAM_ID}`, undefined],
    [`https://evil.example/?https://steamcommunity.com/openid/id/${STEAM_ID}`, undefined],
    ['https://steamcommunity.com/openid/id/123', undefined],
    [`https://steamcommunity.com/openid/id/${STEAM_ID}/extra`, undefined],
    [`https://steamcommunity.com/openid/id/${STEAM_ID}#frag`, undefined],
    [`https://steamcommunity.com/openid/id/${STEAM_ID}\n`, undefined],
  ])('steamIdFromClaimedId(%j) = %j', (claimedId, expected) => {
    expect(steamIdFromClaimedId(claimedId)).toBe(expected);
  });

  test.each([
    ['a Steam success', { presetData: { steamId: STEAM_ID } }, STEAM_ID],
    ['session data kept by the router (a plain copy)', JSON.parse(JSON.stringify({ claimedId: 'x', presetData: { steamId: STEAM_ID } })), STEAM_ID],
    ['no result', undefined, undefined],
    ['a result without preset data', { claimedId: 'x' }, undefined],
    ["another preset's data", { presetData: { accountId: STEAM_ID } }, undefined],
    ['a steamId that is not one', { presetData: { steamId: '123' } }, undefined],
    ['a steamId that is not a string', { presetData: { steamId: 76561197960287930 } }, undefined],
  ])('steamIdOf(%s)', (_name, result, expected) => {
    expect(steamIdOf(result as Parameters<typeof steamIdOf>[0])).toBe(expected);
  });

  test("the consumer's own check_authentication headers win over the preset's, whatever their case", async () => {
    const preset = steamPreset({ origin: RP_ORIGIN, steamBase: steam.http.url });
    const consumer = new Consumer({ fetcher, preset, checkAuthenticationHeaders: { origin: 'http://elsewhere.example', referer: 'http://elsewhere.example/' } });
    const url = await assertion(consumer, preset.opIdentifier);
    expectFailure(await consumer.complete(session, url.searchParams, url.href), 'check_authentication_failed');
    expect(steam.checks).toEqual([{ origin: 'http://elsewhere.example', referer: 'http://elsewhere.example/' }]);
  });
});
