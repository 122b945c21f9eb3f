/** "Sign in through Steam" with the middleware and the Passport strategy: the Steam preset against a Steam-like stand-in, the SteamID64 in the session's presetData. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { CookieClient, deliverIndirect, startSteamStandIn, type SteamStandIn } from 'openid-test-helpers';
import { MemoryStore, steamIdOf, steamPreset, type OpenIDEvent } from 'openid2-core';
import { openidConsumer, OpenIDStrategy } from '../src/index.js';
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

describe('Steam through the Passport strategy (the same preset option)', () => {
  let passportBase: string;
  let close: () => Promise<void>;
  // Steam checks check_authentication's Origin: a stand-in of its own for this app's origin.
  let steam: SteamStandIn;
  beforeAll(async () => {
    const app = express();
    const server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    passportBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const authenticator = new passport.Passport();
    steam = await startSteamStandIn({ origin: passportBase });
    const preset = steamPreset({ origin: passportBase, steamBase: steam.base });
    authenticator.use(
      new OpenIDStrategy({
        returnURL: `${passportBase}/auth/return`,
        preset,
        store: new MemoryStore(),
        fetcher,
        verify: async ({ identifier, result }) => ({ id: identifier, steamId: steamIdOf(result) }),
      }),
    );
    app.use(session({ secret: 'steam passport test', resave: false, saveUninitialized: false }));
    app.use(express.urlencoded({ extended: false }));
    app.use(authenticator.initialize());
    app.get('/auth/start', authenticator.authenticate('openid', { session: false }));
    app.get('/auth/return', (req, res, next) =>
      authenticator.authenticate('openid', { session: false }, (error: unknown, user: unknown, info: unknown) => {
        if (error) return next(error);
        return res.status(user ? 200 : 401).json(user ? { user } : info);
      })(req, res, next),
    );
    close = async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await steam.close();
    };
  });
  afterAll(() => close());

  async function passportLogin(tamper?: (url: URL) => void): Promise<{ status: number; body: Record<string, unknown> }> {
    const client = new CookieClient();
    // No identifier: the strategy begins at the preset's OP identifier.
    const start = await client.get(`${passportBase}/auth/start`);
    expect(start.status).toBe(302);
    expect(start.location?.startsWith(`${steam.base}/openid/login?`)).toBe(true);
    const atSteam = await client.get(start.location as string, true);
    if (tamper !== undefined) {
      const url = new URL(atSteam.location as string);
      tamper(url);
      atSteam.location = url.href;
    }
    const { response } = await deliverIndirect(client, atSteam, start.location as string);
    return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
  }

  test('verify gets the SteamID64 through result.presetData; no association', async () => {
    const { status, body } = await passportLogin();
    expect(status).toBe(200);
    expect(body).toEqual({ user: { id: `${steam.base}/openid/id/${steam.steamId}`, steamId: steam.steamId } });
    expect(steam.associateRequests).toBe(0);
    expect(steam.checks.at(-1)).toEqual({ origin: passportBase, referer: `${passportBase}/` });
  });

  test("an answer naming an attacker's endpoint is refused by the preset, as through the router", async () => {
    const { status, body } = await passportLogin((url) => url.searchParams.set('openid.op_endpoint', 'http://127.0.0.1:1/openid/login'));
    expect(status).toBe(401);
    expect(body).toMatchObject({ reason: 'preset_refused' });
  });
});
