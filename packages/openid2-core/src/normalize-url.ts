/**
 * URL and identifier normalization.
 *
 * The host and port go through the WHATWG URL parser (IDNA to punycode,
 * IPv4 and IPv6 canonical forms, port range); path, query and fragment are
 * normalized here by RFC 3986 §6 itself, because the WHATWG serializer
 * rewrites reserved characters (`'` in a query becomes `%27`), which RFC 3986
 * §2.2 says makes a different URI.
 * @see OpenID 2.0 §7.2; RFC 3986 §6
 */
import { UrlError } from './errors.js';

/** Options of {@link normalizeUrl}. */
export interface NormalizeUrlOptions {
  /** Keep the fragment (claimed identifiers may carry one, §11.5.1). @default false */
  keepFragment?: boolean;
}

/** A user-supplied identifier after normalization (OpenID 2.0 §7.2): an http(s) URL, or an XRI (`=name`, `@org`, `xri://...`) kept as given. */
export type NormalizedIdentifier = { kind: 'url'; value: string } | { kind: 'xri'; value: string };

/** The components of a normalized http or https URL. */
export interface NormalizedUrlParts {
  readonly scheme: 'http' | 'https';
  /** Lower-case, punycode; IPv4 dotted decimal; IPv6 compressed, in brackets. */
  readonly host: string;
  /** The port, the scheme's default when the URL names none. */
  readonly port: number;
  /** The path: dot segments removed, `/` when empty. */
  readonly path: string;
  /** The query without `?`; `undefined` without one, `''` for a bare `?`. */
  readonly query: string | undefined;
  /** The fragment without `#`; `undefined` without one. */
  readonly fragment: string | undefined;
}

/** Default ports of the schemes OpenID allows (RFC 3986 §6.2.3). */
export const DEFAULT_PORTS: Readonly<Record<'http' | 'https', number>> = { http: 80, https: 443 };

/** ASCII characters RFC 3986 allows in a URI; other ASCII is refused, non-ASCII is encoded. */
const ILLEGAL_ASCII = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%\u0080-\uffff]/;
/** Non-ASCII controls, invisible format characters, Unicode spaces and lone surrogates. */
const ILLEGAL_UNICODE = /[\p{Cc}\p{Cf}\p{Z}\p{Cs}]/u;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** RFC 3986 Appendix B, with an authority required. */
const ABSOLUTE_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?$/s;
/** DNS names (letters, digits, `-`, `_`; no empty label but an optional final dot), IPv4, bracketed IPv6. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?)$/;
const XRI_GLOBAL_CONTEXT = new Set(['=', '@', '+', '$', '!', '(']);

/** The input quoted for an error message: JSON escapes CR/LF, long input is cut. */
export function quoteInput(input: string): string {
  return JSON.stringify(input.length > 200 ? `${input.slice(0, 200)}…` : input);
}

/** Refuses characters no URL may hold, rather than repairing them as browsers do. */
function checkCharacters(input: string, subject: () => string): void {
  if (ILLEGAL_ASCII.test(input) || ILLEGAL_UNICODE.test(input)) {
    throw new UrlError(`${subject()} contains whitespace, a control character or another character URLs may not hold`, input);
  }
  if (BAD_ESCAPE.test(input)) throw new UrlError(`${subject()} contains an invalid percent-escape`, input);
}

/**
 * Non-ASCII as UTF-8 escapes, escapes in upper case, escaped unreserved
 * characters decoded; reserved ones stay escaped (RFC 3986 §6.2.2.1-2).
 */
const NEEDS_NORMALIZING = /[%\u0080-\uffff]/;

function normalizeComponent(text: string): string {
  // Plain ASCII without escapes is already normal (most URLs, most of the time).
  if (!NEEDS_NORMALIZING.test(text)) return text;
  return text
    .replace(/[^\x00-\x7F]+/g, (run) => encodeURIComponent(run))
    .replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
      const char = String.fromCharCode(parseInt(hex, 16));
      return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
    });
}

/** RFC 3986 §5.2.4 for an absolute path (the input starts with `/` or is empty). */
function removeDotSegments(path: string): string {
  // No segment starts with a dot: nothing to remove.
  if (!path.includes('/.')) return path === '' ? '/' : path;
  const output: string[] = [];
  const segments = path.split('/').slice(1);
  segments.forEach((segment, index) => {
    if (segment !== '.' && segment !== '..') {
      output.push(segment);
      return;
    }
    if (segment === '..') output.pop();
    // A final dot segment leaves the directory it names: `/a/b/..` is `/a/`.
    if (index === segments.length - 1) output.push('');
  });
  return `/${output.join('/')}`;
}

/**
 * Authorities parsed lately: the same few hosts come back on every request
 * (the relying party's own, the providers it trusts). Only valid ones are
 * kept; the map is emptied when it reaches its bound.
 */
const authorities = new Map<string, { readonly host: string; readonly port: number }>();
const MAX_CACHED_AUTHORITIES = 512;

/** Host and port through the WHATWG parser, with user information refused. */
function parseAuthority(scheme: 'http' | 'https', authority: string, input: string, subject: () => string): { host: string; port: number } {
  const key = `${scheme}://${authority}`;
  const known = authorities.get(key);
  if (known !== undefined) return known;
  const parsed = parseAuthorityUncached(scheme, authority, input, subject);
  if (authorities.size >= MAX_CACHED_AUTHORITIES) authorities.clear();
  authorities.set(key, Object.freeze(parsed));
  return parsed;
}

function parseAuthorityUncached(scheme: 'http' | 'https', authority: string, input: string, subject: () => string): { host: string; port: number } {
  if (authority === '') throw new UrlError(`${subject()} has no host`, input);
  if (authority.includes('@')) throw new UrlError(`${subject()} contains user information, which OpenID URLs must not`, input);
  let url: URL;
  try {
    url = new URL(`${scheme}://${authority}/`);
  } catch (cause) {
    throw new UrlError(`${subject()} has an invalid host or port`, input, { cause });
  }
  if (!HOST.test(url.hostname)) throw new UrlError(`${subject()} has a host that is not a domain name or an IP address`, input);
  return { host: url.hostname, port: url.port === '' ? DEFAULT_PORTS[scheme] : Number(url.port) };
}

/** Options of {@link parseHttpUrl}. */
export interface ParseHttpUrlOptions {
  /** How error messages name the input. @default 'The URL "<input>"' */
  subject?: string;
}

/**
 * Parses and normalizes an http or https URL into its components, with the
 * same rules and errors as {@link normalizeUrl}.
 * @throws UrlError
 */
export function parseHttpUrl(input: string, options: ParseHttpUrlOptions = {}): NormalizedUrlParts {
  if (typeof input !== 'string' || input.length === 0) throw new UrlError('The URL is empty', String(input));
  // Named only when an error needs it (quoting a long URL on every call costs).
  const subject = (): string => options.subject ?? `The URL ${quoteInput(input)}`;
  checkCharacters(input, subject);
  const match = ABSOLUTE_URL.exec(input);
  if (match === null) throw new UrlError(`${subject()} is not an absolute http or https URL`, input);
  const [, rawScheme, authority, path, query, fragment] = match as unknown as [string, string, string, string, string?, string?];
  const scheme = rawScheme.toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') {
    throw new UrlError(`${subject()} uses the scheme ${quoteInput(scheme)}; only http and https are allowed`, input);
  }
  if (fragment?.includes('#')) throw new UrlError(`${subject()} contains more than one #`, input);
  const { host, port } = parseAuthority(scheme, authority, input, subject);
  return {
    scheme,
    host,
    port,
    path: removeDotSegments(normalizeComponent(path)),
    query: query === undefined ? undefined : normalizeComponent(query),
    fragment: fragment === undefined ? undefined : normalizeComponent(fragment),
  };
}

/** Serializes normalized components; the default port is left out (RFC 3986 §6.2.3). */
export function formatHttpUrl(parts: NormalizedUrlParts, options: NormalizeUrlOptions = {}): string {
  const port = parts.port === DEFAULT_PORTS[parts.scheme] ? '' : `:${parts.port}`;
  const query = parts.query === undefined ? '' : `?${parts.query}`;
  const fragment = options.keepFragment === true && parts.fragment !== undefined ? `#${parts.fragment}` : '';
  return `${parts.scheme}://${parts.host}${port}${parts.path}${query}${fragment}`;
}

/**
 * Normalizes an http or https URL (RFC 3986 §6): lower-case scheme and
 * host, punycode host, no default port, upper-case percent-escapes,
 * unreserved characters decoded, non-ASCII as UTF-8 escapes, dot segments
 * removed, empty path as `/`, fragment removed unless `keepFragment`. An
 * empty query (`?`) is kept: RFC 3986 §6.2.3 does not make it equivalent to
 * none.
 *
 * Stricter than the WHATWG URL parser, which silently repairs input: control
 * characters (CR, LF, TAB, NUL), whitespace, invisible Unicode format
 * characters, backslashes, invalid escapes, user information
 * (`https://trusted.example@evil.example/`) and hosts that are neither DNS
 * names nor IP addresses are errors.
 * @see OpenID 2.0 §7.2
 * @throws UrlError
 */
export function normalizeUrl(input: string, options: NormalizeUrlOptions = {}): string {
  return formatHttpUrl(parseHttpUrl(input), options);
}

/** Whether `input` has a scheme other than http or https (`localhost:3000/x` has none: that is a port). */
function hasOtherScheme(input: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(input) && !/^https?:\/\//i.test(input) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(input);
}

/**
 * Normalizes what a user typed as an identifier (§7.2): surrounding
 * whitespace trimmed, `xri://` stripped, XRIs recognised by their global
 * context symbol or `(` and returned as they are, `http://` added where no
 * scheme is given, then URL normalization with the fragment removed.
 * @see OpenID 2.0 §7.2, Appendix A.1
 * @throws UrlError
 */
export function normalizeIdentifier(input: string): NormalizedIdentifier {
  let text = typeof input === 'string' ? input.trim() : '';
  if (/^xri:\/\//i.test(text)) text = text.slice('xri://'.length);
  if (text.length === 0) throw new UrlError('The identifier is empty', String(input));
  if (XRI_GLOBAL_CONTEXT.has(text[0] as string)) {
    // XRIs are not normalized further, but they reach resolver URLs: no controls or spaces.
    if (ILLEGAL_UNICODE.test(text)) {
      throw new UrlError(`The XRI ${quoteInput(text)} contains whitespace or a control character`, text);
    }
    return { kind: 'xri', value: text };
  }
  if (hasOtherScheme(text)) throw new UrlError(`The identifier ${quoteInput(text)} uses a scheme other than http or https`, text);
  if (!/^https?:\/\//i.test(text)) text = `http://${text}`;
  return { kind: 'url', value: normalizeUrl(text) };
}

/** The URL without its fragment. */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}
