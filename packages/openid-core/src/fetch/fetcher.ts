/**
 * The one HTTP client of the library, built on got: every network call
 * (discovery, association, check_authentication, relying party discovery)
 * goes through a {@link Fetcher}. Bounded by default: total timeout,
 * response size cap, redirect limit, http/https only, TLS verified, and the
 * private-address guard.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import got, { type Got, type Headers } from 'got';
import { FetchError } from '../errors.js';
import { isPrivateAddress } from './address-guard.js';
import { mapGotError, PRIVATE_ADDRESS_CODE } from './fetch-errors.js';

export interface FetchInit {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A request body (for POST, `application/x-www-form-urlencoded` unless a content-type header says otherwise). */
  body?: string;
}

export interface FetchResponse {
  status: number;
  /** Response headers, lower-case names. */
  headers: Record<string, string | undefined>;
  /** The body decoded as the content-type's charset says (UTF-8 by default). */
  body: string;
  bodyBytes: Buffer;
  /** The URL after redirects. */
  finalUrl: string;
  /** The media type, lower-case, without parameters. */
  contentType: string | undefined;
}

/** What the library needs from an HTTP client. Applications may pass their own. */
export interface Fetcher {
  fetch(url: string, init?: FetchInit): Promise<FetchResponse>;
}

export type LookupFunction = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

export interface FetcherOptions {
  /** Total time for one fetch, redirects included, in milliseconds. @default 10000 */
  timeoutMs?: number;
  /** Largest response body accepted, in bytes (after decompression). @default 1048576 */
  maxBytes?: number;
  /** @default 5 */
  maxRedirects?: number;
  /**
   * Allow loopback, private, link-local and unique-local addresses. Off by
   * default; tests and intranet deployments turn it on explicitly.
   * @default false
   */
  allowPrivateAddresses?: boolean;
  /**
   * Decides which resolved addresses may be connected to, replacing the
   * default guard (an intranet can allow its own hosts by address).
   * @default address => !isPrivateAddress(address), or allow all with allowPrivateAddresses
   */
  addressPolicy?: (address: string) => boolean;
  /** @default 'openid-core (+https://openid.net/)' */
  userAgent?: string;
  /** DNS look-up (tests inject one). @default dns.lookup */
  lookup?: LookupFunction;
  /** A got instance with the application's settings (proxy agents, CA). */
  got?: Got;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function charsetOf(contentType: string | undefined): string {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase() ?? 'utf-8';
}

/** Decodes bytes in a charset, falling back to UTF-8 for unknown charsets. */
export function decodeBody(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function flattenHeaders(headers: Headers | Record<string, string | string[] | undefined>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Creates the default, bounded fetcher. */
export function createFetcher(options: FetcherOptions = {}): Fetcher {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const maxRedirects = options.maxRedirects ?? 5;
  const allowPrivate = options.allowPrivateAddresses === true;
  const allowed = options.addressPolicy ?? ((address: string) => allowPrivate || !isPrivateAddress(address));
  const baseLookup: LookupFunction = options.lookup ?? (dnsLookup as unknown as LookupFunction);
  const client = options.got ?? got;

  // Checks the addresses actually connected to, so a name that resolves to
  // a private address (or is rebound to one) is refused too.
  const guardedLookup = (hostname: string, lookupOptions: unknown, callback: (...args: unknown[]) => void): void => {
    const wantAll = typeof lookupOptions === 'object' && lookupOptions !== null && (lookupOptions as { all?: boolean }).all === true;
    baseLookup(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error);
      const usable = addresses.filter((entry) => allowed(entry.address));
      if (usable.length === 0 || usable.length !== addresses.length) {
        const refused = Object.assign(new Error(`${hostname} resolves to a private address`), { code: PRIVATE_ADDRESS_CODE });
        return callback(refused);
      }
      if (wantAll) return callback(null, usable);
      const first = usable[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };

  function checkTarget(target: URL, original: string): void {
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new FetchError(`Only http and https URLs can be fetched, not ${target.protocol}`, original, 'scheme_not_allowed');
    }
    const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
    const refused = isIP(host) !== 0 ? !allowed(host) : !allowPrivate && options.addressPolicy === undefined && (host === 'localhost' || host.endsWith('.localhost'));
    if (refused) {
      throw new FetchError(`${target.host} is a private address; fetching it is not allowed`, original, 'private_address');
    }
  }

  async function once(target: URL, init: FetchInit, deadline: number): Promise<{ status: number; headers: Record<string, string | undefined>; bytes: Buffer }> {
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new FetchError(`Timed out after ${timeoutMs} ms`, target.href, 'timeout');
    const stream = client.stream(target, {
      method: init.method ?? 'GET',
      headers: { 'user-agent': options.userAgent ?? 'openid-core (+https://openid.net/)', ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
      followRedirect: false,
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: { request: remaining },
      dnsLookup: guardedLookup as never,
      https: { rejectUnauthorized: true },
      decompress: true,
    });
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let response: { statusCode: number; headers: Headers } | undefined;
      stream.on('response', (res: { statusCode: number; headers: Headers }) => {
        response = res;
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxBytes) {
          stream.destroy();
          reject(new FetchError(`The response is larger than ${maxBytes} bytes`, target.href, 'too_large'));
        }
      });
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          stream.destroy();
          reject(new FetchError(`The response is larger than ${maxBytes} bytes`, target.href, 'too_large'));
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (error: unknown) => reject(mapGotError(error, target.href, timeoutMs)));
      stream.on('end', () => {
        if (response === undefined) return reject(new FetchError('No response', target.href, 'connection'));
        resolve({ status: response.statusCode, headers: flattenHeaders(response.headers), bytes: Buffer.concat(chunks) });
      });
    });
  }

  return {
    async fetch(url: string, init: FetchInit = {}): Promise<FetchResponse> {
      let target: URL;
      try {
        target = new URL(url);
      } catch (cause) {
        throw new FetchError(`Not a valid URL: ${JSON.stringify(url.slice(0, 200))}`, url, 'invalid_url', { cause });
      }
      const deadline = Date.now() + timeoutMs;
      let request = init;
      for (let hop = 0; ; hop += 1) {
        checkTarget(target, url);
        const result = await once(target, request, deadline);
        const location = result.headers.location;
        if (REDIRECTS.has(result.status) && location !== undefined) {
          if (hop >= maxRedirects) throw new FetchError(`More than ${maxRedirects} redirects`, url, 'too_many_redirects');
          try {
            target = new URL(location, target);
          } catch (cause) {
            throw new FetchError(`A redirect points to an invalid URL`, url, 'invalid_url', { cause });
          }
          // Like browsers: 301/302/303 turn a POST into a GET; 307/308 keep it.
          if (result.status <= 303) request = { headers: init.headers ?? {} };
          continue;
        }
        const contentType = result.headers['content-type'];
        return {
          status: result.status,
          headers: result.headers,
          bodyBytes: result.bytes,
          body: decodeBody(result.bytes, charsetOf(contentType)),
          finalUrl: target.href,
          contentType: contentType?.split(';')[0]?.trim().toLowerCase(),
        };
      }
    },
  };
}
