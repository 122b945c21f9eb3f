/**
 * The store contract: where consumers and providers keep associations and
 * single-use nonces. One process can use the embedded stores; several
 * processes behind a load balancer need a shared one (SQL, Redis).
 *
 * Rules every implementation follows:
 * - "not found" is `undefined` (or `false`); a fault (unreachable database,
 *   failed query) throws a {@link StoreError}. Never confuse the two: a fault
 *   must not look like a fresh nonce or a missing association.
 * - Expired associations are never returned, whether or not cleanup has run.
 * - `useNonce` is atomic: of any number of concurrent calls with the same
 *   triple, across processes, exactly one returns true.
 * @see OpenID 2.0 §8 (associations), §11.3 (nonces)
 */
import { createHash } from 'node:crypto';
import type { Association } from '../association.js';
import { DEFAULT_NONCE_SKEW_SECONDS } from '../nonce.js';
import { StoreError } from '../errors.js';

export interface OpenIDStore {
  /** Stores an association, replacing one with the same server URL and handle. */
  storeAssociation(serverUrl: string, association: Association): Promise<void>;
  /**
   * The association with this handle, or without a handle the newest
   * (greatest issue time) unexpired one; undefined if there is none.
   */
  getAssociation(serverUrl: string, handle?: string): Promise<Association | undefined>;
  /** Removes an association; true if one was removed. */
  removeAssociation(serverUrl: string, handle: string): Promise<boolean>;
  /**
   * Records a nonce. True exactly once for a given (server URL, timestamp,
   * salt); false when it was used before or the timestamp lies outside the
   * allowed skew.
   * @param timestamp seconds since the epoch
   */
  useNonce(serverUrl: string, timestamp: number, salt: string): Promise<boolean>;
  /** Removes expired associations and nonces older than the skew; returns how many. */
  cleanup(): Promise<{ associations: number; nonces: number }>;
  /** Closes connections the store opened itself (not those it was given). */
  close(): Promise<void>;
}

export interface StoreTimeOptions {
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
  /** How far nonce timestamps may lie from now, in seconds. @default DEFAULT_NONCE_SKEW_SECONDS (5 h) */
  skewSeconds?: number;
}

/** Shared bookkeeping of store implementations: the clock and the skew window. */
export class StoreClock {
  readonly #now: () => number;
  readonly skewSeconds: number;

  constructor(options: StoreTimeOptions = {}) {
    this.#now = options.now ?? Date.now;
    this.skewSeconds = options.skewSeconds ?? DEFAULT_NONCE_SKEW_SECONDS;
  }

  /** Now, in whole seconds since the epoch. */
  seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Whether a nonce timestamp lies inside the skew window. */
  nonceInWindow(timestamp: number): boolean {
    return Number.isFinite(timestamp) && Math.abs(this.#now() / 1000 - timestamp) <= this.skewSeconds;
  }

  /** Nonces older than this (seconds) may be forgotten. */
  nonceHorizon(): number {
    return this.seconds() - this.skewSeconds;
  }
}

/** A fixed-length key for a server URL (URLs can be longer than database index limits). */
export function serverKey(serverUrl: string): string {
  return createHash('sha256').update(serverUrl, 'utf8').digest('hex');
}

/** Checks arguments common to every store, so bad input fails the same way everywhere. */
export function checkNonceArgs(serverUrl: string, timestamp: number, salt: string): void {
  if (typeof serverUrl !== 'string' || typeof salt !== 'string' || typeof timestamp !== 'number') {
    throw new TypeError('useNonce(serverUrl: string, timestamp: number, salt: string)');
  }
  if (salt.length > 255) throw new TypeError('A nonce salt is at most 255 characters');
}

/** Wraps any error of a backend in a StoreError naming the operation. */
export async function guard<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (cause) {
    if (cause instanceof StoreError) throw cause;
    throw new StoreError(`Store ${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}
