/**
 * The store contract: where consumers and providers keep associations and
 * single-use nonces. One process can use the embedded stores; several
 * processes behind a load balancer need a shared one (openid-store-sql,
 * openid-store-redis).
 *
 * Rules every implementation follows (the conformance suite in
 * openid-test-helpers, `runStoreConformance`, checks each of them):
 * - "not found" is `undefined` (or `false`); a fault (unreachable database,
 *   failed query, corrupt data) throws a {@link StoreError} with the cause,
 *   within a bounded time. Never confuse the two: a fault must not look like
 *   a fresh nonce or a missing association.
 * - Expired associations are never returned, whether or not cleanup has run.
 * - At most `maxAssociationsPerServer` associations are kept per server URL,
 *   the oldest evicted first (a store may evict down to
 *   `evictionTarget(cap)` at once), so `associate` floods cannot grow it.
 * - `useNonce` is atomic: of any number of concurrent calls with the same
 *   triple, across processes, exactly one returns true.
 * - Time comes from the `now` option, so tests move the clock instead of
 *   sleeping.
 * @see OpenID 2.0 §8 (associations), §10.1 and §11.3 (nonces)
 */
import { createHash } from 'node:crypto';
import type { Association } from '../association.js';
import { NonceError, OpenIDConfigError, StoreError } from '../errors.js';
import { DEFAULT_NONCE_SKEW_SECONDS, isNonceSalt, MAX_NONCE_LENGTH, nonceInWindow } from '../nonce.js';

/** Where associations and used nonces are kept. Implement it to add a backend. */
export interface OpenIDStore {
  /**
   * Stores an association of a server, replacing one with the same server
   * URL and handle, and evicts the server's oldest beyond the cap.
   * @param opEndpoint the OP endpoint URL (consumer) or a fixed key (provider)
   * @throws StoreError on a fault
   */
  storeAssociation(opEndpoint: string, association: Association): Promise<void>;
  /**
   * The unexpired association with this handle; without a handle the newest
   * unexpired one (greatest `issued`). `undefined` if there is none, including
   * for a handle no association can have (`!isValidHandle(handle)`: handles
   * come from the network; answer those without asking the backend, where a
   * NUL byte, say, would be a database error rather than a miss).
   * @throws StoreError on a fault, never `undefined`
   * @see OpenID 2.0 §8.2.1 (handles)
   */
  getAssociation(opEndpoint: string, handle?: string): Promise<Association | undefined>;
  /**
   * Removes an association; true if one was removed, so of two concurrent
   * removals exactly one wins.
   * @throws StoreError on a fault, never `false`
   */
  removeAssociation(opEndpoint: string, handle: string): Promise<boolean>;
  /**
   * Records a nonce: true exactly once for a given (server URL, timestamp,
   * salt), false when it was used before, and false without recording it
   * when the timestamp lies more than the skew from now (past or future).
   * @param timestamp whole seconds since the epoch (`parseNonce(...).timestamp`)
   * @param salt the characters after the timestamp (`parseNonce(...).salt`)
   * @throws NonceError for arguments no nonce can have
   * @throws StoreError on a fault, never `true`
   * @see OpenID 2.0 §10.1, §11.3
   */
  useNonce(opEndpoint: string, timestamp: number, salt: string): Promise<boolean>;
  /**
   * Removes expired associations and nonces older than the skew window;
   * resolves with how many of each it removed. Run it from a timer or a job:
   * reads never depend on it.
   */
  cleanup(): Promise<{ associations: number; nonces: number }>;
  /** Closes connections the store opened itself (not those it was given). */
  close(): Promise<void>;
  /**
   * Optional: the nonce window `useNonce` applies, in seconds (the store's
   * `skewSeconds` option). The one setting of the window: a consumer with
   * this store refuses response nonces outside it (`nonce_stale`) before
   * recording them. A store without it is taken to apply
   * DEFAULT_NONCE_SKEW_SECONDS.
   */
  readonly skewSeconds?: number;
}

/** The methods a relying party and a provider call on a store (`cleanup` and `close` are the application's). */
const STORE_METHODS = ['storeAssociation', 'getAssociation', 'removeAssociation', 'useNonce'] as const;

/** Whether a value can be a nonce window: a finite number of seconds, 0 or more. */
function isSkewSeconds(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

/**
 * Whether a value can serve as an {@link OpenIDStore}: the one check of the
 * Server, the consumer router and the Passport strategy options (the four
 * methods they call, and a `skewSeconds`, if the store has one, that can be
 * a nonce window).
 */
export function isOpenIDStore(value: unknown): value is OpenIDStore {
  if (value === null || typeof value !== 'object') return false;
  const store = value as Record<string, unknown>;
  return STORE_METHODS.every((method) => typeof store[method] === 'function') && (store.skewSeconds === undefined || isSkewSeconds(store.skewSeconds));
}

/**
 * Default of `maxAssociationsPerServer`: far more than a relying party ever
 * holds per OP (one or two), and a bound on what unauthenticated `associate`
 * requests can make a provider keep (about 2 MB per 10,000 in memory).
 */
export const DEFAULT_MAX_ASSOCIATIONS_PER_SERVER = 10_000;

/** The clock, nonce window and size options every store takes. */
export interface StoreTimeOptions {
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
  /**
   * How far nonce timestamps may lie from now, in seconds: the one nonce
   * window of a relying party, which its consumer reads from the store.
   * @default DEFAULT_NONCE_SKEW_SECONDS (30 min)
   */
  skewSeconds?: number;
  /**
   * At most this many associations are kept per server URL; storing one more
   * evicts the oldest first (the first stored; SQL and Redis stores go by
   * `issued`, which is when providers and relying parties store them). A provider keeps all its
   * associations under one server URL, and anyone can ask it for one
   * (`associate` needs no authentication), so without a bound the store
   * grows with every request. An evicted association is an unknown handle:
   * the relying party is told to drop it (`invalidate_handle`) and the
   * assertion is checked with `check_authentication`, so logins still work.
   * Providers that need no stored associations at all use sealed handles.
   * @default DEFAULT_MAX_ASSOCIATIONS_PER_SERVER (10,000)
   */
  maxAssociationsPerServer?: number;
}

/** Shared bookkeeping of store implementations: the clock, the skew window and the association cap. */
export class StoreClock {
  readonly #now: () => number;
  readonly skewSeconds: number;
  readonly maxAssociationsPerServer: number;

  /** @throws OpenIDConfigError for a `now` that is not a function, a negative or non-finite `skewSeconds`, or a cap that is not a positive integer */
  constructor(options: StoreTimeOptions = {}) {
    const { now = Date.now, skewSeconds = DEFAULT_NONCE_SKEW_SECONDS, maxAssociationsPerServer = DEFAULT_MAX_ASSOCIATIONS_PER_SERVER } = options;
    if (typeof now !== 'function') throw new OpenIDConfigError('must be a function returning milliseconds', 'now');
    if (!isSkewSeconds(skewSeconds)) throw new OpenIDConfigError('must be a finite number of seconds, 0 or more', 'skewSeconds');
    if (!Number.isSafeInteger(maxAssociationsPerServer) || maxAssociationsPerServer < 1) {
      throw new OpenIDConfigError('must be a whole number, 1 or more', 'maxAssociationsPerServer');
    }
    this.#now = now;
    this.skewSeconds = skewSeconds;
    this.maxAssociationsPerServer = maxAssociationsPerServer;
  }

  /** Now, in whole seconds since the epoch. */
  seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Whether a nonce timestamp lies inside the skew window. */
  nonceInWindow(timestamp: number): boolean {
    return nonceInWindow(timestamp, this.#now(), this.skewSeconds);
  }

  /** Nonces older than this (seconds) may be forgotten. */
  nonceHorizon(): number {
    return this.seconds() - this.skewSeconds;
  }
}

/**
 * How many associations a store that evicts in batches keeps once it is over
 * the cap: 90% of it (at least 1), so the work of finding the oldest is done
 * once per tenth of the cap rather than on every store.
 */
export function evictionTarget(cap: number): number {
  return Math.max(1, Math.floor(cap * 0.9));
}

/** A fixed-length key for a server URL (URLs can be longer than database index limits). */
export function serverKey(opEndpoint: string): string {
  return createHash('sha256').update(opEndpoint, 'utf8').digest('hex');
}

/**
 * Checks the arguments of `useNonce`, so bad input fails the same way in
 * every store (and never reaches a database): the timestamp must be whole
 * seconds, the salt what §10.1 allows after the timestamp.
 * @throws NonceError for arguments of the wrong type, a timestamp that is not an integer, or a salt §10.1 does not allow
 */
export function checkNonceArgs(opEndpoint: string, timestamp: number, salt: string): void {
  if (typeof opEndpoint !== 'string' || typeof salt !== 'string' || !Number.isSafeInteger(timestamp)) {
    throw new NonceError('useNonce(opEndpoint: string, timestamp: integer seconds, salt: string): arguments of another type, or a timestamp that is not whole seconds');
  }
  if (salt.length > MAX_NONCE_LENGTH || !isNonceSalt(salt)) throw new NonceError('A nonce salt is at most 255 printable ASCII characters');
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
