/** "Sign in through Steam" with the middleware: the Steam preset against a Steam-like stand-in, the SteamID64 in the session's presetData. */
import { CookieClient, deliverIndirect, startSteamStandIn, type SteamStandIn } from 'openid-test-helpers';
import { MemoryStore, steamIdOf, steamPreset, type OpenIDEvent } from 'openid2-core';
import { openidConsumer } from '../src/index.js';
import { fetcher, startRP, type Running } from './apps.js';

let steam: SteamStandIn;
let rp: Running;
const events: OpenIDEvent[] = [];
beforeAll(async () => {
  // The relying party's origin is known only once it listens: start it, then the stand-in, then mount the preset.
  rp = await startRP();
  steam = await startSteamStandIn({ origin: rp.base });
  const preset = steamPreset({ origin: rp.base, steamBase: steam.base });
  // A store records nonces; the preset keeps the consumer from associating.
  const router = openidConsumer({ baseUrl: `${rp.base}/steam`, preset, store: new MemoryStore(), successRedirect: '/me', failureRedirect: '/failed', fetcher, onEvent: (event) => events.push(event) });
  rp.app.use('/steam', router);
});
afterAll(async () => {
  await rp.close();
  await steam.close();
});

async function steamLogin(tamper?: (url: URL) => void): Promise<{ client: CookieClient; location: string | undefined }> {
  const client = new CookieClient();
  const start = await client.post(`${rp.base}/steam/login`, {});
  expect(start.status).toBe(303);
  const atSteam = await client.get(start.location as string, true);
  expect(atSteam.status).toBe(302);
  if (tamper !== undefined) {
    const url = new URL(atSteam.location as string);
    tamper(url);
    atSteam.location = url.href;
  }
  const { response } = await deliverIndirect(client, atSteam, start.location as string);
  return { client, location: response.location };
}

describe('Steam through the middleware', () => {
  test('the SteamID64 lands in req.session.openid.presetData; check_authentication carried our Origin; no association', async () => {
    const { client, location } = await steamLogin();
    expect(location).toBe(`${rp.base}/me`);
    const me = JSON.parse((await client.get(`${rp.base}/me`)).body) as Record<string, unknown>;
    expect(me).toMatchObject({ presetData: { steamId: steam.steamId }, claimedId: `${steam.base}/openid/id/${steam.steamId}`, opEndpoint: steam.endpoint });
    expect(me).not.toHaveProperty('steamId');
    expect(steamIdOf(me)).toBe(steam.steamId);
    expect(steam.checks.at(-1)).toEqual({ origin: rp.base, referer: `${rp.base}/` });
    expect(steam.associateRequests).toBe(0);
  });

  test.each([
    ['another SteamID', 'check_authentication_failed', undefined, (url: URL) => {
      const other = `${steam.base}/openid/id/76561197960287931`;
      url.searchParams.set('openid.claimed_id', other);
      url.searchParams.set('openid.identity', other);
    }],
    ["an attacker's endpoint", 'preset_refused', 'endpoint_mismatch', (url: URL) => url.searchParams.set('openid.op_endpoint', 'http://127.0.0.1:1/openid/login')],
    ['a claimed identifier elsewhere', 'preset_refused', 'identifier_invalid', (url: URL) => {
      url.searchParams.set('openid.claimed_id', `http://127.0.0.1:1/openid/id/${steam.steamId}`);
      url.searchParams.set('openid.identity', `http://127.0.0.1:1/openid/id/${steam.steamId}`);
    }],
  ] as const)('a tampered Steam answer (%s): %s %s', async (_name, reason, presetCode, tamper) => {
    events.length = 0;
    const { location } = await steamLogin(tamper);
    expect(location).toBe(`${rp.base}/failed?openid_error=${reason}`);
    const failed = events.find((event) => event.event === 'login_failed');
    expect(failed).toMatchObject({ reason });
    // The event names the preset and its own code; other failures carry neither.
    if (presetCode === undefined) expect(failed).not.toHaveProperty('presetCode');
    else expect(failed).toMatchObject({ preset: 'steam', presetCode });
  });
});
