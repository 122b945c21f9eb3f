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

  test('refuses negative numbers, non-bigints and empty strings', () => {
    expect(() => btwoc(-1n)).toThrow(IntegerError);
    expect(() => btwoc(-(2n ** 100n))).toThrow(IntegerError);
    expect(() => btwoc(1.5 as never)).toThrow(IntegerError);
    expect(() => fromBtwoc(new Uint8Array())).toThrow(IntegerError);
    expect(() => base64ToInt('')).toThrow(IntegerError);
  });

  test('fromBtwoc reads unsigned, tolerating leading zero bytes, and honours subarray offsets', () => {
    expect(fromBtwoc(Buffer.from('0000ff', 'hex'))).toBe(255n);
    expect(fromBtwoc(Buffer.from('ff', 'hex'))).toBe(255n);
    const bytes = Buffer.from('aa0102bb', 'hex');
    expect(fromBtwoc(bytes.subarray(1, 3))).toBe(0x0102n);
  });

  test.each([
    // base64(btwoc(n)) of the §4.2 table, as python-openid's longToBase64 writes it.
    [0n, 'AA=='],
    [127n, 'fw=='],
    [128n, 'AIA='],
    [255n, 'AP8='],
    [32768n, 'AIAA'],
  ])('intToBase64(%s) = %s (§4.2)', (n, text) => {
    expect(intToBase64(n)).toBe(text);
    expect(base64ToInt(text)).toBe(n);
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
    ['a trailing newline', 'AAAA\n'],
    ['three padding characters', 'A==='],
    ['non-zero padding bits (AB== decodes like AA==)', 'AB=='],
    ['non-zero padding bits (AAB=)', 'AAB='],
    ['non-ASCII letters', 'AAÀA'],
  ])('strict base64 refuses %s', (_name, text) => {
    expect(() => decodeBase64Strict(text)).toThrow(IntegerError);
    expect(() => base64ToInt(text)).toThrow(IntegerError);
  });

  test.each([
    ['gA== (−128)', 'gA=='],
    ['/w== (−1)', '/w=='],
    ['a 1024-bit number without its sign byte', Buffer.alloc(128, 0xdc).toString('base64')],
  ])('17.8: base64ToInt refuses a negative btwoc integer: %s', (_name, text) => {
    expect(() => base64ToInt(text)).toThrow(IntegerError);
    expect(() => base64ToInt(text, 'dh_consumer_public')).toThrow('The dh_consumer_public is negative');
  });
});
