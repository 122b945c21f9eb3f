/**
 * A discovery cache, so a second login with the same identifier makes no
 * network request.
 */
import { LRUCache } from 'lru-cache';
import { OpenIDConfigError } from '../errors.js';
import type { DiscoveryResult } from './discovery-result.js';
import { discoveryResultSize } from './limits.js';

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

/** Options of {@link MemoryDiscoveryCache}: its bounds (entries, bytes) and how long an entry lives. */
export interface MemoryDiscoveryCacheOptions {
  /** The most entries kept; the least recently used one is dropped to make room. @default 1000 */
  maxEntries?: number;
  /**
   * The memory all entries may hold together, in bytes, as estimated from
   * their strings (two bytes a character) and objects. Identifiers come from
   * unauthenticated login requests: the cache must be bounded by size, not
   * only by count. An entry larger than an eighth of it is not kept.
   * @default 4194304 (4 MiB)
   */
  maxBytes?: number;
  /** Default time to live, in milliseconds: an entry expires once it is older than this. @default 300000 (5 minutes) */
  ttlMs?: number;
  /** Clock in milliseconds. @default performance.now (through lru-cache) */
  now?: () => number;
}

function positive(value: number, option: string, integer: boolean): number {
  const valid = integer ? Number.isSafeInteger(value) && value >= 1 : Number.isFinite(value) && value > 0;
  if (!valid) throw new OpenIDConfigError(integer ? 'must be a positive integer' : 'must be a positive number of milliseconds', option);
  return value;
}

/** An in-memory LRU cache (lru-cache) with a time to live, bounded in entries and in bytes. */
export class MemoryDiscoveryCache implements DiscoveryCache {
  readonly #entries: LRUCache<string, DiscoveryResult>;
  readonly ttlMs: number;
  /** The bound on the estimated size of all entries, in bytes. */
  readonly maxBytes: number;

  /** @throws OpenIDConfigError on invalid options */
  constructor(options: MemoryDiscoveryCacheOptions = {}) {
    const maxEntries = positive(options.maxEntries ?? 1000, 'maxEntries', true);
    this.maxBytes = positive(options.maxBytes ?? 4 * 1024 * 1024, 'maxBytes', true);
    this.ttlMs = positive(options.ttlMs ?? 300_000, 'ttlMs', false);
    if (options.now !== undefined && typeof options.now !== 'function') throw new OpenIDConfigError('must be a function', 'now');
    this.#entries = new LRUCache<string, DiscoveryResult>({
      max: maxEntries,
      maxSize: this.maxBytes,
      maxEntrySize: Math.max(1, Math.floor(this.maxBytes / 8)),
      sizeCalculation: (value, key) => Math.max(1, discoveryResultSize(value) + 2 * key.length),
      ttl: Math.ceil(this.ttlMs),
      // Staleness read from the clock on every access (no cached time): tests move it by hand.
      ttlResolution: 0,
      // lru-cache reads an entry started at time 0 as one without a TTL: a clock starting at 0 (a test's) is moved by 1 ms.
      ...(options.now === undefined ? {} : { perf: { now: () => (options.now as () => number)() + 1 } }),
    });
  }

  get(key: string): DiscoveryResult | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: DiscoveryResult, ttlMs: number = this.ttlMs): void {
    if (!(ttlMs > 0)) return;
    this.#entries.set(key, value, { ttl: Math.ceil(ttlMs) });
  }

  /** Number of entries held (expired ones included until touched or evicted). */
  get size(): number {
    return this.#entries.size;
  }

  /** The estimated size of the entries held, in bytes (at most `maxBytes`). */
  get bytes(): number {
    return this.#entries.calculatedSize;
  }
}
