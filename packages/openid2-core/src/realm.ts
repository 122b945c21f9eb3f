/**
 * Realms (trust roots): the part of URL space a relying party asks the user
 * to trust.
 * @see OpenID 2.0 §9.2, §9.2.1; OpenID 1.1 §4.2 (trust_root)
 */
import { isIP } from 'node:net';
import { parse as parseDomain } from 'tldts';
import { RealmError, UrlError } from './errors.js';
import { DEFAULT_PORTS, parseHttpUrl, quoteInput, type NormalizedUrlParts } from './normalize-url.js';

/** Stands in for the host of a bare `*` realm while its port and path are checked. */
const PLACEHOLDER_HOST = 'wildcard.invalid';

function isIpHost(host: string): boolean {
  return isIP(host.startsWith('[') ? host.slice(1, -1) : host) !== 0;
}

/**
 * Path and query as python-openid's trust roots compare them. An empty
 * query (`/app?`) counts as none, as it does there.
 */
function pathAndQuery(parts: NormalizedUrlParts): string {
  return parts.query === undefined || parts.query === '' ? parts.path : `${parts.path}?${parts.query}`;
}

/** Splits a leading `*.` (or a bare `*`) off the authority. */
function splitWildcard(authority: string, text: string): { wildcard: boolean; bare: boolean; authority: string } {
  let split = { wildcard: false, bare: false, authority };
  if (authority === '*' || authority.startsWith('*:')) {
    split = { wildcard: true, bare: true, authority: `${PLACEHOLDER_HOST}${authority.slice(1)}` };
  } else if (authority.startsWith('*.')) {
    split = { wildcard: true, bare: false, authority: authority.slice(2) };
  }
  if (split.authority.includes('*')) throw new RealmError('A realm wildcard may only be the whole first label of the host (*.example.com)', text);
  return split;
}

/** A parsed realm. Immutable; build it with {@link Realm.parse}. */
export class Realm {
  readonly scheme: 'http' | 'https';
  /**
   * The host without the `*.` of a wildcard: lower-case, punycode, IPv6 in
   * brackets; `''` for the bare wildcard realm (`http://*` with nothing after the star).
   */
  readonly host: string;
  /** Whether the realm covers subdomains of {@link host} (`*.`). */
  readonly wildcard: boolean;
  /** The port, the scheme's default when the realm names none. */
  readonly port: number;
  /** Path and query (`/`, `/app?x=1`), as python-openid's trust roots compare them. */
  readonly path: string;

  private constructor(fields: Pick<Realm, 'scheme' | 'host' | 'wildcard' | 'port' | 'path'>) {
    this.scheme = fields.scheme;
    this.host = fields.host;
    this.wildcard = fields.wildcard;
    this.port = fields.port;
    this.path = fields.path;
  }

  /**
   * Parses a realm: an http or https URL without a fragment, whose host may
   * start with the wildcard label `*.` (`http://*.example.com/`), normalized
   * as {@link normalizeUrl} does. A `*` anywhere else is an error. The bare
   * wildcard (`http://*` with nothing after the star) parses but is never
   * {@link isSane sane}.
   * @see OpenID 2.0 §9.2
   * @throws RealmError
   */
  static parse(text: string): Realm {
    if (typeof text !== 'string') throw new RealmError('The realm must be a string', String(text));
    const match = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(text);
    if (match === null) throw new RealmError(`The realm ${quoteInput(text)} is not an absolute http or https URL`, text);
    const [, prefix, authority, rest] = match as unknown as [string, string, string, string];
    const split = splitWildcard(authority, text);
    let parts: NormalizedUrlParts;
    try {
      parts = parseHttpUrl(`${prefix}${split.authority}${rest}`, { subject: `The realm ${quoteInput(text)}` });
    } catch (cause) {
      if (!(cause instanceof UrlError)) throw cause;
      throw new RealmError(cause.message, text, { cause });
    }
    if (parts.fragment !== undefined) throw new RealmError(`The realm ${quoteInput(text)} contains a fragment, which realms must not (§9.2)`, text);
    return new Realm({
      scheme: parts.scheme,
      host: split.bare ? '' : parts.host,
      wildcard: split.wildcard,
      port: parts.port,
      path: pathAndQuery(parts),
    });
  }

  /** The normalized realm (`http://*.example.com/`, `https://example.com:8443/app`). */
  toString(): string {
    const prefix = this.wildcard ? (this.host === '' ? '*' : '*.') : '';
    return `${this.scheme}://${prefix}${this.host}${this.portSuffix()}${this.path}`;
  }

  private portSuffix(): string {
    return this.port === DEFAULT_PORTS[this.scheme] ? '' : `:${this.port}`;
  }

  /**
   * Whether the realm is narrow enough to accept. Not sane: a wildcard over
   * a public suffix of the Public Suffix List, ICANN or private section
   * (`http://*.com/`, `http://*.co.uk/`, `http://*.github.io/`), over an IP
   * address, over localhost or over a bare unknown label (`http://*.intranet/`);
   * a host that is itself a listed suffix (`http://com/`, `http://github.io/`);
   * the bare wildcard `http://*`. Sane: ordinary hosts, `localhost`, IP addresses
   * and intranet names outside the list (`http://intranet/`) without a
   * wildcard.
   *
   * Private suffixes count because each name under them (alice.github.io,
   * bob.github.io) belongs to someone else: a wildcard over one would let any
   * of them claim the realm, exactly as `*.com` would.
   * @see OpenID 2.0 §9.2 (overly general realms)
   */
  isSane(): boolean {
    if (this.host === '') return false;
    if (isIpHost(this.host) || this.host === 'localhost' || this.host === 'localhost.') return !this.wildcard;
    const info = parseDomain(this.host, { allowPrivateDomains: true });
    // No registrable domain: the host is a suffix itself (tldts ignores a final dot).
    if (info.domain !== null) return true;
    if (this.wildcard) return false;
    return info.isIcann !== true && info.isPrivate !== true;
  }

  /**
   * Whether `returnTo` lies within the realm: same scheme and port, the
   * same host (or, for a wildcard, the domain or one of its subdomains, on
   * a label boundary), and a path that equals the realm's path or extends it
   * at a boundary: after a `/` or `?` (after `&` when the realm has a query),
   * as python-openid's `TrustRoot.validateURL` does.
   *
   * A return_to that is not a valid http(s) URL never matches. Its fragment
   * is ignored: a user agent never sends it to the server, so it does not
   * change where the response goes (RFC 3986 §3.5). Matching does not judge
   * the realm itself: the bare wildcard `http://*` matches every host, and callers must check
   * {@link isSane} first, as the server does.
   * @see OpenID 2.0 §9.2
   */
  matches(returnTo: string): boolean {
    let url: NormalizedUrlParts;
    try {
      url = parseHttpUrl(returnTo);
    } catch (error) {
      if (error instanceof UrlError) return false;
      throw error;
    }
    if (url.scheme !== this.scheme || url.port !== this.port) return false;
    if (!this.hostMatches(url.host)) return false;
    return pathWithin(this.path, pathAndQuery(url));
  }

  private hostMatches(host: string): boolean {
    if (!this.wildcard) return host === this.host;
    if (this.host === '') return true;
    return host === this.host || host.endsWith(`.${this.host}`);
  }

  /**
   * Where relying party discovery looks for the realm's return_to URLs: the
   * realm itself, or for a wildcard realm `www.` + its domain.
   * @see OpenID 2.0 §9.2.1, §13
   * @throws RealmError for the bare wildcard `http://*`, which names no domain
   */
  buildDiscoveryURL(): string {
    if (!this.wildcard) return this.toString();
    if (this.host === '') throw new RealmError('The realm * names no domain on which to discover the relying party', this.toString());
    return `${this.scheme}://www.${this.host}${this.portSuffix()}${this.path}`;
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
 * publishes. Each is used as a realm, as §9.2.1 says; one with a wildcard,
 * which §9.2.1 forbids, or one that does not parse, matches nothing.
 * @see OpenID 2.0 §9.2.1, §13
 */
export function returnToMatches(allowedReturnTos: readonly string[], returnTo: string): boolean {
  return allowedReturnTos.some((allowed) => {
    let realm: Realm;
    try {
      realm = Realm.parse(allowed);
    } catch (error) {
      if (error instanceof RealmError) return false;
      throw error;
    }
    return !realm.wildcard && realm.matches(returnTo);
  });
}
