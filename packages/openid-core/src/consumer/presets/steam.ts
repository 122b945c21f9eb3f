/**
 * "Sign in through Steam": Steam runs an OpenID 2.0 OP with identifier
 * select only, no associations worth keeping (every assertion is checked with
 * check_authentication), and claimed identifiers of the form
 * `https://steamcommunity.com/openid/id/<SteamID64>`.
 *
 * Forged Steam logins in other libraries came from an unpinned op_endpoint,
 * claimed identifiers on other hosts, and unverified assertions; the preset
 * pins all three.
 */
import { OpenIDConfigError } from '../../errors.js';
import type { ConsumerOptions } from '../consumer.js';
import type { SuccessResult } from '../result.js';

export const STEAM_OP_IDENTIFIER = 'https://steamcommunity.com/openid';
export const STEAM_OP_ENDPOINT = 'https://steamcommunity.com/openid/login';

export interface SteamPresetOptions {
  /** The relying party's origin (`https://rp.example`): Steam requires it as Origin/Referer of check_authentication. */
  origin: string;
  /** For tests against a stand-in: the Steam base URL. @default 'https://steamcommunity.com' */
  steamBase?: string;
}

export interface SteamPreset {
  /** What to begin with (identifier select). */
  opIdentifier: string;
  /** Consumer options: stateless, the headers Steam wants, and the checks of a Steam login. */
  consumer: Pick<ConsumerOptions, 'store' | 'checkAuthenticationHeaders' | 'acceptSuccess'>;
}

/** The SteamID64 of a Steam claimed identifier (http accepted as Steam also uses it), or undefined. */
export function steamIdFromClaimedId(claimedId: string, steamBase = 'https://steamcommunity.com'): string | undefined {
  const host = new URL(steamBase).host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^https?://${host}/openid/id/(\\d{17})$`).exec(claimedId);
  return match?.[1];
}

export function steamPreset(options: SteamPresetOptions): SteamPreset {
  let origin: string;
  try {
    origin = new URL(options.origin).origin;
  } catch {
    throw new OpenIDConfigError('must be the relying party origin, such as https://rp.example', 'origin');
  }
  const base = (options.steamBase ?? 'https://steamcommunity.com').replace(/\/$/, '');
  const endpoint = `${base}/openid/login`;
  const acceptSuccess = (result: SuccessResult): SuccessResult | string => {
    if (result.endpoint.serverUrl !== endpoint) return `The assertion was not signed by Steam's endpoint ${endpoint}`;
    if (result.claimedId !== result.identity) return 'Steam asserts identical claimed and local identifiers; these differ';
    const steamId = steamIdFromClaimedId(result.claimedId, base);
    if (steamId === undefined) return `${result.claimedId} is not a Steam identifier (${base}/openid/id/<17 digits>)`;
    return { ...result, steamId };
  };
  return {
    opIdentifier: `${base}/openid`,
    consumer: { store: undefined, checkAuthenticationHeaders: { Origin: origin, Referer: `${origin}/` }, acceptSuccess },
  };
}
