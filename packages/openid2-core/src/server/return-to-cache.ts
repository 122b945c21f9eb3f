/**
 * Relying party discovery results by realm, so the OP fetches a realm's
 * XRDS once per lifetime instead of on every checkid request (§9.2.1, §13).
 * Concurrent requests for one realm share one fetch; failures are kept for
 * a shorter time, so a realm that cannot be reached is not fetched again by
 * every request while it is down (nor can requests naming it make the OP
 * fetch it repeatedly).
 */
import { OpenIDConfigError } from '../errors.js';

/** Options of {@link ReturnToCache}, given as {@link ServerOptions}`.returnToCache`. */
export interface ReturnToCacheOptions {
  /** Realms kept; the oldest entry is dropped to make room. @default 1000 */
  maxEntries?: number;
  /** How long a realm's published return_to URLs are kept, in milliseconds. @default 600000 (10 minutes) */
  ttlMs?: number;
  /** How long a failed discovery is kept, in milliseconds. @default 60000 */
  failureTtlMs?: number;
}

/**
 * The OP's cache of relying party discovery results: the return_to URLs
 * each realm publishes (see the module comment). {@link Server} makes one
 * from its `returnToCache` option.
 * @see OpenID 2.0 §9.2.1, §13
 */
export class ReturnToCache {
  readonly #entries = new Map<string, { value: Promise<string[]>; expires: number }>();
  readonly #maxEntries: number;
  readonly #ttlMs: number;
  readonly #failureTtlMs: number;
  readonly #now: () => number;

  /** @throws OpenIDConfigError on invalid options */
  constructor(options: ReturnToCacheOptions, now: () => number) {
    this.#maxEntries = options.maxEntries ?? 1000;
    this.#ttlMs = options.ttlMs ?? 600_000;
    this.#failureTtlMs = options.failureTtlMs ?? 60_000;
    this.#now = now;
    if (!Number.isSafeInteger(this.#maxEntries) || this.#maxEntries < 1) throw new OpenIDConfigError('must be a positive integer', 'returnToCache.maxEntries');
    for (const [name, value] of [['ttlMs', this.#ttlMs], ['failureTtlMs', this.#failureTtlMs]] as const) {
      if (!Number.isFinite(value) || value < 0) throw new OpenIDConfigError('must be a number of milliseconds, 0 or more', `returnToCache.${name}`);
    }
  }

  /** The realm's return_to URLs: from the cache while fresh, else from `load` (one load at a time per realm). */
  get(realm: string, load: (realm: string) => Promise<string[]>): Promise<string[]> {
    const now = this.#now();
    const cached = this.#entries.get(realm);
    if (cached !== undefined && cached.expires > now) {
      // Least recently used goes first: move to the end.
      this.#entries.delete(realm);
      this.#entries.set(realm, cached);
      return cached.value;
    }
    const value = load(realm);
    const entry = { value, expires: now + this.#ttlMs };
    this.#entries.delete(realm);
    this.#entries.set(realm, entry);
    value.catch(() => {
      if (this.#entries.get(realm) === entry) entry.expires = Math.min(entry.expires, this.#now() + this.#failureTtlMs);
    });
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value as string);
    return value;
  }

  /** Realms held (expired ones included until touched or evicted). */
  get size(): number {
    return this.#entries.size;
  }
}
