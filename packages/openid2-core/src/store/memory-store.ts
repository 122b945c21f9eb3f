/**
 * An in-process store. Fine for one process and for tests; behind a load
 * balancer, use a shared store (openid-store-sql, openid-store-redis), or
 * nonces used on one machine would be accepted again on another. Everything
 * is lost when the process exits, and nothing is removed until `cleanup()`
 * runs: call it from a timer.
 */
import { isValidHandle, type Association } from '../association.js';
import { checkNonceArgs, evictionTarget, StoreClock, type OpenIDStore, type StoreTimeOptions } from './store.js';

/** An {@link OpenIDStore} in this process's memory; no dependencies, no faults. */
export class MemoryStore implements OpenIDStore {
  readonly #clock: StoreClock;
  /** opEndpoint → handle → association */
  readonly #associations = new Map<string, Map<string, Association>>();
  /** nonce key → timestamp */
  readonly #nonces = new Map<string, number>();

  /** @throws OpenIDConfigError for bad clock or skew options */
  constructor(options: StoreTimeOptions = {}) {
    this.#clock = new StoreClock(options);
  }

  /** The nonce window `useNonce` applies, in seconds (the `skewSeconds` option): a consumer with this store uses the same. */
  get skewSeconds(): number {
    return this.#clock.skewSeconds;
  }

  async storeAssociation(opEndpoint: string, association: Association): Promise<void> {
    let byHandle = this.#associations.get(opEndpoint);
    if (byHandle === undefined) {
      byHandle = new Map();
      this.#associations.set(opEndpoint, byHandle);
    }
    // Replacing a handle moves it to the end: the Map's order is the order of storing.
    byHandle.delete(association.handle);
    byHandle.set(association.handle, association);
    this.#evict(byHandle);
  }

  /**
   * Beyond the cap (`maxAssociationsPerServer`), drops the associations of a
   * server stored first, down to 90% of the cap at once: a Map keeps deleted
   * entries at its front until it is rehashed, so evicting one at a time
   * would walk them on every store.
   */
  #evict(byHandle: Map<string, Association>): void {
    if (byHandle.size <= this.#clock.maxAssociationsPerServer) return;
    const keep = evictionTarget(this.#clock.maxAssociationsPerServer);
    for (const handle of byHandle.keys()) {
      if (byHandle.size <= keep) return;
      byHandle.delete(handle);
    }
  }

  async getAssociation(opEndpoint: string, handle?: string): Promise<Association | undefined> {
    const byHandle = this.#associations.get(opEndpoint);
    if (byHandle === undefined) return undefined;
    const now = this.#clock.seconds();
    if (handle !== undefined) {
      if (!isValidHandle(handle)) return undefined;
      const found = byHandle.get(handle);
      return found === undefined || found.isExpired(now) ? undefined : found;
    }
    let newest: Association | undefined;
    for (const association of byHandle.values()) {
      if (association.isExpired(now)) continue;
      if (newest === undefined || association.issued > newest.issued) newest = association;
    }
    return newest;
  }

  async removeAssociation(opEndpoint: string, handle: string): Promise<boolean> {
    return this.#associations.get(opEndpoint)?.delete(handle) ?? false;
  }

  async useNonce(opEndpoint: string, timestamp: number, salt: string): Promise<boolean> {
    checkNonceArgs(opEndpoint, timestamp, salt);
    if (!this.#clock.nonceInWindow(timestamp)) return false;
    // Unambiguous: the timestamp is an integer and the salt printable ASCII without spaces (checked above).
    const key = `${timestamp} ${salt} ${opEndpoint}`;
    if (this.#nonces.has(key)) return false;
    this.#nonces.set(key, timestamp);
    return true;
  }

  async cleanup(): Promise<{ associations: number; nonces: number }> {
    const now = this.#clock.seconds();
    let associations = 0;
    for (const [opEndpoint, byHandle] of this.#associations) {
      for (const [handle, association] of byHandle) {
        if (association.isExpired(now)) {
          byHandle.delete(handle);
          associations += 1;
        }
      }
      if (byHandle.size === 0) this.#associations.delete(opEndpoint);
    }
    const horizon = this.#clock.nonceHorizon();
    let nonces = 0;
    for (const [key, timestamp] of this.#nonces) {
      if (timestamp < horizon) {
        this.#nonces.delete(key);
        nonces += 1;
      }
    }
    return { associations, nonces };
  }

  async close(): Promise<void> {
    this.#associations.clear();
    this.#nonces.clear();
  }
}
