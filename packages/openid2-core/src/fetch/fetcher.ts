/**
 * The one HTTP client of the library, built on got: every network call
 * (discovery, association, check_authentication, relying party discovery)
 * goes through a {@link Fetcher}. Bounded by default: total timeout,
 * response size cap, redirect limit, http/https only, TLS verified, and the
 * private-address guard on every hop.
 */
import { lookup as dnsLookup } from 'node:dns';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import got, { type Got } from 'got';
import { FetchError, OpenIDConfigError } from '../errors.js';
import { isLoopbackAddress, isPrivateAddress } from './address-guard.js';
import { charsetOf, decodeBody } from './decode-body.js';
import { guardLookup, type LookupFunction } from './guarded-lookup.js';
import { abortedError, isRedirect, requestOnce, type HopRequest, type HopSettings } from './request-once.js';

export type { LookupFunction } from './guarded-lookup.js';
export { decodeBody } from './decode-body.js';

/** One request. */
export interface FetchInit {
  /** @default 'GET' */
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A request body; `application/x-www-form-urlencoded` unless a content-type header says otherwise. */
  body?: string;
  /** The Accept header, unless `headers` has one. */
  accept?: string;
  /**
   * Follow redirects (up to the fetcher's limit). With false, a redirect
   * comes back as the response it is (3xx, `location` header, no body).
   * @default true
   */
  followRedirects?: boolean;
  /** Aborts the fetch (a FetchError of reason `aborted`): the consumer's deadline for a whole login start. */
  signal?: AbortSignal | undefined;
}

/** A response of any status: only transport failures throw. */
export interface FetchResponse {
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string | undefined>;
  /** The body decoded as the content-type's charset says (UTF-8 by default). */
  body: string;
  /** The raw body, when the fetcher has it (HTML discovery reads a `<meta charset>` from it). */
  bodyBytes?: Buffer | undefined;
  /** The URL after redirects. */
  finalUrl: string;
  /** The media type, lower-case, without parameters. */
  contentType?: string | undefined;
}

/** What the library needs from an HTTP client. Applications may pass their own (proxy, custom CA, instrumentation). */
export interface Fetcher {
  /** @throws FetchError on transport failures; HTTP error statuses are responses. */
  fetch(url: string, init?: FetchInit): Promise<FetchResponse>;
}

/** Options of {@link createFetcher}. */
export interface FetcherOptions {
  /** Total time for one fetch, redirects and body included, in milliseconds. @default 10000 */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes (after decompression). @default 1048576 */
  maxBytes?: number;
  /** How many HTTP redirects one fetch follows; one more is a `too_many_redirects` {@link FetchError}. @default 5 */
  maxRedirects?: number;
  /**
   * Allow loopback, private, link-local and unique-local addresses. Off by
   * default; tests and intranet deployments turn it on explicitly.
   * @default false
   */
  allowPrivateAddresses?: boolean;
  /**
   * Allow loopback addresses only (127.0.0.0/8, `::1`), for local
   * development: an OP and a relying party both on 127.0.0.1. Every other
   * private address stays refused. Refused when `NODE_ENV` is `production`.
   * @default false
   */
  allowLoopback?: boolean;
  /**
   * Decides which addresses may be connected to, replacing the default guard
   * (an intranet can allow its own hosts by address).
   * @default address => allowPrivateAddresses || !isPrivateAddress(address) || (allowLoopback && isLoopbackAddress(address))
   */
  addressPolicy?: (address: string) => boolean;
  /** The `User-Agent` header of every request. @default 'openid2-core (+https://openid.net/)' */
  userAgent?: string;
  /** DNS look-up (tests inject one). @default dns.lookup */
  lookup?: LookupFunction;
  /**
   * A got instance with the application's settings (`got.extend({ agent,
   * https: { certificateAuthority }, hooks })`). The fetcher's bounds
   * (timeout, redirects, size cap, address guard, TLS verification) are set
   * per request and win over it. Its `agent`s are used when it has them
   * (then give each fetcher its own: a socket kept alive under one address
   * policy is not checked again under another); without, each fetcher keeps
   * its own connection pools.
   * @default got
   */
  got?: Got;
}

interface FetcherSettings extends HopSettings {
  maxRedirects: number;
  userAgent: string;
  allowed: (address: string) => boolean;
}

function positiveInteger(value: number | undefined, fallback: number, option: string, min = 1): number {
  const resolved = value ?? fallback;
  if (!Number.isSafeInteger(resolved) || resolved < min) throw new OpenIDConfigError(`must be an integer of at least ${min}`, option);
  return resolved;
}

function resolveSettings(options: FetcherOptions): FetcherSettings {
  if (options.addressPolicy !== undefined && typeof options.addressPolicy !== 'function') throw new OpenIDConfigError('must be a function', 'addressPolicy');
  if (options.lookup !== undefined && typeof options.lookup !== 'function') throw new OpenIDConfigError('must be a function', 'lookup');
  const allowPrivate = options.allowPrivateAddresses === true;
  const allowLoopback = options.allowLoopback === true;
  if (options.allowLoopback !== undefined && typeof options.allowLoopback !== 'boolean') throw new OpenIDConfigError('must be a boolean', 'allowLoopback');
  // A development switch must not reach production by accident (a copied example).
  if (allowLoopback && process.env.NODE_ENV === 'production') {
    throw new OpenIDConfigError('is for local development only and is refused when NODE_ENV=production', 'allowLoopback');
  }
  const allowed = options.addressPolicy ?? ((address: string) => allowPrivate || !isPrivateAddress(address) || (allowLoopback && isLoopbackAddress(address)));
  return {
    timeoutMs: positiveInteger(options.timeoutMs, 10_000, 'timeoutMs'),
    maxBytes: positiveInteger(options.maxBytes, 1024 * 1024, 'maxBytes'),
    maxRedirects: positiveInteger(options.maxRedirects, 5, 'maxRedirects', 0),
    userAgent: options.userAgent ?? 'openid2-core (+https://openid.net/)',
    allowed,
    lookup: guardLookup(options.lookup ?? (dnsLookup as unknown as LookupFunction), allowed),
    client: options.got ?? got,
    agent: agentsOf(options.got),
  };
}

/**
 * The fetcher's own keep-alive pools (as Node's global agents: LIFO, idle
 * sockets closed after 5 s), unless the app's got instance brings agents.
 * Sockets are then never shared with another fetcher: one opened under a
 * looser address policy (allowLoopback, allowPrivateAddresses) cannot carry
 * a stricter fetcher's request past its address check, which runs only when
 * a connection is made.
 */
function agentsOf(client: Got | undefined): HopSettings['agent'] {
  const own = client?.defaults.options.agent;
  const settings = { keepAlive: true, scheduling: 'lifo', timeout: 5000 } as const;
  return { http: (own?.http as HttpAgent | undefined) ?? new HttpAgent(settings), https: (own?.https as HttpsAgent | undefined) ?? new HttpsAgent(settings) };
}

/** Scheme and literal-address checks of one hop (names are checked when resolved). */
function checkTarget(settings: FetcherSettings, target: URL, original: string): void {
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new FetchError(`Only http and https URLs can be fetched, not ${target.protocol}`, original, 'scheme_not_allowed');
  }
  const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
  if (isIP(host) !== 0 && !settings.allowed(host)) {
    throw new FetchError(`${target.host} is a private address; fetching it is not allowed`, original, 'private_address');
  }
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function firstRequest(settings: FetcherSettings, init: FetchInit): HopRequest {
  const headers: Record<string, string> = { 'user-agent': settings.userAgent, ...init.headers };
  if (init.accept !== undefined && !hasHeader(headers, 'accept')) headers.accept = init.accept;
  if (init.body !== undefined && !hasHeader(headers, 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
  return { method: init.method ?? 'GET', headers, body: init.body };
}

/** The request of the next hop: 301/302/303 turn a POST into a GET without body, like browsers; 307/308 keep it. */
function nextRequest(request: HopRequest, status: number): HopRequest {
  if (status > 303 || request.method === 'GET') return request;
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !/^content-(type|length)$/i.test(name)));
  return { method: 'GET', headers, body: undefined };
}

function parseTarget(url: string, base?: URL): URL {
  try {
    return new URL(url, base);
  } catch (cause) {
    const what = base === undefined ? 'Not a valid URL' : 'A redirect points to an invalid URL';
    throw new FetchError(`${what}: ${JSON.stringify(String(url).slice(0, 200))}`, String(url), 'invalid_url', { cause });
  }
}

async function fetchFollowing(settings: FetcherSettings, url: string, init: FetchInit): Promise<FetchResponse> {
  let target = parseTarget(url);
  let request = firstRequest(settings, init);
  const deadline = performance.now() + settings.timeoutMs;
  for (let hop = 0; ; hop += 1) {
    checkTarget(settings, target, url);
    const remaining = Math.floor(deadline - performance.now());
    if (remaining <= 0) throw new FetchError(`Fetching ${url} timed out after ${settings.timeoutMs} ms`, url, 'timeout');
    if (init.signal?.aborted === true) throw abortedError(url, init.signal);
    const response = await requestOnce(settings, target, request, remaining, init.signal);
    const location = response.headers.location;
    if (isRedirect(response.status) && location !== undefined && init.followRedirects !== false) {
      if (hop >= settings.maxRedirects) throw new FetchError(`${url} redirects more than ${settings.maxRedirects} times`, url, 'too_many_redirects');
      target = parseTarget(location, target);
      request = nextRequest(request, response.status);
      continue;
    }
    const contentType = response.headers['content-type'];
    return {
      status: response.status,
      headers: response.headers,
      bodyBytes: response.bytes,
      body: decodeBody(response.bytes, charsetOf(contentType)),
      finalUrl: target.href,
      contentType: contentType?.split(';')[0]?.trim().toLowerCase(),
    };
  }
}

/**
 * Creates the default, bounded fetcher.
 * @throws OpenIDConfigError on invalid options
 */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const settings = resolveSettings(options);
  return {
    fetch: (url: string, init: FetchInit = {}) => fetchFollowing(settings, url, init),
  };
}
