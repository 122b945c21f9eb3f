/**
 * Realms (trust roots): the part of URL space a relying party asks the user
 * to trust.
 * @see OpenID 2.0 §9.2, §9.2.1; OpenID 1.1 §4.2 (trust_root)
 */
import { isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';
import { RealmError, UrlError } from './errors.js';
import { normalizeUrl } from './normalize-url.js';

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'http:': 80, 'https:': 443 };

function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** A parsed realm. Immutable; build it with {@link Realm.parse}. */
export class Realm {
  /** `http:` or `https:`. */
  readonly scheme: string;
  /** The host, lower-case and in punycode, without the `*.` of a wildcard. */
  readonly host: string;
  readonly wildcard: boolean;
  readonly port: number;
  /** Path and query, as python-openid's trust roots compare them. */
  readonly path: string;

  private constructor(scheme: string, host: string, wildcard: boolean, port: number, path: string) {
    this.scheme = scheme;
    this.host = host;
    this.wildcard = wildcard;
    this.port = port;
    this.path = path;
  }

  /**
   * Parses a realm. A wildcard is allowed only as the whole first label of
   * the host (`http://*.example.com/`); a fragment is not allowed (§9.2).
   * @throws RealmError
   */
  static parse(text: string): Realm {
    if (typeof text !== 'string') throw new RealmError('The realm must be a string', String(text));
    const match = /^(https?):\/\/([^/?#]*)(.*)$/is.exec(text);
    if (match === null) throw new RealmError(`The realm ${JSON.stringify(text.slice(0, 200))} is not an absolute http or https URL`, text);
    const [, scheme, authority, rest] = match as unknown as [string, string, string, string];
    if (rest.includes('#')) throw new RealmError('A realm must not contain a fragment', text);
    let wildcard = false;
    let hostPart = authority;
    if (authority === '*' || authority.startsWith('*:')) {
      wildcard = true;
      hostPart = `wildcard.invalid${authority.slice(1)}`;
    } else if (authority.startsWith('*.')) {
      wildcard = true;
      hostPart = authority.slice(2);
    }
    if (hostPart.includes('*')) throw new RealmError('A realm wildcard may only be the whole first label of the host', text);
    let url: URL;
    try {
      url = new URL(normalizeUrl(`${scheme}://${hostPart}${rest}`));
    } catch (cause) {
      const reason = cause instanceof UrlError ? cause.message : 'it cannot be parsed';
      throw new RealmError(`The realm ${JSON.stringify(text.slice(0, 200))} is invalid: ${reason}`, text, { cause });
    }
    const host = authority === '*' || authority.startsWith('*:') ? '' : hostOf(url);
    const port = url.port === '' ? (DEFAULT_PORTS[url.protocol] as number) : Number(url.port);
    return new Realm(url.protocol, host, wildcard, port, `${url.pathname}${url.search}`);
  }

  toString(): string {
    const port = this.port === DEFAULT_PORTS[this.scheme] ? '' : `:${this.port}`;
    const host = isIP(this.host) === 6 ? `[${this.host}]` : this.host;
    const prefix = this.wildcard ? (host === '' ? '*' : '*.') : '';
    return `${this.scheme}//${prefix}${host}${port}${this.path}`;
  }

  /**
   * Whether the realm is narrow enough to show to a user: no wildcard over
   * a public suffix (`http://*.com/`, `http://*.co.uk/`, `http://*.github.io/`),
   * an IP address or a bare top-level label, and no realm that is itself a
   * known public suffix (`http://com/`). Intranet names without a known
   * suffix (`http://intranet/`) are sane without a wildcard.
   */
  isSane(): boolean {
    if (this.host === '') return false;
    if (isIP(this.host) !== 0 || this.host === 'localhost') return !this.wildcard;
    // Private suffixes count too: a wildcard over github.io would span sites run by different people.
    const info = parseDomain(this.host, { allowPrivateDomains: true });
    const isSuffix = info.publicSuffix === this.host || info.domain === null;
    if (!isSuffix) return true;
    if (this.wildcard) return false;
    return info.isIcann !== true && info.isPrivate !== true;
  }

  /**
   * Whether `returnTo` lies within the realm: same scheme and port, the
   * same host (or a subdomain, for a wildcard), and a path that extends the
   * realm's path at a boundary (§9.2).
   */
  matches(returnTo: string): boolean {
    let url: URL;
    try {
      url = new URL(normalizeUrl(returnTo));
    } catch {
      return false;
    }
    if (url.protocol !== this.scheme) return false;
    const port = url.port === '' ? DEFAULT_PORTS[url.protocol] : Number(url.port);
    if (port !== this.port) return false;
    const host = hostOf(url);
    if (this.wildcard) {
      if (this.host !== '' && host !== this.host && !host.endsWith(`.${this.host}`)) return false;
    } else if (host !== this.host) return false;
    return pathWithin(this.path, `${url.pathname}${url.search}`);
  }

  /**
   * Where relying party discovery looks for the realm's return_to URLs: a
   * wildcard realm is discovered at `www.` + its domain (§9.2.1, §13).
   */
  buildDiscoveryURL(): string {
    if (!this.wildcard) return this.toString();
    const port = this.port === DEFAULT_PORTS[this.scheme] ? '' : `:${this.port}`;
    return `${this.scheme}//www.${this.host}${port}${this.path}`;
  }
}

/** python-openid's boundary rule: the path may only continue after `/` or `?` (after `&` once a query began). */
function pathWithin(allowed: string, path: string): boolean {
  if (path === allowed) return true;
  if (!path.startsWith(allowed)) return false;
  const boundary = allowed.includes('?') ? '&' : '/?';
  return boundary.includes(allowed.at(-1) as string) || boundary.includes(path[allowed.length] as string);
}

/**
 * Whether `returnTo` matches one of the return_to URLs a relying party
 * publishes (§9.2.1, §13). Those URLs are compared as realms without
 * wildcards.
 */
export function returnToMatches(allowedReturnTos: readonly string[], returnTo: string): boolean {
  return allowedReturnTos.some((allowed) => {
    try {
      const realm = Realm.parse(allowed);
      return !realm.wildcard && realm.matches(returnTo);
    } catch {
      return false;
    }
  });
}
