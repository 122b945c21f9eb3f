/**
 * The store conformance suite: every store implementation runs these same
 * tests, against real servers for the shared stores.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Association, StoreError, type OpenIDStore } from 'openid-core';

export interface StoreFactoryOptions {
  now: () => number;
  skewSeconds: number;
}

export interface StoreTarget {
  name: string;
  /** A fresh store, isolated from other tests (its own tables, keys or directory). */
  create(options: StoreFactoryOptions): Promise<OpenIDStore>;
  /** Removes what `create` made (drop tables, delete keys). */
  destroy?(store: OpenIDStore): Promise<void>;
  /** Whether the backend forgets old nonces by itself (Redis), so cleanup reports none. */
  expiresNoncesItself?: boolean;
  /**
   * How a second Node process builds the same store: the module and export
   * to import (built packages) and constructor options (JSON). Absent for
   * in-process stores, to which the two-process tests do not apply.
   */
  crossProcess?: (store: OpenIDStore) => { module: string; exportName: string; options: Record<string, unknown> };
  /** A store whose server is unreachable. */
  unreachable?(): OpenIDStore;
  /** A store connected through a link the test can cut. */
  severable?(): Promise<{ store: OpenIDStore; cut(): Promise<void> }>;
}

const SERVER = 'https://op.example/openid';
const OTHER = 'https://other.example/op';
const T0 = 1_800_000_000_000;
const SKEW = 3600;

function association(handle: string, issued: number, lifetime: number, type: 'HMAC-SHA1' | 'HMAC-SHA256' = 'HMAC-SHA256'): Association {
  return new Association({ handle, secret: Buffer.alloc(type === 'HMAC-SHA1' ? 20 : 32, handle.length), issued, lifetime, assocType: type });
}

const CHILD = fileURLToPath(new URL('./store-child.mjs', import.meta.url));

function runChild(request: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CHILD, JSON.stringify(request)], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`child store process failed (run "npm run build" first?): ${stderr || error.message}`));
      const parsed = JSON.parse(stdout) as { result?: unknown; error?: string };
      if (parsed.error !== undefined) return reject(new Error(parsed.error));
      resolve(parsed.result);
    });
  });
}

async function expectStoreError(promise: Promise<unknown>): Promise<void> {
  await expect(promise).rejects.toBeInstanceOf(StoreError);
}

/** Registers the conformance tests of one store. */
export function runStoreConformance(target: StoreTarget): void {
  let now = T0;
  let store: OpenIDStore;
  const seconds = (): number => Math.floor(now / 1000);

  beforeEach(async () => {
    now = T0;
    store = await target.create({ now: () => now, skewSeconds: SKEW });
  });
  afterEach(async () => {
    await target.destroy?.(store);
    await store.close();
  });

  describe(`${target.name}: associations`, () => {
    test('store, then get by handle', async () => {
      const stored = association('{HMAC-SHA256}{a}', seconds(), 600);
      await store.storeAssociation(SERVER, stored);
      const found = await store.getAssociation(SERVER, stored.handle);
      expect(found?.handle).toBe(stored.handle);
      expect(found?.secret.equals(stored.secret)).toBe(true);
      expect(found?.assocType).toBe('HMAC-SHA256');
      expect(found?.issued).toBe(stored.issued);
      expect(found?.lifetime).toBe(600);
      expect(await store.getAssociation(SERVER, 'unknown')).toBeUndefined();
    });

    test('without a handle: the newest unexpired one', async () => {
      await store.storeAssociation(SERVER, association('old', seconds() - 100, 10_000));
      await store.storeAssociation(SERVER, association('newest-but-expired', seconds() - 10, 5));
      await store.storeAssociation(SERVER, association('new', seconds() - 50, 10_000, 'HMAC-SHA1'));
      expect((await store.getAssociation(SERVER))?.handle).toBe('new');
      expect(await store.getAssociation('https://nobody.example/')).toBeUndefined();
    });

    test('expired associations are never returned, cleanup or not', async () => {
      await store.storeAssociation(SERVER, association('short', seconds(), 100));
      now += 101_000;
      expect(await store.getAssociation(SERVER, 'short')).toBeUndefined();
      expect(await store.getAssociation(SERVER)).toBeUndefined();
    });

    test('storing the same handle again replaces it', async () => {
      await store.storeAssociation(SERVER, association('same', seconds(), 100));
      await store.storeAssociation(SERVER, association('same', seconds(), 900));
      expect((await store.getAssociation(SERVER, 'same'))?.lifetime).toBe(900);
    });

    test('removal reports whether something was removed', async () => {
      await store.storeAssociation(SERVER, association('gone', seconds(), 600));
      expect(await store.removeAssociation(SERVER, 'gone')).toBe(true);
      expect(await store.removeAssociation(SERVER, 'gone')).toBe(false);
      expect(await store.getAssociation(SERVER, 'gone')).toBeUndefined();
    });

    test('servers are kept apart, whatever their URLs hold', async () => {
      const odd = `https://odd.example/${'x'.repeat(600)}?a=../../etc&b=%00'"\\`;
      await store.storeAssociation(SERVER, association('h', seconds(), 600));
      await store.storeAssociation(odd, association('{odd/../handle}', seconds(), 600, 'HMAC-SHA1'));
      expect(await store.getAssociation(OTHER, 'h')).toBeUndefined();
      expect((await store.getAssociation(odd))?.handle).toBe('{odd/../handle}');
      expect(await store.removeAssociation(OTHER, 'h')).toBe(false);
      expect((await store.getAssociation(SERVER, 'h'))?.handle).toBe('h');
    });
  });

  describe(`${target.name}: nonces`, () => {
    test('first use true, second use false', async () => {
      expect(await store.useNonce(SERVER, seconds(), 'abc')).toBe(true);
      expect(await store.useNonce(SERVER, seconds(), 'abc')).toBe(false);
      expect(await store.useNonce(SERVER, seconds(), 'ABC')).toBe(true);
      expect(await store.useNonce(OTHER, seconds(), 'abc')).toBe(true);
      expect(await store.useNonce(SERVER, seconds() - 1, 'abc')).toBe(true);
    });

    test('outside the skew: false, in the past and in the future', async () => {
      expect(await store.useNonce(SERVER, seconds() - SKEW - 1, 'old')).toBe(false);
      expect(await store.useNonce(SERVER, seconds() + SKEW + 1, 'future')).toBe(false);
      expect(await store.useNonce(SERVER, seconds() - SKEW + 1, 'edge')).toBe(true);
    });

    test('200 concurrent uses of one nonce: exactly one true', async () => {
      const results = await Promise.all(Array.from({ length: 200 }, () => store.useNonce(SERVER, seconds(), 'race')));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe(`${target.name}: cleanup`, () => {
    test('removes only what has expired', async () => {
      await store.storeAssociation(SERVER, association('expiring', seconds(), 100));
      await store.storeAssociation(SERVER, association('lasting', seconds(), 100_000));
      expect(await store.useNonce(SERVER, seconds(), 'early')).toBe(true);
      now += (SKEW + 200) * 1000;
      expect(await store.useNonce(SERVER, seconds(), 'late')).toBe(true);
      const removed = await store.cleanup();
      expect(removed.associations).toBe(1);
      expect(removed.nonces).toBe(target.expiresNoncesItself === true ? 0 : 1);
      expect((await store.getAssociation(SERVER, 'lasting'))?.handle).toBe('lasting');
      expect(await store.useNonce(SERVER, seconds(), 'late')).toBe(false);
      expect((await store.cleanup()).associations).toBe(0);
    });
  });

  const crossProcess = target.crossProcess;
  if (crossProcess !== undefined) {
    describe(`${target.name}: two processes sharing the store`, () => {
      test('an association written by one is read by the other, and back', async () => {
        now = Date.now();
        const spec = crossProcess(store);
        const issued = Math.floor(Date.now() / 1000);
        const mine = association('{parent}', issued, 3600);
        await store.storeAssociation(SERVER, mine);
        expect(await runChild({ ...spec, op: 'getAssociation', args: [SERVER, '{parent}'] })).toEqual({
          handle: '{parent}',
          secret: mine.secret.toString('base64'),
        });
        await runChild({ ...spec, op: 'storeAssociation', args: [OTHER, association('{child}', issued, 3600).serialize()] });
        expect((await store.getAssociation(OTHER, '{child}'))?.handle).toBe('{child}');
      });

      test('a nonce used in one process is refused in the other', async () => {
        now = Date.now();
        const spec = crossProcess(store);
        const timestamp = Math.floor(Date.now() / 1000);
        expect(await runChild({ ...spec, op: 'useNonce', args: [SERVER, timestamp, 'shared'] })).toBe(true);
        expect(await store.useNonce(SERVER, timestamp, 'shared')).toBe(false);
        expect(await store.useNonce(SERVER, timestamp, 'parent-first')).toBe(true);
        expect(await runChild({ ...spec, op: 'useNonce', args: [SERVER, timestamp, 'parent-first'] })).toBe(false);
      });
    });
  }

  const unreachable = target.unreachable;
  if (unreachable !== undefined) {
    describe(`${target.name}: faults`, () => {
      test('an unreachable server makes every operation fail with a StoreError', async () => {
        const broken = unreachable();
        try {
          await expectStoreError(broken.useNonce(SERVER, Math.floor(Date.now() / 1000), 'x'));
          await expectStoreError(broken.getAssociation(SERVER));
          await expectStoreError(broken.getAssociation(SERVER, 'h'));
          await expectStoreError(broken.storeAssociation(SERVER, association('h', seconds(), 60)));
          await expectStoreError(broken.removeAssociation(SERVER, 'h'));
          await expectStoreError(broken.cleanup());
        } finally {
          await broken.close();
        }
      });
    });
  }

  const severable = target.severable;
  if (severable !== undefined) {
    describe(`${target.name}: the server goes away mid-run`, () => {
      test('operations then fail with a StoreError; no nonce is ever reported fresh', async () => {
        const { store: linked, cut } = await severable();
        try {
          const timestamp = Math.floor(Date.now() / 1000);
          expect(await linked.useNonce(SERVER, timestamp, 'before')).toBe(true);
          await linked.storeAssociation(SERVER, association('h', timestamp, 3600));
          await cut();
          await expectStoreError(linked.useNonce(SERVER, timestamp, 'after'));
          await expectStoreError(linked.useNonce(SERVER, timestamp, 'before'));
          await expectStoreError(linked.getAssociation(SERVER, 'h'));
        } finally {
          await linked.close().catch(() => undefined);
        }
      });
    });
  }
}
