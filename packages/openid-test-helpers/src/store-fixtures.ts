/**
 * What the store conformance suite's parts share: the test servers, the
 * clock harness, test associations and the fault assertion.
 */
import { Association, StoreError, type OpenIDStore } from 'openid2-core';
import type { StoreTarget } from './store-target.js';

/** The clock and store of the test running now. */
export interface ConformanceHarness {
  readonly target: StoreTarget;
  readonly name: string;
  store(): OpenIDStore;
  nowMs(): number;
  setNow(ms: number): void;
  seconds(): number;
}

export const SERVER = 'https://op.example/openid';
export const OTHER = 'https://other.example/op';
export const T0 = 1_800_000_000_000;
export const SKEW = 3600;
/** The association cap every store under test gets (`maxAssociationsPerServer`). */
export const CAP = 5;

/** A test association; the secret is derived from the handle. */
export function testAssociation(handle: string, issued: number, lifetime: number, type: 'HMAC-SHA1' | 'HMAC-SHA256' = 'HMAC-SHA256'): Association {
  return new Association({ handle, secret: Buffer.alloc(type === 'HMAC-SHA1' ? 20 : 32, handle.length), issued, lifetime, assocType: type });
}

/**
 * How long a store may take to report a fault. The stores under fault are
 * configured with 1 s connection and command timeouts; this bound is ten
 * times that, so it catches a hang (a queue waiting forever for a server),
 * never a slow machine.
 */
export const FAULT_BOUND_MS = 10_000;

/** What an operation came to within {@link FAULT_BOUND_MS}: its value, its error, or a note that it hung. */
export async function settleWithinBound(operation: Promise<unknown>): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`neither an answer nor an error within ${FAULT_BOUND_MS} ms`), FAULT_BOUND_MS);
  });
  try {
    return await Promise.race([
      operation.then(
        (value: unknown) => ({ resolvedWith: value }),
        (reason: unknown) => reason,
      ),
      bound,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Expects the operation to fail with a StoreError carrying its cause (the
 * fault, never hidden as "not found" or "fresh") within {@link FAULT_BOUND_MS}.
 */
export async function expectStoreError(operation: Promise<unknown>): Promise<void> {
  const outcome = await settleWithinBound(operation);
  expect(outcome).toBeInstanceOf(StoreError);
  expect((outcome as StoreError).cause).toBeDefined();
}
