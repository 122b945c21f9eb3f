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
import type { ConsumerOptions } from '../consumer-config.js';
import { failure, type AssertionClaims, type FailureResult, type SuccessResult } from '../result.js';

/** Steam's OP identifier: begin a login with it (identifier select, OpenID 2.0 §7.3.2.1.1). */
export const STEAM_OP_IDENTIFIER = 'https://steamcommunity.com/openid';
/** Steam's OP endpoint: the preset refuses assertions whose `op_endpoint` is anything else. */
export const STEAM_OP_ENDPOINT = 'https://steamcommunity.com/openid/login';
const STEAM_BASE = 'https://steamcommunity.com';

/** Options of {@link steamPreset}. */
export interface SteamPresetOptions {
  /** The relying party's origin (`https://rp.example`): Steam requires it as Origin/Referer of check_authentication. */
  origin: string;
  /** Only for tests against a stand-in: the Steam base URL. @default 'https://steamcommunity.com' */
  steamBase?: string;
}

/** What {@link steamPreset} returns: where to begin, the pinned endpoint, and the consumer options to spread into {@link ConsumerOptions}. */
export interface SteamPreset {
  /** What to begin with (identifier select). */
  opIdentifier: string;
  /** The pinned OP endpoint. */
  endpoint: string;
  /** Consumer options: no associations, the headers Steam wants, the pins, and the SteamID64 on the result. A store, if given, still records nonces. */
  consumer: Pick<ConsumerOptions, 'stateless' | 'checkAuthenticationHeaders' | 'screenAssertion' | 'acceptSuccess'>;
}

/** The SteamID64 of a Steam claimed identifier (http accepted too), or undefined. */
export function steamIdFromClaimedId(claimedId: string, steamBase = STEAM_BASE): string | undefined {
  const host = new URL(steamBase).host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^https?://${host}/openid/id/(\\d{17})$`).exec(claimedId);
  return match?.[1];
}

/** The pins, checked on what the assertion claims before anything is fetched for it. */
function screen(claims: AssertionClaims, endpoint: string, base: string): FailureResult | undefined {
  if (claims.version !== '2.0' || claims.opEndpoint !== endpoint) {
    return failure('steam_endpoint_mismatch', `The assertion does not come from Steam's endpoint ${endpoint} (op_endpoint ${JSON.stringify(claims.opEndpoint.slice(0, 200))})`);
  }
  if (claims.claimedId !== claims.identity) {
    return failure('steam_identity_mismatch', 'Steam asserts identical claimed and local identifiers; these differ');
  }
  if (steamIdFromClaimedId(claims.claimedId, base) === undefined) {
    return failure('steam_identifier_invalid', `${JSON.stringify(claims.claimedId.slice(0, 200))} is not a Steam identifier (${base}/openid/id/<17 digits>)`);
  }
  return undefined;
}

/**
 * Consumer settings for Steam: `new Consumer({ store, ...steamPreset({ origin }).consumer })`
 * and `consumer.begin(session, preset.opIdentifier)`.
 */
export function steamPreset(options: SteamPresetOptions): SteamPreset {
  let origin: string;
  try {
    origin = new URL(options.origin).origin;
  } catch {
    throw new OpenIDConfigError('must be the relying party origin, such as https://rp.example', 'origin');
  }
  if (origin === 'null') throw new OpenIDConfigError('must be an http(s) origin, such as https://rp.example', 'origin');
  const base = (options.steamBase ?? STEAM_BASE).replace(/\/$/, '');
  const endpoint = `${base}/openid/login`;
  const acceptSuccess = (result: SuccessResult): SuccessResult | FailureResult => {
    // Verified by now; checked again on the verified values, and the SteamID64 added.
    const pinned = screen({ version: result.endpoint.isOpenID2() ? '2.0' : '1.x', opEndpoint: result.endpoint.opEndpoint, claimedId: result.claimedId, identity: result.identity }, endpoint, base);
    return pinned ?? { ...result, steamId: steamIdFromClaimedId(result.claimedId, base) as string };
  };
  return {
    opIdentifier: `${base}/openid`,
    endpoint,
    consumer: {
      stateless: true,
      checkAuthenticationHeaders: { Origin: origin, Referer: `${origin}/` },
      screenAssertion: (claims) => screen(claims, endpoint, base),
      acceptSuccess,
    },
  };
}
