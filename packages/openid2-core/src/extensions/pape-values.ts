/**
 * PAPE policy URIs, assurance level types and the formats of PAPE values.
 * @see openid-provider-authentication-policy-extension-1_0-02.txt §4, §5.2
 */
import { ExtensionError, quote, type ExtensionErrorReason } from './extension.js';

/** §4: the user provides no shared secret to a party possibly controlled by the RP. */
export const PAPE_POLICY_PHISHING_RESISTANT = 'http://schemas.openid.net/pape/policies/2007/06/phishing-resistant';
/** §4: more than one authentication factor. */
export const PAPE_POLICY_MULTI_FACTOR = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
/** §4: more than one factor, one of them physical (a hardware device, biometrics). */
export const PAPE_POLICY_MULTI_FACTOR_PHYSICAL = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor-physical';
/** No policy was met (sent instead of an empty `auth_policies`). */
export const PAPE_POLICY_NONE = 'http://schemas.openid.net/pape/policies/2007/06/none';
/** NIST SP 800-63 assurance levels, 0 to 4 (§5.2 `nist_auth_level`). */
export const PAPE_LEVEL_NIST = 'http://csrc.nist.gov/publications/nistpubs/800-63/SP800-63V1_0_2.pdf';
/** JISA assurance levels (later PAPE drafts). */
export const PAPE_LEVEL_JISA = 'http://www.jisa.or.jp/spec/auth_level.html';

/** Level aliases OpenID 1.x messages may use without declaring them (as python-openid does). */
const DEFAULT_LEVEL_ALIASES: ReadonlyMap<string, string> = new Map([
  ['nist', PAPE_LEVEL_NIST],
  ['jisa', PAPE_LEVEL_JISA],
]);

const URI = /^[A-Za-z][A-Za-z0-9+.-]*:\S+$/;
const AUTH_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

function checkUri(uri: string, reason: ExtensionErrorReason, what: string): string {
  if (uri.length > 2048 || !URI.test(uri)) throw new ExtensionError('pape', reason, `${quote(uri)} is not a ${what} URI`);
  return uri;
}

/** A policy URI, checked to be a URI. */
export function checkPolicy(uri: string): string {
  return checkUri(uri, 'invalid_policy', 'policy');
}

/** A level type URI, checked to be a URI. */
export function checkLevelType(uri: string): string {
  return checkUri(uri, 'invalid_auth_level', 'level type');
}

/** A space-separated policy list; the bare word `none` of early drafts means the none policy. */
export function policiesOf(text: string): string[] {
  return text.split(' ').filter((uri) => uri !== '').map((uri) => (uri === 'none' ? PAPE_POLICY_NONE : uri));
}

/** `YYYY-MM-DDTHH:MM:SSZ` of a date, in UTC without fractions (§5.2). */
export function formatAuthTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new ExtensionError('pape', 'invalid_auth_time', 'auth_time is an invalid Date');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Parses `auth_time`: RFC 3339 in UTC (`Z`), no fractional seconds, a real
 * calendar date and time (§5.2).
 * @throws ExtensionError `invalid_auth_time`
 */
export function parseAuthTime(text: string): Date {
  const match = AUTH_TIME.exec(text);
  const date = match === null ? undefined : new Date(text);
  // Round-tripping refuses dates such as 2026-02-30 that Date would roll over.
  if (date === undefined || Number.isNaN(date.getTime()) || formatAuthTime(date) !== text) {
    throw new ExtensionError('pape', 'invalid_auth_time', `auth_time ${quote(text)} must be YYYY-MM-DDTHH:MM:SSZ in UTC`);
  }
  return date;
}

/** An assurance level value: 0 to 4 for NIST, short text without spaces otherwise. */
export function checkLevel(type: string, level: string): string {
  // eslint-disable-next-line no-control-regex
  const ok = type === PAPE_LEVEL_NIST ? /^[0-4]$/.test(level) : /^[^\s\u0000-\u001f\u007f]{1,64}$/.test(level);
  if (!ok) throw new ExtensionError('pape', 'invalid_auth_level', `The assurance level ${quote(level)} is not valid for ${quote(type)}`);
  return level;
}

/** `auth_level.ns.<alias>` (and `auth_level.<alias>` when a level is given) for level types. */
export function authLevelArgs(levels: ReadonlyArray<readonly [string, string | undefined]>): { args: Record<string, string>; aliases: string[] } {
  const args: Record<string, string> = {};
  const aliases: string[] = [];
  let custom = 0;
  for (const [type, level] of levels) {
    const known = [...DEFAULT_LEVEL_ALIASES].find(([, uri]) => uri === type)?.[0];
    const alias = known ?? `cust${custom++}`;
    args[`auth_level.ns.${alias}`] = type;
    if (level !== undefined) args[`auth_level.${alias}`] = level;
    aliases.push(alias);
  }
  return { args, aliases };
}

function levelTypeOf(args: Readonly<Record<string, string>>, alias: string, openid1: boolean): string {
  const type = args[`auth_level.ns.${alias}`] ?? (openid1 ? DEFAULT_LEVEL_ALIASES.get(alias) : undefined);
  if (type === undefined) throw new ExtensionError('pape', 'undefined_level_alias', `The assurance level alias ${quote(alias)} is not declared (auth_level.ns.${alias})`);
  return checkLevelType(type);
}

/** The level types a request prefers (`preferred_auth_level_types` lists aliases). */
export function levelTypesOf(args: Readonly<Record<string, string>>, openid1: boolean): string[] {
  const aliases = (args.preferred_auth_level_types ?? '').split(/\s+/).filter((alias) => alias !== '');
  return aliases.map((alias) => levelTypeOf(args, alias, openid1));
}

/** The levels of a response by type URI: typed `auth_level.<alias>` ones and draft 2's `nist_auth_level`. */
export function levelsOf(args: Readonly<Record<string, string>>, openid1: boolean): Record<string, string> {
  const levels: Record<string, string> = {};
  for (const [key, level] of Object.entries(args)) {
    if (!key.startsWith('auth_level.') || key.startsWith('auth_level.ns.')) continue;
    levels[levelTypeOf(args, key.slice('auth_level.'.length), openid1)] = level;
  }
  const nist = args.nist_auth_level;
  if (nist !== undefined) {
    const typed = levels[PAPE_LEVEL_NIST];
    if (typed !== undefined && typed !== nist) throw new ExtensionError('pape', 'invalid_auth_level', 'nist_auth_level and the typed NIST level disagree');
    levels[PAPE_LEVEL_NIST] = nist;
  }
  return levels;
}
