import { makeNonce, parseNonce, checkNonceTimestamp, DEFAULT_NONCE_SKEW_SECONDS } from '../src/nonce.js';
import { NonceError } from '../src/errors.js';

const T = Date.UTC(2005, 4, 15, 17, 11, 51); // the spec's example time, §10.1

describe('response_nonce (§10.1)', () => {
  test('the spec example parses', () => {
    expect(parseNonce('2005-05-15T17:11:51ZUNIQUE')).toEqual({ timestamp: T / 1000, salt: 'UNIQUE' });
  });

  test('makeNonce writes the UTC time and a random salt', () => {
    const a = makeNonce(T);
    const b = makeNonce(T);
    expect(a.startsWith('2005-05-15T17:11:51Z')).toBe(true);
    expect(a).not.toBe(b);
    expect(parseNonce(a).timestamp).toBe(T / 1000);
    expect(parseNonce(a).salt).toMatch(/^[A-Za-z0-9]{8}$/);
  });

  test('a nonce without salt is accepted', () => {
    expect(parseNonce('2005-05-15T17:11:51Z').salt).toBe('');
  });

  test.each([
    ['no timestamp', 'UNIQUE'],
    ['a local time', '2005-05-15T17:11:51UNIQUE'],
    ['a month 13', '2005-13-15T17:11:51Z'],
    ['February 30', '2005-02-30T17:11:51Z'],
    ['hour 24', '2005-05-15T24:00:00Z'],
    ['a space in the salt', '2005-05-15T17:11:51Za b'],
    ['a NUL in the salt', '2005-05-15T17:11:51Za\0b'],
    ['non-ASCII salt', '2005-05-15T17:11:51Zé'],
    ['more than 255 characters', `2005-05-15T17:11:51Z${'a'.repeat(236)}`],
  ])('refuses %s', (_name, nonce) => {
    expect(() => parseNonce(nonce)).toThrow(NonceError);
  });

  test('timestamps within the skew pass, others fail', () => {
    const nonce = '2005-05-15T17:11:51Zabc';
    expect(checkNonceTimestamp(nonce, { now: T })).toBe(true);
    expect(checkNonceTimestamp(nonce, { now: T + DEFAULT_NONCE_SKEW_SECONDS * 1000 })).toBe(true);
    expect(checkNonceTimestamp(nonce, { now: T + (DEFAULT_NONCE_SKEW_SECONDS + 1) * 1000 })).toBe(false);
    expect(checkNonceTimestamp(nonce, { now: T - 61_000, skewSeconds: 60 })).toBe(false);
    expect(checkNonceTimestamp('garbage', { now: T })).toBe(false);
    expect(checkNonceTimestamp(T / 1000, { now: T })).toBe(true);
  });
});
