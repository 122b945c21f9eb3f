/**
 * "Sign in through Steam". Steam runs an OpenID 2.0 OP with identifier
 * select only, one fixed association handle (so associations are useless:
 * every assertion is checked with check_authentication, which Steam answers
 * only with the relying party's Origin/Referer), and claimed identifiers of
 * the form `https://steamcommunity.com/openid/id/<SteamID64>`.
 *
 * Forged Steam logins in other libraries came from an unpinned op_endpoint,
 * claimed identifiers on other hosts, parameter pollution and unverified
 * assertions. The preset pins the endpoint and the identifier form before
 * any request is made, then runs the full verification (duplicate keys and
 * NUL bytes are refused by `Message` itself).
 */
import { OpenIDConfigError } from '../../errors.js';
import type { ConsumerPreset, PresetRefusal } from '../preset.js';
import type { AssertionClaims } from '../result.js';

/** Steam's OP identifier: begin a login with it (identifier select, OpenID 2.0 §7.3.2.1.1). */
export const STEAM_OP_IDENTIFIER = 'https://steamcommunity.com/openid';
/** Steam's OP endpoint: the preset refuses assertions whose `op_endpoint` is anything else. */
export const STEAM_OP_ENDPOINT = 'https://steamcommunity.com/openid/login';
const STEAM_BASE = 'https://steamcommunity.com';

/**
 * The Steam preset's refusal codes (`presetCode` of a `preset_refused`
 * failure whose `preset` is `steam`): `endpoint_mismatch` (not Steam's
 * op_endpoint, or not OpenID 2.0), `identity_mismatch` (claimed and local
 * identifiers differ), `identifier_invalid` (not `<steam>/openid/id/<17 digits>`).
 */
export const STEAM_REFUSAL_CODES = Object.freeze(['endpoint_mismatch', 'identity_mismatch', 'identifier_invalid'] as const);

/** Options of {@link steamPreset}. */
export interface SteamPresetOptions {
  /** The relying party's origin (`https://rp.example`): Steam requires it as Origin/Referer of check_authentication. */
  origin: string;
  /** Only for tests against a stand-in: the Steam base URL. @default 'https://steamcommunity.com' */
  steamBase?: string;
}

/** The SteamID64 of a Steam claimed identifier (http accepted too), or undefined. */
export function steamIdFromClaimedId(claimedId: string, steamBase = STEAM_BASE): string | undefined {
  const host = new URL(steamBase).host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^https?://${host}/openid/id/(\\d{17})$`).exec(claimedId);
  return match?.[1];
}

/**
 * The SteamID64 a Steam login gave: from a success result of a consumer with
 * {@link steamPreset}, or from what the Express router keeps of it
 * (`steamIdOf(req.session.openid)`). Undefined for anything else.
 */
export function steamIdOf(result: { readonly presetData?: Readonly<Record<string, unknown>> | undefined } | undefined): string | undefined {
  const steamId = result?.presetData?.steamId;
  return typeof steamId === 'string' && /^\d{17}$/.test(steamId) ? steamId : undefined;
}

/** The pins, on what the assertion claims (and again on the verified values). */
function screen(claims: AssertionClaims, endpoint: string, base: string): PresetRefusal | undefined {
  if (claims.version !== '2.0' || claims.opEndpoint !== endpoint) {
    return { code: 'endpoint_mismatch', message: `The assertion does not come from Steam's endpoint ${endpoint} (op_endpoint ${JSON.stringify(claims.opEndpoint.slice(0, 200))})` };
  }
  if (claims.claimedId !== claims.identity) {
    return { code: 'identity_mismatch', message: 'Steam asserts identical claimed and local identifiers; these differ' };
  }
  if (steamIdFromClaimedId(claims.claimedId, base) === undefined) {
    return { code: 'identifier_invalid', message: `${JSON.stringify(claims.claimedId.slice(0, 200))} is not a Steam identifier (${base}/openid/id/<17 digits>)` };
  }
  return undefined;
}

/** The relying party's origin, checked. */
function originOf(text: string): string {
  let origin: string;
  try {
    origin = new URL(text).origin;
  } catch {
    throw new OpenIDConfigError('must be the relying party origin, such as https://rp.example', 'origin');
  }
  if (origin === 'null') throw new OpenIDConfigError('must be an http(s) origin, such as https://rp.example', 'origin');
  return origin;
}

/**
 * The Steam preset: `new Consumer({ store, preset: steamPreset({ origin }) })`
 * and `consumer.begin(session, preset.opIdentifier)`; or the Express
 * router's `preset` option. Never associates, sends check_authentication
 * with the Origin and Referer Steam wants, pins Steam's endpoint and
 * identifier form, and adds `{ steamId }` to a success (read it with
 * {@link steamIdOf}). Refusals: {@link STEAM_REFUSAL_CODES}.
 * @throws OpenIDConfigError for an `origin` that is not an http(s) origin
 */
export function steamPreset(options: SteamPresetOptions): ConsumerPreset {
  const origin = originOf(options.origin);
  const base = (options.steamBase ?? STEAM_BASE).replace(/\/$/, '');
  const opEndpoint = `${base}/openid/login`;
  return Object.freeze({
    name: 'steam',
    opIdentifier: `${base}/openid`,
    opEndpoint,
    consumer: Object.freeze({ stateless: true, checkAuthenticationHeaders: Object.freeze({ Origin: origin, Referer: `${origin}/` }) }),
    screen: (claims: AssertionClaims) => screen(claims, opEndpoint, base),
    // Screened again on the verified values by the consumer, so the identifier is a Steam one here.
    extend: (result: { claimedId: string }) => ({ steamId: steamIdFromClaimedId(result.claimedId, base) as string }),
  });
}
