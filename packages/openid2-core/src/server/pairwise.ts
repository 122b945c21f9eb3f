/**
 * Pairwise identifiers: for identifier select, a claimed identifier unique
 * to one user at one relying party (realm), so relying parties cannot link
 * their users by comparing identifiers.
 *
 * The identifier is `<base><tag>`, the tag an HMAC-SHA256 under a server
 * key of the realm and the user's own (internal) name: stable across logins
 * (no storage), unlinkable without the key, and different for every realm.
 * The provider serves an identity page at each such URL that names its
 * endpoint, so relying parties verify it by discovery as any identifier
 * (§11.2); the page needs no user lookup, because discovery only says which
 * OP speaks for the URL, and only the OP can sign an assertion of it.
 * @see OpenID 2.0 §7.3.1 (identifier select), §11.2 (verifying discovered information)
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { OpenIDConfigError } from '../errors.js';
import { normalizeUrl } from '../normalize-url.js';
import { Realm } from '../realm.js';

/** Options of {@link PairwiseIdentifiers}. */
export interface PairwiseOptions {
  /** At least 32 bytes from a secure random source; the same on every instance, and kept: a new key gives every user new identifiers. */
  key: Uint8Array;
  /** Where the identity pages live: an absolute http(s) URL ending in `/` (e.g. `https://op.example/id/`). */
  base: string;
}

const TAG_BYTES = 24;
const TAG = /^[A-Za-z0-9_-]{32}$/;

/** Derives pairwise identifiers and recognises them (see the module comment). */
export class PairwiseIdentifiers {
  readonly #key: Buffer;
  readonly base: string;

  /** @throws OpenIDConfigError (option `pairwise`) for a short key or a base that is not an http(s) URL ending in `/` */
  constructor(options: PairwiseOptions) {
    if (!(options?.key instanceof Uint8Array) || options.key.length < 32) throw new OpenIDConfigError('key must be at least 32 bytes', 'pairwise');
    let base: string;
    try {
      base = normalizeUrl(options.base);
    } catch {
      throw new OpenIDConfigError('base must be an absolute http or https URL', 'pairwise');
    }
    if (!base.endsWith('/') || base.includes('?') || base.includes('#')) throw new OpenIDConfigError('base must end in / and carry no query or fragment', 'pairwise');
    this.#key = Buffer.from(options.key);
    this.base = base;
  }

  /**
   * The identifier of `user` at `realm`: the same for every login there,
   * another at every other realm.
   * @param user the provider's own, stable name of the user (never shown to relying parties)
   * @param realm the request's realm (`request.realm`), compared in its normalized form
   * @throws RealmError for a realm that is not one
   */
  identifierFor(user: string, realm: Realm | string): string {
    const normalized = (typeof realm === 'string' ? Realm.parse(realm) : realm).toString();
    const mac = createHmac('sha256', this.#key).update(`openid2-pairwise-v1\0${normalized}\0${user}`, 'utf8').digest();
    return `${this.base}${mac.subarray(0, TAG_BYTES).toString('base64url')}`;
  }

  /** Whether `identifier` is the one of `user` at `realm` (constant time). */
  isFor(identifier: string, user: string, realm: Realm | string): boolean {
    if (typeof identifier !== 'string') return false;
    const expected = Buffer.from(this.identifierFor(user, realm));
    const given = Buffer.from(identifier);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** Whether a URL has the shape of a pairwise identifier of this provider: what its identity page serves. */
  isPairwise(url: string): boolean {
    return typeof url === 'string' && url.startsWith(this.base) && TAG.test(url.slice(this.base.length));
  }
}
