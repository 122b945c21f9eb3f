/**
 * URL and identifier normalization.
 * @see OpenID 2.0 §7.2; RFC 3986 §6
 */
import { UrlError } from './errors.js';

export interface NormalizeUrlOptions {
  /** Keep the fragment (claimed identifiers may carry one, §11.5.1). @default false */
  keepFragment?: boolean;
}

export type NormalizedIdentifier = { kind: 'url'; value: string } | { kind: 'xri'; value: string };

/** ASCII characters RFC 3986 allows in a URI; anything else ASCII is refused, non-ASCII is encoded. */
const ILLEGAL_ASCII = /[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%\u0080-\uffff]/;
const BAD_ESCAPE = /%(?![0-9A-Fa-f]{2})/;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const XRI_GLOBAL_CONTEXT = new Set(['=', '@', '+', '$', '!', '(']);

function show(input: string): string {
  return JSON.stringify(input.length > 200 ? `${input.slice(0, 200)}…` : input);
}

/** Upper-cases percent-escapes and decodes those of unreserved characters (RFC 3986 §6.2.2.1-2). */
function normalizeEscapes(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_match, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/**
 * Normalizes an http or https URL: lower-case scheme and host, punycode
 * host, no default port, upper-case percent-escapes, unreserved characters
 * decoded, dot segments removed, empty path as `/`, fragment removed.
 *
 * Stricter than the WHATWG URL parser, which silently repairs input: control
 * characters (CR, LF, TAB, NUL), spaces, backslashes, invalid escapes and
 * user information (`https://trusted.example@evil.example/`) are errors.
 * @throws UrlError
 */
export function normalizeUrl(input: string, options: NormalizeUrlOptions = {}): string {
  if (typeof input !== 'string' || input.length === 0) throw new UrlError('The URL is empty', String(input));
  if (ILLEGAL_ASCII.test(input)) {
    throw new UrlError(`The URL ${show(input)} contains whitespace, a control character or another character URLs may not hold`, input);
  }
  if (BAD_ESCAPE.test(input)) throw new UrlError(`The URL ${show(input)} contains an invalid percent-escape`, input);
  if (!/^https?:\/\//i.test(input)) throw new UrlError(`The URL ${show(input)} is not an absolute http or https URL`, input);
  if (!/^https?:\/\/[^/?#]/i.test(input)) throw new UrlError(`The URL ${show(input)} has no host`, input);
  let url: URL;
  try {
    url = new URL(input);
  } catch (cause) {
    throw new UrlError(`The URL ${show(input)} cannot be parsed`, input, { cause });
  }
  if (url.username !== '' || url.password !== '') {
    throw new UrlError(`The URL ${show(input)} contains user information, which OpenID identifiers must not`, input);
  }
  if (url.hostname === '') throw new UrlError(`The URL ${show(input)} has no host`, input);
  const port = url.port === '' ? '' : `:${url.port}`;
  const fragment = options.keepFragment === true ? url.hash : '';
  return `${url.protocol}//${url.hostname}${port}${normalizeEscapes(url.pathname)}${normalizeEscapes(url.search)}${normalizeEscapes(fragment)}`;
}

/**
 * Normalizes what a user typed as an identifier (§7.2): surrounding
 * whitespace trimmed, `xri://` stripped, XRIs recognised by their global
 * context symbol, `http://` added where no scheme is given, then URL
 * normalization with the fragment removed.
 * @throws UrlError
 */
export function normalizeIdentifier(input: string): NormalizedIdentifier {
  let text = typeof input === 'string' ? input.trim() : '';
  if (/^xri:\/\//i.test(text)) text = text.slice('xri://'.length);
  if (text.length === 0) throw new UrlError('The identifier is empty', String(input));
  if (XRI_GLOBAL_CONTEXT.has(text[0] as string)) return { kind: 'xri', value: text };
  if (!/^https?:\/\//i.test(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[^:/]+:\d+(?:[/?#]|$)/.test(text)) {
      throw new UrlError(`The identifier ${show(text)} uses a scheme other than http or https`, text);
    }
    text = `http://${text}`;
  }
  return { kind: 'url', value: normalizeUrl(text) };
}

/** The URL without its fragment. */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}
