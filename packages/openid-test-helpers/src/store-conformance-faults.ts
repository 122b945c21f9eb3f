/**
 * Conformance tests of faults: a server that cannot be reached, and one that
 * goes away mid-run (a TCP proxy the test kills). Every operation must then
 * fail with a StoreError within a bounded time; a fault must never look like
 * a fresh nonce or a missing association.
 */
import type { OpenIDStore } from 'openid2-core';
import { expectStoreError, FAULT_BOUND_MS, SERVER, settleWithinBound, testAssociation, type ConformanceHarness } from './store-fixtures.js';

/** Every operation of the store, each expected to fail with a StoreError. */
async function expectEveryOperationToFail(store: OpenIDStore, timestamp: number, usedSalt: string): Promise<void> {
  await Promise.all([
    expectStoreError(store.useNonce(SERVER, timestamp, 'fresh-during-fault')),
    expectStoreError(store.useNonce(SERVER, timestamp, usedSalt)),
    expectStoreError(store.getAssociation(SERVER)),
    expectStoreError(store.getAssociation(SERVER, 'h')),
    expectStoreError(store.storeAssociation(SERVER, testAssociation('h2', timestamp, 60))),
    expectStoreError(store.removeAssociation(SERVER, 'h')),
    expectStoreError(store.cleanup()),
  ]);
}

/** Room for three bounded rounds of operations (in flight, then twice every operation), so the test's own cleanup always runs. */
const TEST_TIMEOUT_MS = 6 * FAULT_BOUND_MS;

export function describeFaults(h: ConformanceHarness): void {
  const { unreachable, severable } = h.target;
  if (unreachable === undefined && severable === undefined) {
    describe(`${h.name}: faults do not apply (nothing outside the process can fail)`, () => {
      test('the store answers without any server', async () => {
        expect(await h.store().useNonce(SERVER, h.seconds(), 'local')).toBe(true);
      });
    });
    return;
  }

  if (unreachable !== undefined) {
    describe(`${h.name}: the server is unreachable`, () => {
      test(
        'every operation fails with a StoreError, within a bound; again on a second try',
        async () => {
          const broken = unreachable();
          try {
            const timestamp = Math.floor(Date.now() / 1000);
            await expectEveryOperationToFail(broken, timestamp, 'x');
            await expectEveryOperationToFail(broken, timestamp, 'x');
          } finally {
            await broken.close();
          }
        },
        TEST_TIMEOUT_MS,
      );
    });
  }

  if (severable !== undefined) {
    describe(`${h.name}: the server goes away mid-run`, () => {
      test(
        'operations then fail with a StoreError within a bound; a used nonce is never reported fresh',
        async () => {
          const { store: linked, cut, destroy } = await severable();
          try {
            const timestamp = Math.floor(Date.now() / 1000);
            expect(await linked.useNonce(SERVER, timestamp, 'before')).toBe(true);
            await linked.storeAssociation(SERVER, testAssociation('h', timestamp, 3600));
            expect((await linked.getAssociation(SERVER, 'h'))?.handle).toBe('h');
            // Replays in flight while the link is cut: none may come back true.
            const inFlight = Array.from({ length: 20 }, () => settleWithinBound(linked.useNonce(SERVER, timestamp, 'before')));
            await cut();
            const outcomes = await Promise.all(inFlight);
            expect(outcomes.filter((outcome) => typeof outcome === 'string')).toEqual([]);
            expect(outcomes.filter((outcome) => (outcome as { resolvedWith?: unknown }).resolvedWith === true)).toEqual([]);
            await expectEveryOperationToFail(linked, timestamp, 'before');
            await expectEveryOperationToFail(linked, timestamp, 'before');
          } finally {
            await linked.close().catch(() => undefined);
            await destroy();
          }
        },
        TEST_TIMEOUT_MS,
      );
    });
  }
}
