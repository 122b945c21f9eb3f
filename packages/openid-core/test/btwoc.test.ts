import { btwoc, fromBtwoc, intToBase64, base64ToInt, decodeBase64Strict } from '../src/btwoc.js';
import { IntegerError } from '../src/errors.js';

describe('btwoc (§4.2)', () => {
  test.each([
    // The spec's table, §4.2
    [0n, '00'],
    [127n, '7f'],
    [128n, '0080'],
    [255n, '00ff'],
    [32768n, '008000'],
    // More: no leading zero unless the high bit is set
    [256n, '0100'],
    [0x7fffn, '7fff'],
    [2n ** 64n, '010000000000000000'],
  ])('btwoc(%s) = %s', (n, hex) => {
    expect(btwoc(n).toString('hex')).toBe(hex);
    expect(fromBtwoc(Buffer.from(hex, 'hex'))).toBe(n);
  });

  test('refuses negative numbers and empty strings', () => {
    expect(() => btwoc(-1n)).toThrow(IntegerError);
    expect(() => fromBtwoc(new Uint8Array())).toThrow(IntegerError);
  });

  test('base64 round trip over many sizes', () => {
    for (let bits = 1; bits < 1100; bits += 37) {
      const n = (1n << BigInt(bits)) - 3n > 0n ? (1n << BigInt(bits)) - 3n : 1n;
      expect(base64ToInt(intToBase64(n))).toBe(n);
    }
  });

  test.each([
    ['empty', ''],
    ['bad characters', 'AA*A'],
    ['missing padding', 'AAA'],
    ['whitespace', 'AA AA'],
    ['padding in the middle', 'AA==AAAA'],
    ['URL-safe alphabet', 'AA-_'],
  ])('strict base64 refuses %s', (_name, text) => {
    expect(() => decodeBase64Strict(text)).toThrow(IntegerError);
    expect(() => base64ToInt(text)).toThrow(IntegerError);
  });
});
