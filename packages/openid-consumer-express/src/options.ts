/**
 * Options of the relying-party middleware, validated when it is created.
 */
import type { Request, Response } from 'express';
import {
  OpenIDConfigError,
  PROFILE_FIELDS,
  Realm,
  isProfileField,
  normalizeUrl,
  type AuthRequest,
  type CompletionResult,
  type DiscoveryCache,
  type Fetcher,
  type OpenIDStore,
  type SuccessResult,
  type ConsumerOptions,
} from 'openid-core';

export interface ConsumerMiddlewareOptions {
  /**
   * The absolute URL where the router is mounted (`https://rp.example/openid`).
   * Without it, URLs are built from the request (behind a proxy, set Express's
   * `trust proxy` so the scheme and host are right).
   */
  baseUrl?: string;
  /** The realm to ask users to trust. @default the origin of baseUrl, or of the request */
  realm?: string;
  /** Associations and nonces; without one the relying party is stateless. Use a shared store behind a load balancer. */
  store?: OpenIDStore;
  fetcher?: Fetcher;
  discoveryCache?: DiscoveryCache;
  /** Used when /login gets no `openid_identifier`: a "Sign in with X" button (an OP identifier URL). */
  opIdentifier?: string;
  /** Where to go after a successful login, unless `onSuccess` answers. @default '/' */
  successRedirect?: string;
  /** Where to go after cancel, setup needed or failure (with `?openid_error=<reason>`), unless `onFailure` answers. @default '/' */
  failureRedirect?: string;
  /** Called after the session was regenerated and `req.session.openid` set. */
  onSuccess?: (req: Request, res: Response, result: SuccessResult) => unknown;
  /** Called for cancel, setup needed and failure results. */
  onFailure?: (req: Request, res: Response, result: Exclude<CompletionResult, SuccessResult> | { status: 'failure'; reason: 'missing_identifier' | 'discovery_failed'; message: string }) => unknown;
  /**
   * Profile fields to ask for, mapped to SREG and AX (AX in OpenID 2.0 only);
   * the signed answer appears as `req.session.openid.profile`.
   */
  profile?: { required?: readonly string[]; optional?: readonly string[] };
  /** PAPE policies to ask for; the signed answer appears as `req.session.openid.pape`. */
  pape?: { policies?: readonly string[]; maxAuthAge?: number };
  /** Adds further extension arguments to each request. */
  extendRequest?: (authRequest: AuthRequest, req: Request) => unknown;
  /** Extra result data to keep in the session (for example a normalized profile). */
  sessionData?: (result: SuccessResult) => Record<string, unknown>;
  /** @default false: refused, to prevent login CSRF */
  allowUnsolicitedAssertions?: boolean;
  /** Extra consumer settings (presets such as Steam's). */
  consumer?: Partial<Omit<ConsumerOptions, 'session'>>;
}

export interface ResolvedConsumerOptions extends ConsumerMiddlewareOptions {
  successRedirect: string;
  failureRedirect: string;
}

/** Profile field names are checked once, here, rather than failing at each login. */
export function checkProfileFields(profile: { required?: readonly string[]; optional?: readonly string[] } | undefined, option: string): void {
  for (const name of [...(profile?.required ?? []), ...(profile?.optional ?? [])]) {
    if (!isProfileField(name)) throw new OpenIDConfigError(`${JSON.stringify(name)} is not a profile field (known: ${PROFILE_FIELDS.join(', ')})`, option);
  }
}

function checkUrl(value: string, option: string): string {
  try {
    return normalizeUrl(value);
  } catch (cause) {
    throw new OpenIDConfigError(`must be an absolute http or https URL (${(cause as Error).message})`, option);
  }
}

export function resolveOptions(options: ConsumerMiddlewareOptions = {}): ResolvedConsumerOptions {
  const baseUrl = options.baseUrl === undefined ? undefined : checkUrl(options.baseUrl, 'baseUrl').replace(/\/$/, '');
  if (options.realm !== undefined) {
    let realm: Realm;
    try {
      realm = Realm.parse(options.realm);
    } catch (cause) {
      throw new OpenIDConfigError((cause as Error).message, 'realm');
    }
    if (!realm.isSane()) throw new OpenIDConfigError('covers too much (a wildcard over a public suffix); providers will refuse it', 'realm');
    if (baseUrl !== undefined && !realm.matches(`${baseUrl}/return`)) {
      throw new OpenIDConfigError(`does not cover the return URL ${baseUrl}/return`, 'realm');
    }
  }
  if (options.opIdentifier !== undefined) checkUrl(options.opIdentifier, 'opIdentifier');
  checkProfileFields(options.profile, 'profile');
  for (const name of ['successRedirect', 'failureRedirect'] as const) {
    const value = options[name];
    if (value !== undefined && (!value.startsWith('/') || value.startsWith('//'))) {
      throw new OpenIDConfigError('must be a path on this site (starting with a single /)', name);
    }
  }
  return { ...options, ...(baseUrl === undefined ? {} : { baseUrl }), successRedirect: options.successRedirect ?? '/', failureRedirect: options.failureRedirect ?? '/' };
}
