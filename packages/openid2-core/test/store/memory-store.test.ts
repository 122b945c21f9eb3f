import { runStoreConformance } from 'openid-test-helpers';
import { OpenIDConfigError } from '../../src/errors.js';
import { MemoryStore } from '../../src/store/memory-store.js';

// In-process only: the suite replaces the sharing and fault tests with
// checks that they do not apply.
runStoreConformance('MemoryStore', {
  create: async (options) => new MemoryStore(options),
});

describe('store options (checked by every store through StoreClock)', () => {
  test.each([
    ['a negative skew', { skewSeconds: -1 }],
    ['a non-finite skew', { skewSeconds: Number.POSITIVE_INFINITY }],
    ['a skew that is not a number', { skewSeconds: '60' as unknown as number }],
    ['a clock that is not a function', { now: 5 as unknown as () => number }],
  ])('refuses %s', (_, options) => {
    expect(() => new MemoryStore(options)).toThrow(OpenIDConfigError);
  });

  test('a skew of 0 accepts only the present second', async () => {
    const store = new MemoryStore({ now: () => 1_000_000_000_000, skewSeconds: 0 });
    expect(await store.useNonce('https://op.example/', 1_000_000_000, 'a')).toBe(true);
    expect(await store.useNonce('https://op.example/', 1_000_000_001, 'a')).toBe(false);
  });
});
