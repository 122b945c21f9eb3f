/**
 * Checks of adapter options shared by the router (`resolveOptions`) and the
 * Passport strategy: one rule each, so both refuse the same settings with
 * the same words, when they are created.
 */
import { normalizeUrl, OpenIDConfigError, Realm } from 'openid2-core';

/** Refuses any key not in `known` (a typo fails at start-up, not at the first login). */
export function checkKnownKeys(options: object, known: ReadonlySet<string>, factory: string): void {
  for (const key of Object.keys(options)) {
    if (!known.has(key)) throw new OpenIDConfigError(`is not an option of ${factory} (known: ${[...known].join(', ')})`, key);
  }
}

/** Each named option, when set, must be a function. */
export function checkFunctions(options: object, names: readonly string[]): void {
  for (const name of names) {
    const value: unknown = (options as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'function') throw new OpenIDConfigError('must be a function', name);
  }
}

/** Each named option, when set, must be true or false. */
export function checkBooleans(options: object, names: readonly string[]): void {
  for (const name of names) {
    const value: unknown = (options as Record<string, unknown>)[name];
    if (value !== undefined && typeof value !== 'boolean') throw new OpenIDConfigError('must be true or false', name);
  }
}

/** An absolute http(s) URL, normalized. @throws OpenIDConfigError naming the option */
export function checkUrl(value: unknown, option: string): string {
  if (typeof value !== 'string') throw new OpenIDConfigError('must be an absolute http or https URL', option);
  try {
    return normalizeUrl(value);
  } catch (cause) {
    throw new OpenIDConfigError(`must be an absolute http or https URL (${(cause as Error).message})`, option);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/**
 * Refuses a plain-http URL on a host other than loopback, where session
 * cookies and assertions would travel in the clear, unless the app opted in.
 * @throws OpenIDConfigError naming the option
 */
export function checkSecureUrl(url: string, option: string, allowInsecureHttp: boolean | undefined): void {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:' && !isLoopback(parsed.hostname) && allowInsecureHttp !== true) {
    throw new OpenIDConfigError('is plain http on a public host: use https (or set allowInsecureHttp: true, knowing that sessions and assertions travel in the clear)', option);
  }
}

/**
 * A realm providers will accept (no wildcard over a public suffix),
 * covering the return URL when it is known.
 * @see OpenID 2.0 §9.2
 * @throws OpenIDConfigError naming `realm`
 */
export function checkRealm(realmText: unknown, returnUrl: string | undefined): void {
  let realm: Realm;
  try {
    realm = Realm.parse(realmText as string);
  } catch (cause) {
    throw new OpenIDConfigError((cause as Error).message, 'realm');
  }
  if (!realm.isSane()) throw new OpenIDConfigError('covers too much (a wildcard over a public suffix); providers will refuse it', 'realm');
  if (returnUrl !== undefined && !realm.matches(returnUrl)) throw new OpenIDConfigError(`does not cover the return URL ${returnUrl}`, 'realm');
}
