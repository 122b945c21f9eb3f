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
    expect(parseNonce(a).salt).toMatch(/^[A-Za-z0-9_-]{8}$/);
  });

  test('salts are printable non-whitespace ASCII and differ', () => {
    const salts = new Set<string>();
    for (let i = 0; i < 500; i += 1) {
      const nonce = makeNonce(T);
      expect(nonce).toMatch(/^2005-05-15T17:11:51Z[\x21-\x7e]{8}$/);
      salts.add(parseNonce(nonce).salt);
    }
    expect(salts.size).toBe(500);
  });

  test('salts stay distinct across refills of the random pool, and timestamps follow the time given', () => {
    const salts = new Set<string>();
    for (let i = 0; i < 3000; i += 1) {
      // Alternating seconds: a cached timestamp must never leak into the next second.
      const now = T + (i % 2) * 1000;
      const nonce = makeNonce(now);
      expect(nonce.startsWith(i % 2 === 0 ? '2005-05-15T17:11:51Z' : '2005-05-15T17:11:52Z')).toBe(true);
      salts.add(parseNonce(nonce).salt);
    }
    expect(salts.size).toBe(3000);
  });

  test.each([
    ['the epoch', 0, '1970-01-01T00:00:00Z'],
    ['fractions of a second dropped', T + 999, '2005-05-15T17:11:51Z'],
    ['the last second of year 9999', Date.UTC(9999, 11, 31, 23, 59, 59), '9999-12-31T23:59:59Z'],
    ['a leap day', Date.UTC(2024, 1, 29, 12, 0, 0), '2024-02-29T12:00:00Z'],
  ])('makeNonce writes %s', (_name, now, prefix) => {
    const nonce = makeNonce(now);
    expect(nonce.slice(0, 20)).toBe(prefix);
    expect(parseNonce(nonce).timestamp).toBe(Math.floor(now / 1000));
  });

  test.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a time before 1970', -1000],
    ['the year 10000', Date.UTC(10000, 0, 1)],
  ])('makeNonce refuses %s', (_name, now) => {
    expect(() => makeNonce(now)).toThrow(NonceError);
  });

  test('a nonce without salt is accepted', () => {
    expect(parseNonce('2005-05-15T17:11:51Z').salt).toBe('');
  });

  test('exactly 255 characters, with every allowed character, is accepted', () => {
    const allowed = Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join('');
    const salt = (allowed + allowed + allowed).slice(0, 235);
    expect(parseNonce(`2005-05-15T17:11:51Z${salt}`)).toEqual({ timestamp: T / 1000, salt });
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
    ['fractional seconds', '2005-05-15T17:11:51.123ZUNIQUE'],
    ['a numeric offset instead of Z', '2005-05-15T17:11:51+00:00'],
    ['a lowercase z', '2005-05-15T17:11:51zUNIQUE'],
    ['a space instead of T', '2005-05-15 17:11:51ZUNIQUE'],
    ['minute 60', '2005-05-15T17:60:51Z'],
    ['second 60', '2005-05-15T17:11:60Z'],
    ['day 00', '2005-05-00T17:11:51Z'],
    ['February 29 in a common year', '2005-02-29T17:11:51Z'],
    ['February 29 in a century year not divisible by 400', '2100-02-29T17:11:51Z'],
    ['April 31', '2005-04-31T17:11:51Z'],
    ['a two-digit year written with four digits (read as 19xx by Date.UTC)', '0050-05-15T17:11:51Z'],
    ['non-ASCII digits', '２００５-05-15T17:11:51Z'],
    ['a leading space', ' 2005-05-15T17:11:51Z'],
    ['a DEL in the salt', '2005-05-15T17:11:51Za\x7f'],
    ['a newline in the salt', '2005-05-15T17:11:51Za\n'],
    ['an empty string', ''],
    ['a value that is not a string', 12345 as never],
  ])('refuses %s', (_name, nonce) => {
    expect(() => parseNonce(nonce)).toThrow(NonceError);
  });

  test.each([
    ['2004-02-29T00:00:00Z', Date.UTC(2004, 1, 29)],
    ['2000-02-29T23:59:59Z', Date.UTC(2000, 1, 29, 23, 59, 59)],
    ['2005-12-31T12:00:00Z', Date.UTC(2005, 11, 31, 12)],
    ['0100-01-01T00:00:00Z', Date.UTC(100, 0, 1)],
  ])('reads the calendar date %s', (timestamp, ms) => {
    expect(parseNonce(`${timestamp}salt`)).toEqual({ timestamp: ms / 1000, salt: 'salt' });
  });

  test('timestamps within the skew pass, others fail', () => {
    const nonce = '2005-05-15T17:11:51Zabc';
    expect(checkNonceTimestamp(nonce, { now: T })).toBe(true);
    expect(checkNonceTimestamp(nonce, { now: T + DEFAULT_NONCE_SKEW_SECONDS * 1000 })).toBe(true);
    expect(checkNonceTimestamp(nonce, { now: T + (DEFAULT_NONCE_SKEW_SECONDS + 1) * 1000 })).toBe(false);
    expect(checkNonceTimestamp(nonce, { now: T - 61_000, skewSeconds: 60 })).toBe(false);
    expect(checkNonceTimestamp('garbage', { now: T })).toBe(false);
    expect(checkNonceTimestamp(T / 1000, { now: T })).toBe(true);
    // Timestamps from the future are judged by the same window (clock skew both ways).
    expect(checkNonceTimestamp(nonce, { now: T - DEFAULT_NONCE_SKEW_SECONDS * 1000 })).toBe(true);
    expect(checkNonceTimestamp(nonce, { now: T - (DEFAULT_NONCE_SKEW_SECONDS + 1) * 1000 })).toBe(false);
    expect(checkNonceTimestamp(Number.NaN, { now: T })).toBe(false);
  });

  test('22.4: the default window is sized to a login (30 minutes), not python-openid\'s five hours', () => {
    expect(DEFAULT_NONCE_SKEW_SECONDS).toBe(30 * 60);
  });
});
