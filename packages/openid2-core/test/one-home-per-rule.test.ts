/** Issue 18.4: each rule written once, in core, and every caller using it. */
import * as core from '../src/index.js';
import { failure } from '../src/consumer/result.js';
import { openID1Transaction } from '../src/consumer/verify/discovered.js';
import type { Transaction } from '../src/consumer/session.js';
import { NonceError, OpenIDConfigError } from '../src/errors.js';
import { checkNonceTimestamp, isNonceSalt, MAX_NONCE_LENGTH, nonceInWindow, parseNonce } from '../src/nonce.js';
import { Server } from '../src/server/server.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { checkNonceArgs, isOpenIDStore, StoreClock } from '../src/store/store.js';

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const SECONDS = NOW / 1000;

describe('18.4: one nonce time window for consumers and stores (§11.3)', () => {
  test.each([
    ['now', SECONDS, true],
    ['exactly the skew in the past', SECONDS - 60, true],
    ['exactly the skew in the future', SECONDS + 60, true],
    ['one second past the skew', SECONDS - 61, false],
    ['one second beyond the skew in the future', SECONDS + 61, false],
    ['not a number', Number.NaN, false],
    ['infinity', Number.POSITIVE_INFINITY, false],
  ])('%s: the consumer check and the store clock agree with nonceInWindow', (_name, timestamp, inside) => {
    expect(nonceInWindow(timestamp, NOW, 60)).toBe(inside);
    expect(checkNonceTimestamp(timestamp, { now: NOW, skewSeconds: 60 })).toBe(inside);
    expect(new StoreClock({ now: () => NOW, skewSeconds: 60 }).nonceInWindow(timestamp)).toBe(inside);
  });
});

describe('18.4: one salt character set (§10.1)', () => {
  test.each([
    ['base64url', 'q3X-9_aB', true],
    ['every printable character', String.fromCharCode(...Array.from({ length: 94 }, (_, i) => 33 + i)), true],
    ['a space', 'a b', false],
    ['a tab', 'a\tb', false],
    ['DEL', 'a\x7f', false],
    ['non-ASCII', 'é', false],
  ])('%s: parseNonce and the stores’ argument check agree with isNonceSalt', (_name, salt, allowed) => {
    expect(isNonceSalt(salt)).toBe(allowed);
    const parse = (): unknown => parseNonce(`2026-01-01T12:00:00Z${salt}`);
    const store = (): void => checkNonceArgs('https://op.example/', SECONDS, salt);
    if (allowed) {
      expect(parse).not.toThrow();
      expect(store).not.toThrow();
    } else {
      expect(parse).toThrow(NonceError);
      expect(store).toThrow(NonceError);
    }
  });

  test('a salt longer than a nonce can be is refused by the store check', () => {
    expect(() => checkNonceArgs('https://op.example/', SECONDS, 'a'.repeat(MAX_NONCE_LENGTH))).not.toThrow();
    expect(() => checkNonceArgs('https://op.example/', SECONDS, 'a'.repeat(MAX_NONCE_LENGTH + 1))).toThrow(NonceError);
  });
});

describe('18.4: one isOpenIDStore', () => {
  const partial = { useNonce: async () => true };

  test('a store has the four methods relying parties and providers call', () => {
    expect(isOpenIDStore(new MemoryStore())).toBe(true);
    expect(isOpenIDStore(partial)).toBe(false);
    expect(isOpenIDStore(null)).toBe(false);
    expect(isOpenIDStore('store')).toBe(false);
  });

  test('the Server refuses an object with useNonce alone (it once checked only that method)', () => {
    expect(() => new Server({ opEndpoint: 'https://op.example/openid', store: partial as never })).toThrow(OpenIDConfigError);
    expect(() => new Server({ opEndpoint: 'https://op.example/openid', store: partial as never })).toThrow(/^store:/);
  });
});

describe('18.4: a 1.x assertion needs its transaction (OpenID 1.1 §4.2.2)', () => {
  const transaction: Transaction = {
    id: 't', opEndpoint: 'https://op.example/', claimedId: 'https://id.example/', localId: undefined, typeUris: [], usedYadis: false, created: NOW,
  };

  test('without a transaction, or one without a claimed identifier: unsolicited_assertion', () => {
    expect(openID1Transaction(undefined)).toMatchObject({ status: 'failure', reason: 'unsolicited_assertion' });
    expect(openID1Transaction({ ...transaction, claimedId: undefined })).toMatchObject({ status: 'failure', reason: 'unsolicited_assertion' });
  });

  test('with its transaction: the transaction', () => {
    expect(openID1Transaction(transaction)).toBe(transaction);
  });
});

describe('18.4: FailureReason derives from the exported FAILURE_REASONS', () => {
  test('the list is exported, frozen and without repeats', () => {
    expect(Object.isFrozen(core.FAILURE_REASONS)).toBe(true);
    expect(new Set(core.FAILURE_REASONS).size).toBe(core.FAILURE_REASONS.length);
    expect(core.FAILURE_REASONS).toEqual(expect.arrayContaining(['unsolicited_assertion', 'nonce_reused', 'store_error']));
  });

  test('18.5: one name for "the application refused the identity", the one the Passport strategy uses too', () => {
    expect(core.FAILURE_REASONS).toContain('rejected_by_application');
    expect(core.FAILURE_REASONS).not.toContain('rejected_by_policy');
  });

  test('every reason of the list is a FailureReason and back', () => {
    const reason: core.FailureReason = core.FAILURE_REASONS[0];
    const failed = failure(reason, 'x');
    expect(core.FAILURE_REASONS).toContain(failed.reason);
  });
});

describe('18.4: presets plug in through one interface, not through core types', () => {
  test('the core knows one preset reason and no preset by name', () => {
    expect(core.FAILURE_REASONS).toContain('preset_refused');
    expect(core.FAILURE_REASONS.filter((reason) => reason.includes('steam'))).toEqual([]);
  });

  test('screenAssertion and acceptSuccess are gone: the preset is the one way', () => {
    for (const option of ['screenAssertion', 'acceptSuccess']) {
      expect(() => new core.Consumer({ [option]: () => undefined } as core.ConsumerOptions)).toThrow(/is not a consumer option/);
    }
  });
});

describe('18.4: one nonce skew setting, the store\'s', () => {
  test('the consumer has no skewSeconds option of its own', () => {
    expect(() => new core.Consumer({ skewSeconds: 60 } as core.ConsumerOptions)).toThrow(/^skewSeconds: is not a consumer option/);
  });

  test('every built-in store tells its window; a store telling an impossible one is no store', () => {
    expect(new MemoryStore({ skewSeconds: 90 }).skewSeconds).toBe(90);
    expect(new MemoryStore().skewSeconds).toBe(core.DEFAULT_NONCE_SKEW_SECONDS);
    const none = (): undefined => undefined;
    const methods = { storeAssociation: none, getAssociation: none, removeAssociation: none, useNonce: none };
    expect(isOpenIDStore(methods)).toBe(true);
    expect(isOpenIDStore({ ...methods, skewSeconds: 60 })).toBe(true);
    expect(isOpenIDStore({ ...methods, skewSeconds: Number.NaN })).toBe(false);
    expect(isOpenIDStore({ ...methods, skewSeconds: -1 })).toBe(false);
  });
});
