/**
 * A discovery cache, so a second login with the same identifier makes no
 * network request.
 */
import { OpenIDConfigError } from '../errors.js';
import type { DiscoveryResult } from './discover.js';

/**
 * A cache of discovery results, keyed by normalized identifier. Pluggable:
 * an application with several instances can back it with a shared store.
 */
export interface DiscoveryCache {
  /** The live entry for a key, or undefined (never an expired one). */
  get(key: string): Promise<DiscoveryResult | undefined> | DiscoveryResult | undefined;
  /** Stores an entry for `ttlMs` milliseconds (undefined: the cache's own default). */
  set(key: string, value: DiscoveryResult, ttlMs?: number): Promise<void> | void;
}

export interface MemoryDiscoveryCacheOptions {
  /** @default 1000 */
  maxEntries?: number;
  /** Default time to live, in milliseconds. @default 300000 (5 minutes) */
  ttlMs?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** An in-memory LRU cache with a time to live, bounded in entries. */
export class MemoryDiscoveryCache implements DiscoveryCache {
  readonly #entries = new Map<string, { value: DiscoveryResult; expires: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly ttlMs: number;

  /** @throws OpenIDConfigError on invalid options */
  constructor(options: MemoryDiscoveryCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1000;
    this.ttlMs = options.ttlMs ?? 300_000;
    this.#now = options.now ?? Date.now;
    if (!Number.isSafeInteger(this.#maxEntries) || this.#maxEntries < 1) throw new OpenIDConfigError('must be a positive integer', 'maxEntries');
    if (!Number.isFinite(this.ttlMs) || this.ttlMs <= 0) throw new OpenIDConfigError('must be a positive number of milliseconds', 'ttlMs');
    if (typeof this.#now !== 'function') throw new OpenIDConfigError('must be a function', 'now');
  }

  get(key: string): DiscoveryResult | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: DiscoveryResult, ttlMs: number = this.ttlMs): void {
    if (!(ttlMs > 0)) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.#now() + ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** Number of entries held (expired ones included until touched or evicted). */
  get size(): number {
    return this.#entries.size;
  }
}
