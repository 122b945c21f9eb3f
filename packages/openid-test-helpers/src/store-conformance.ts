/**
 * The store conformance suite: every store implementation (memory, file,
 * SQLite, PostgreSQL, MySQL/MariaDB, Redis) runs these same tests, the shared
 * stores against real servers.
 *
 * ```ts
 * runStoreConformance('PostgresStore', { create, destroy, shared, unreachable, severable });
 * ```
 */
import { NonceError, type OpenIDStore } from 'openid2-core';
import { describeFaults } from './store-conformance-faults.js';
import { describeSharing } from './store-conformance-sharing.js';
import { CAP, OTHER, SERVER, SKEW, T0, testAssociation, type ConformanceHarness } from './store-fixtures.js';
import type { StoreTarget } from './store-target.js';

export type { SeverableStore, StoreFactoryOptions, StoreTarget } from './store-target.js';

/** Registers the conformance tests of one store. */
export function runStoreConformance(name: string, target: StoreTarget): void {
  let now = T0;
  let store: OpenIDStore | undefined;
  const harness: ConformanceHarness = {
    target,
    name,
    store: () => store as OpenIDStore,
    nowMs: () => now,
    setNow: (ms) => {
      now = ms;
    },
    seconds: () => Math.floor(now / 1000),
  };

  beforeEach(async () => {
    now = T0;
    store = await target.create({ now: () => now, skewSeconds: SKEW, maxAssociationsPerServer: CAP });
  });
  afterEach(async () => {
    if (store === undefined) return;
    await target.destroy?.(store);
    await store.close();
  });

  describeAssociations(harness);
  describeNonces(harness);
  describeCleanup(harness);
  describeSharing(harness);
  describeFaults(harness);
}

function describeAssociations(h: ConformanceHarness): void {
  describe(`${h.name}: associations`, () => {
    test('store, then get by handle', async () => {
      const stored = testAssociation('{HMAC-SHA256}{a}', h.seconds(), 600);
      await h.store().storeAssociation(SERVER, stored);
      const found = await h.store().getAssociation(SERVER, stored.handle);
      expect(found?.handle).toBe(stored.handle);
      expect(found?.secret.equals(stored.secret)).toBe(true);
      expect(found?.assocType).toBe('HMAC-SHA256');
      expect(found?.issued).toBe(stored.issued);
      expect(found?.lifetime).toBe(600);
      expect(await h.store().getAssociation(SERVER, 'unknown')).toBeUndefined();
    });

    test('without a handle: the newest unexpired one', async () => {
      await h.store().storeAssociation(SERVER, testAssociation('old', h.seconds() - 100, 10_000));
      await h.store().storeAssociation(SERVER, testAssociation('newest-but-expired', h.seconds() - 10, 5));
      await h.store().storeAssociation(SERVER, testAssociation('new', h.seconds() - 50, 10_000, 'HMAC-SHA1'));
      expect((await h.store().getAssociation(SERVER))?.handle).toBe('new');
      expect(await h.store().getAssociation('https://nobody.example/')).toBeUndefined();
    });

    test('expired associations are never returned, cleanup or not', async () => {
      await h.store().storeAssociation(SERVER, testAssociation('short', h.seconds(), 100));
      expect((await h.store().getAssociation(SERVER, 'short'))?.handle).toBe('short');
      h.setNow(h.nowMs() + 101_000);
      expect(await h.store().getAssociation(SERVER, 'short')).toBeUndefined();
      expect(await h.store().getAssociation(SERVER)).toBeUndefined();
    });

    test('storing the same handle again replaces it', async () => {
      await h.store().storeAssociation(SERVER, testAssociation('same', h.seconds(), 100));
      await h.store().storeAssociation(SERVER, testAssociation('same', h.seconds(), 900));
      expect((await h.store().getAssociation(SERVER, 'same'))?.lifetime).toBe(900);
      // Handles are case-sensitive (a case-insensitive collation would merge these).
      await h.store().storeAssociation(SERVER, testAssociation('SAME', h.seconds(), 300));
      expect((await h.store().getAssociation(SERVER, 'same'))?.lifetime).toBe(900);
      expect((await h.store().getAssociation(SERVER, 'SAME'))?.lifetime).toBe(300);
      expect(await h.store().getAssociation(SERVER, 'Same')).toBeUndefined();
    });

    test('removal reports whether something was removed', async () => {
      await h.store().storeAssociation(SERVER, testAssociation('gone', h.seconds(), 600));
      expect(await h.store().removeAssociation(SERVER, 'gone')).toBe(true);
      expect(await h.store().removeAssociation(SERVER, 'gone')).toBe(false);
      expect(await h.store().getAssociation(SERVER, 'gone')).toBeUndefined();
    });

    test('several servers are kept apart, whatever their URLs hold', async () => {
      const odd = `https://odd.example/${'x'.repeat(600)}?a=../../etc&b=%00'"\\`;
      await h.store().storeAssociation(SERVER, testAssociation('h', h.seconds(), 600));
      await h.store().storeAssociation(odd, testAssociation('{odd/../handle}', h.seconds(), 600, 'HMAC-SHA1'));
      expect(await h.store().getAssociation(OTHER, 'h')).toBeUndefined();
      expect((await h.store().getAssociation(odd))?.handle).toBe('{odd/../handle}');
      expect(await h.store().removeAssociation(OTHER, 'h')).toBe(false);
      expect((await h.store().getAssociation(SERVER, 'h'))?.handle).toBe('h');
      expect((await h.store().getAssociation(SERVER))?.handle).toBe('h');
    });

    test('17.10: at most maxAssociationsPerServer per server, the oldest evicted first', async () => {
      const count = CAP + 3;
      const handles = Array.from({ length: count }, (_, i) => `flood-${i}`);
      for (const [i, handle] of handles.entries()) {
        await h.store().storeAssociation(SERVER, testAssociation(handle, h.seconds() - count + i, 10_000));
      }
      await h.store().storeAssociation(OTHER, testAssociation('other-server', h.seconds() - 1000, 10_000));
      const kept = [];
      for (const handle of handles) if ((await h.store().getAssociation(SERVER, handle)) !== undefined) kept.push(handle);
      expect(kept.length).toBeLessThanOrEqual(CAP);
      // The newest are kept (a store may evict a little below the cap at once, never a newer one before an older one).
      expect(kept.length).toBeGreaterThanOrEqual(CAP - 1);
      expect(kept).toEqual(handles.slice(count - kept.length));
      expect((await h.store().getAssociation(SERVER))?.handle).toBe(handles[count - 1]);
      // The cap is per server: another server's older association stays.
      expect((await h.store().getAssociation(OTHER, 'other-server'))?.handle).toBe('other-server');
    });

    // Handles come from the network (openid.assoc_handle); one no association
    // can have (§8.2.1: 1-255 characters in 33-126) is "not found", never a fault.
    test.each([
      ['empty', ''],
      ['a space', 'a b'],
      ['256 characters', 'h'.repeat(256)],
      ['a NUL byte', 'nul\u0000byte'],
      ['non-ASCII', 'h\u00e9'],
    ])('a handle no association can have (%s) is simply not found', async (_, handle) => {
      await h.store().storeAssociation(SERVER, testAssociation('h', h.seconds(), 600));
      expect(await h.store().getAssociation(SERVER, handle)).toBeUndefined();
      expect(await h.store().removeAssociation(SERVER, handle)).toBe(false);
    });
  });
}

function describeNonces(h: ConformanceHarness): void {
  describe(`${h.name}: nonces`, () => {
    test('first use true, second use false; each part of the triple counts', async () => {
      expect(await h.store().useNonce(SERVER, h.seconds(), 'abc')).toBe(true);
      expect(await h.store().useNonce(SERVER, h.seconds(), 'abc')).toBe(false);
      expect(await h.store().useNonce(SERVER, h.seconds(), 'ABC')).toBe(true);
      expect(await h.store().useNonce(OTHER, h.seconds(), 'abc')).toBe(true);
      expect(await h.store().useNonce(SERVER, h.seconds() - 1, 'abc')).toBe(true);
      expect(await h.store().useNonce(SERVER, h.seconds(), '')).toBe(true);
      expect(await h.store().useNonce(SERVER, h.seconds(), '')).toBe(false);
    });

    test('it tells its nonce window (skewSeconds), the one a consumer with it applies', () => {
      expect(h.store().skewSeconds).toBe(SKEW);
    });

    test('outside the skew: false, in the past and in the future, and not recorded', async () => {
      const future = h.seconds() + SKEW + 1;
      expect(await h.store().useNonce(SERVER, h.seconds() - SKEW - 1, 'old')).toBe(false);
      expect(await h.store().useNonce(SERVER, future, 'future')).toBe(false);
      expect(await h.store().useNonce(SERVER, h.seconds() - SKEW + 1, 'edge')).toBe(true);
      expect(await h.store().useNonce(SERVER, h.seconds() + SKEW - 1, 'edge')).toBe(true);
      // Later, the same nonce lies inside the window: it was never recorded.
      h.setNow(h.nowMs() + 2 * SKEW * 1000);
      expect(await h.store().useNonce(SERVER, future, 'future')).toBe(true);
      expect(await h.store().useNonce(SERVER, future, 'future')).toBe(false);
    });

    test('200 concurrent uses of one nonce: exactly one true', async () => {
      const results = await Promise.all(Array.from({ length: 200 }, () => h.store().useNonce(SERVER, h.seconds(), 'race')));
      expect(results.filter((result) => result === true)).toHaveLength(1);
      expect(results.filter((result) => result === false)).toHaveLength(199);
    });

    test('bad arguments are refused, not stored', async () => {
      await expect(h.store().useNonce(SERVER, h.seconds(), 'with space')).rejects.toBeInstanceOf(NonceError);
      await expect(h.store().useNonce(SERVER, h.seconds(), 's'.repeat(256))).rejects.toBeInstanceOf(NonceError);
      // 18.6: a coded NonceError (ERR_NONCE), not a bare TypeError.
      await expect(h.store().useNonce(SERVER, h.seconds() + 0.5, 'frac')).rejects.toMatchObject({ name: 'NonceError', code: 'ERR_NONCE' });
      await expect(h.store().useNonce(SERVER, Number.NaN, 'nan')).rejects.toBeInstanceOf(NonceError);
      expect(await h.store().useNonce(SERVER, h.seconds(), 's'.repeat(255))).toBe(true);
    });
  });
}

function describeCleanup(h: ConformanceHarness): void {
  describe(`${h.name}: cleanup`, () => {
    test('removes only what has expired', async () => {
      await h.store().storeAssociation(SERVER, testAssociation('expiring', h.seconds(), 100));
      await h.store().storeAssociation(SERVER, testAssociation('lasting', h.seconds(), 100_000));
      expect(await h.store().useNonce(SERVER, h.seconds(), 'early')).toBe(true);
      h.setNow(h.nowMs() + (SKEW + 200) * 1000);
      expect(await h.store().useNonce(SERVER, h.seconds(), 'late')).toBe(true);
      const removed = await h.store().cleanup();
      expect(removed.associations).toBe(1);
      expect(removed.nonces).toBe(h.target.expiresNoncesItself === true ? 0 : 1);
      expect((await h.store().getAssociation(SERVER, 'lasting'))?.handle).toBe('lasting');
      expect((await h.store().getAssociation(SERVER))?.handle).toBe('lasting');
      expect(await h.store().useNonce(SERVER, h.seconds(), 'late')).toBe(false);
      expect(await h.store().cleanup()).toEqual({ associations: 0, nonces: 0 });
    });
  });
}
