/** What a store implementation hands the conformance suite. */
import type { OpenIDStore } from 'openid2-core';
import type { SharedStoreSpec } from './store-peer.js';

/** What the suite passes to `create`: a clock it moves by hand, the nonce skew and a small association cap. */
export interface StoreFactoryOptions {
  now: () => number;
  skewSeconds: number;
  maxAssociationsPerServer: number;
}

/** A store cut off from its server by the test. */
export interface SeverableStore {
  store: OpenIDStore;
  /** Takes the server away (kills the proxy between the store and it). */
  cut(): Promise<void>;
  /** Removes what the store made on the real server (through a fresh connection). */
  destroy(): Promise<void>;
}

/** One store implementation under test. */
export interface StoreTarget {
  /** A fresh store, isolated from other tests (its own tables, keys or directory), not used yet. */
  create(options: StoreFactoryOptions): Promise<OpenIDStore>;
  /** Removes what `create` made (drop tables, delete keys, remove the directory). */
  destroy?(store: OpenIDStore): Promise<void>;
  /** Whether the backend forgets old nonces by itself (Redis), so cleanup reports none. */
  expiresNoncesItself?: boolean;
  /**
   * How another instance (in this process or a second Node process) opens
   * the same store as `store`. Absent for in-process stores: the sharing tests
   * do not apply to them, and the suite says so.
   */
  shared?(store: OpenIDStore): SharedStoreSpec;
  /** A store whose server is unreachable (a port where nothing listens). */
  unreachable?(): OpenIDStore;
  /** A store connected through a TCP proxy the test can kill mid-run. */
  severable?(): Promise<SeverableStore>;
}
