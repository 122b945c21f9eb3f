/**
 * Structured events for the middlewares' `onEvent` option: plain objects
 * that pino, winston or `console.log` take as they are. One home for what
 * goes into them: the cause chain of an error (names, codes, reasons,
 * messages) and the user-facing reason a failed discovery maps to. Never a
 * secret: no association keys or handles, no signatures, no session data,
 * and URLs without their query (where tokens and assertions travel).
 */
import { DiscoveryError, FetchError, UrlError } from './errors.js';
import { isLoopbackAddress } from './fetch/address-guard.js';
import { normalizeIdentifier } from './normalize-url.js';

/** One error of a cause chain, outermost first. */
export interface CauseEntry {
  name: string;
  message: string;
  /** The library's error code (`ERR_FETCH`, ...) or the platform's (`ECONNREFUSED`). */
  code?: string;
  /** A FetchError's reason (`private_address`, `timeout`, ...). */
  reason?: string;
  /** The URL of a FetchError, without query or fragment. */
  url?: string;
}

/** What `onEvent` receives. */
export interface OpenIDEvent {
  /** What happened, e.g. `login_started`, `discovery_failed`, `association_made`, `login_succeeded`, `login_failed`, `assertion_issued`. */
  event: string;
  /** The reason code of a failure or outcome. */
  reason?: string;
  /** What the user typed (relying party) or the identity asserted (provider). */
  identifier?: string;
  /** The OP endpoint involved. */
  opEndpoint?: string;
  /** Milliseconds since the step (or the login) started. */
  durationMs?: number;
  /** The error and its causes, outermost first. */
  cause?: CauseEntry[];
  /** Further details (the realm, the mode, the association type). */
  [detail: string]: unknown;
}

/** A URL without query and fragment. */
export function withoutQuery(url: string): string {
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/** The error and up to `depth - 1` of its causes, as plain objects. */
export function causeChain(error: unknown, depth = 5): CauseEntry[] {
  const chain: CauseEntry[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < depth; current = (current as { cause?: unknown }).cause) {
    if (typeof current !== 'object') {
      chain.push({ name: typeof current, message: String(current) });
      break;
    }
    const { name, message, code } = current as { name?: unknown; message?: unknown; code?: unknown };
    const entry: CauseEntry = { name: typeof name === 'string' ? name : 'Error', message: typeof message === 'string' ? message : '' };
    if (typeof code === 'string') entry.code = code;
    if (current instanceof FetchError) {
      entry.reason = current.reason;
      entry.url = withoutQuery(current.url);
    }
    chain.push(entry);
  }
  return chain;
}

/** Why a login could not start, in terms the user can act on. */
export type DiscoveryFailureReason = 'private_address' | 'no_openid_service' | 'unreachable' | 'timeout' | 'xri_unsupported' | 'invalid_identifier' | 'discovery_failed';

function isXRI(identifier: string): boolean {
  try {
    return normalizeIdentifier(identifier).kind === 'xri';
  } catch {
    return false;
  }
}

const UNREACHABLE: ReadonlySet<string> = new Set(['dns', 'connection', 'tls', 'too_many_redirects']);

/**
 * The user-facing reason of a failed discovery, from the error's cause
 * chain: the address guard (`private_address`), a time-out, a host that
 * cannot be reached or answers with a 5xx status (`unreachable`), a 4xx page, an XRI
 * without a proxy resolver (`xri_unsupported`), input that is no identifier
 * (`invalid_identifier`), or a page without OpenID links (`no_openid_service`);
 * anything else stays `discovery_failed`.
 */
export function discoveryFailureReason(
  error: unknown,
  options: {
    /** The consumer's XRI proxy resolver: without one, a failed XRI is `xri_unsupported`. @default undefined (no resolver) */
    xriProxy?: string | undefined;
  } = {},
): DiscoveryFailureReason {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (current instanceof FetchError) {
      if (current.reason === 'private_address' || current.reason === 'timeout') return current.reason;
      if (UNREACHABLE.has(current.reason)) return 'unreachable';
      // A 4xx page is no identity page (a typo); a 5xx one is a server that is down.
      if (current.reason === 'http_status') return (current.httpStatus ?? 500) < 500 ? 'no_openid_service' : 'unreachable';
      return 'discovery_failed';
    }
    if (current instanceof UrlError) return 'invalid_identifier';
  }
  if (!(error instanceof DiscoveryError)) return 'discovery_failed';
  if (isXRI(error.identifier)) return options.xriProxy === undefined ? 'xri_unsupported' : 'discovery_failed';
  if (error.message.startsWith('No OpenID service was found')) return 'no_openid_service';
  return 'discovery_failed';
}

/**
 * Whether a failure is the address guard refusing a loopback host
 * (127.0.0.0/8, `::1`, `localhost`): in local development, the fetcher's
 * `allowLoopback` switch is the fix, and messages should say so.
 */
export function isLoopbackRefusal(error: unknown): boolean {
  for (let current = error, depth = 0; current !== null && typeof current === 'object' && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    if (!(current instanceof FetchError)) continue;
    if (current.reason !== 'private_address' || !URL.canParse(current.url)) return false;
    const host = new URL(current.url).hostname;
    return host === 'localhost' || host.endsWith('.localhost') || isLoopbackAddress(host);
  }
  return false;
}
