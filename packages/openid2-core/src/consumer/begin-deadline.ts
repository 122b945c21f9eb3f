/**
 * Bounds on starting a login. The identifier, and so the XRDS document and
 * its endpoints, come from whoever types into the login form: one start
 * must not make the relying party send a request to each of a thousand
 * endpoints, nor wait on endpoints that never answer for hours.
 */
import { AssociationError, DiscoveryError, OpenIDConfigError } from '../errors.js';
import type { Fetcher } from '../fetch/fetcher.js';

/** How long discovery and association together may take, by default. */
export const DEFAULT_BEGIN_TIMEOUT_MS = 15_000;
/** The most OP endpoints (distinct URLs) one start tries to associate with (§7.3 lists several; an attacker's XRDS thousands). */
export const MAX_ENDPOINTS_TRIED = 3;
/** The most associate requests one start sends, retries on an OP's suggested type included. */
export const MAX_ASSOCIATE_REQUESTS = 3;
/** The longest delay timers take (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The `beginTimeoutMs` option, checked.
 * @throws OpenIDConfigError
 */
export function resolveBeginTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_BEGIN_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > MAX_TIMER_MS) {
    throw new OpenIDConfigError(`must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`, 'beginTimeoutMs');
  }
  return value;
}

/**
 * Runs `work` under one deadline. The fetcher it gets passes an abort
 * signal with every request, aborted at the deadline (an application's
 * fetcher that ignores it is simply not waited for); at the deadline the
 * start fails with a DiscoveryError of reason `begin_timeout`.
 * @throws DiscoveryError at the deadline; otherwise whatever `work` throws
 */
export async function withBeginDeadline<T>(fetcher: Fetcher, timeoutMs: number, identifier: string, work: (fetcher: Fetcher) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const error = new DiscoveryError(
        `Starting the login took longer than ${timeoutMs} ms (discovery and association with the OP); the identifier's servers did not answer in time`,
        identifier,
        { reason: 'begin_timeout' },
      );
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const bounded: Fetcher = { fetch: (url, init = {}) => fetcher.fetch(url, { ...init, signal: controller.signal }) };
  try {
    return await Promise.race([work(bounded), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A fetcher that sends at most `max` requests; past that it refuses with an
 * AssociationError (which the negotiator reads as "no association", not as
 * an unreachable endpoint).
 */
export function requestBudget(fetcher: Fetcher, max: number): { fetcher: Fetcher; spent: () => boolean } {
  let sent = 0;
  return {
    fetcher: {
      fetch: (url, init) => {
        if (sent >= max) return Promise.reject(new AssociationError(`One login start sends at most ${max} associate requests`));
        sent += 1;
        return fetcher.fetch(url, init);
      },
    },
    spent: () => sent >= max,
  };
}
