/**
 * One association request in flight per OP endpoint: logins that start at
 * once with no stored association wait for the one request already under
 * way instead of each negotiating its own (8 concurrent logins were 8
 * associations on each side, each with its own Diffie-Hellman exchange).
 *
 * Every `Consumer` has its own (one consumer serves the application's
 * logins); consumers that share endpoints may share one through their
 * `associationFlights` option.
 * @see OpenID 2.0 §8
 */
import type { Association } from '../association.js';

/** Shares the association request of each endpoint between concurrent logins. */
export class AssociationFlights {
  readonly #inFlight = new Map<string, Promise<Association | undefined>>();

  /**
   * The result of the request in flight for `key`, or of `work` started now.
   * Every waiter gets the same association, or the same error.
   */
  run(key: string, work: () => Promise<Association | undefined>): Promise<Association | undefined> {
    const running = this.#inFlight.get(key);
    if (running !== undefined) return running;
    const started = work().finally(() => this.#inFlight.delete(key));
    this.#inFlight.set(key, started);
    return started;
  }

  /** How many endpoints have a request in flight now. */
  get size(): number {
    return this.#inFlight.size;
  }
}
