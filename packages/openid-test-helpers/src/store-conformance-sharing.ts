/**
 * Conformance tests of stores shared by several instances: other connections
 * in this process, and a second Node process (see store-peer.ts for how the
 * child runs our store classes from source).
 */
import type { OpenIDStore } from 'openid2-core';
import { CAP, SERVER, OTHER, SKEW, testAssociation, type ConformanceHarness } from './store-fixtures.js';
import { startStorePeer, type SharedStoreSpec, type StorePeer } from './store-peer.js';

/** Opens the store a spec describes, in this process (its own connections). */
async function openShared(spec: SharedStoreSpec): Promise<OpenIDStore> {
  const module = (await import(spec.module)) as Record<string, unknown>;
  const Store = module[spec.exportName] as new (options: Record<string, unknown>) => OpenIDStore;
  return new Store(spec.options);
}

async function closeAll(stores: ReadonlyArray<OpenIDStore | StorePeer>): Promise<void> {
  await Promise.all(stores.map((store) => store.close()));
}

export function describeSharing(h: ConformanceHarness): void {
  const shared = h.target.shared;
  if (shared === undefined) {
    describe(`${h.name}: sharing between processes does not apply (in-process store)`, () => {
      test('a second instance shares nothing with the first, so the two-process tests are left out', async () => {
        const second = await h.target.create({ now: () => h.nowMs(), skewSeconds: SKEW, maxAssociationsPerServer: CAP });
        try {
          expect(await h.store().useNonce(SERVER, h.seconds(), 'mine')).toBe(true);
          expect(await second.useNonce(SERVER, h.seconds(), 'mine')).toBe(true);
        } finally {
          await second.close();
        }
      });
    });
    return;
  }

  describe(`${h.name}: several instances sharing the store`, () => {
    // Real time from here on: the other instances run on the real clock.
    beforeEach(() => h.setNow(Date.now()));

    test('first use from several connections at once: storage is created once, one nonce use wins', async () => {
      const siblings = await Promise.all([1, 2, 3].map(() => openShared(shared(h.store()))));
      try {
        const everyone = [h.store(), ...siblings];
        const results = await Promise.all(everyone.flatMap((store) => [1, 2, 3, 4, 5].map(() => store.useNonce(SERVER, h.seconds(), 'first-use'))));
        expect(results.filter((result) => result === true)).toHaveLength(1);
        expect(results.filter((result) => result === false)).toHaveLength(19);
        await (siblings[0] as OpenIDStore).storeAssociation(SERVER, testAssociation('sibling', h.seconds(), 600));
        expect((await h.store().getAssociation(SERVER))?.handle).toBe('sibling');
      } finally {
        await closeAll(siblings);
      }
    });

    test('two processes: an association written by one is read by the other, a nonce used in one is refused in the other', async () => {
      const peer = await startStorePeer(shared(h.store()));
      try {
        const mine = testAssociation('{parent}', h.seconds(), 3600);
        await h.store().storeAssociation(SERVER, mine);
        expect(await peer.call('getAssociation', [SERVER, '{parent}'])).toEqual({ handle: '{parent}', secret: mine.secret.toString('base64'), issued: mine.issued });
        expect(await peer.call('getAssociation', [SERVER])).toEqual({ handle: '{parent}', secret: mine.secret.toString('base64'), issued: mine.issued });
        await peer.call('storeAssociation', [OTHER, testAssociation('{child}', h.seconds(), 3600).serialize()]);
        expect((await h.store().getAssociation(OTHER, '{child}'))?.handle).toBe('{child}');
        expect(await peer.call('removeAssociation', [SERVER, '{parent}'])).toBe(true);
        expect(await h.store().getAssociation(SERVER, '{parent}')).toBeUndefined();

        expect(await peer.call('useNonce', [SERVER, h.seconds(), 'child-first'])).toBe(true);
        expect(await h.store().useNonce(SERVER, h.seconds(), 'child-first')).toBe(false);
        expect(await h.store().useNonce(SERVER, h.seconds(), 'parent-first')).toBe(true);
        expect(await peer.call('useNonce', [SERVER, h.seconds(), 'parent-first'])).toBe(false);
      } finally {
        await peer.close();
      }
    });

    test('three processes racing for one nonce: exactly one use wins', async () => {
      const peers = await Promise.all([startStorePeer(shared(h.store())), startStorePeer(shared(h.store()))]);
      try {
        // Warm up: every process has its connection open before the race.
        await Promise.all([h.store().getAssociation(SERVER), ...peers.map((peer) => peer.call('getAssociation', [SERVER]))]);
        const timestamp = h.seconds();
        const [first, second, mine] = await Promise.all([
          peers[0]?.call('useNonce', [SERVER, timestamp, 'contested'], 50) as Promise<boolean[]>,
          peers[1]?.call('useNonce', [SERVER, timestamp, 'contested'], 50) as Promise<boolean[]>,
          Promise.all(Array.from({ length: 50 }, () => h.store().useNonce(SERVER, timestamp, 'contested'))),
        ]);
        const all = [...first, ...second, ...mine];
        expect(all).toHaveLength(150);
        expect(all.filter((result) => result === true)).toHaveLength(1);
      } finally {
        await closeAll(peers);
      }
    });
  });
}
