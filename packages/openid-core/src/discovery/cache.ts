/**
 * A discovery cache, so a second login with the same identifier makes no
 * network request.
 */
import type { DiscoveryResult } from './discover.js';

export interface DiscoveryCache {
  get(key: string): Promise<DiscoveryResult | undefined> | DiscoveryResult | undefined;
  set(key: string, value: DiscoveryResult, ttlMs: number): Promise<void> | void;
}

export interface MemoryDiscoveryCacheOptions {
  /** @default 1000 */
  maxEntries?: number;
  /** Default time to live, in milliseconds. @default 300000 (5 minutes) */
  ttlMs?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** An in-memory LRU cache with a time to live. */
export class MemoryDiscoveryCache implements DiscoveryCache {
  readonly #entries = new Map<string, { value: DiscoveryResult; expires: number }>();
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly ttlMs: number;

  constructor(options: MemoryDiscoveryCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1000;
    this.ttlMs = options.ttlMs ?? 300_000;
    this.#now = options.now ?? Date.now;
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
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.#now() + ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
