import { charsetOf, decodeBody } from '../../src/fetch/decode-body.js';

describe('charsetOf', () => {
  test.each([
    ['text/html; charset=UTF-8', 'utf-8'],
    ['text/html;charset="ISO-8859-1"', 'iso-8859-1'],
    ['text/html; foo=bar; Charset = windows-1252', 'windows-1252'],
    ['text/html', undefined],
    [undefined, undefined],
  ])('%s → %s', (contentType, charset) => {
    expect(charsetOf(contentType)).toBe(charset);
  });
});

describe('decodeBody', () => {
  test.each([
    ['utf-8', [0x63, 0x61, 0x66, 0xc3, 0xa9], 'café'],
    [undefined, [0x63, 0x61, 0x66, 0xc3, 0xa9], 'café'],
    ['utf-8', [0xff], '\ufffd'],
    // ISO-8859-1 labels mean windows-1252 (WHATWG Encoding §5.2): 0x80-0x9F are not C1 controls.
    ['iso-8859-1', [0x63, 0x61, 0x66, 0xe9, 0x20, 0x80], 'café €'],
    ['windows-1252', [0x80, 0x82, 0x8a, 0x91, 0x92, 0x93, 0x94, 0x99, 0x9f], '€‚Š‘’“”™Ÿ'],
    ['windows-1252', [0x81, 0x8d, 0x8f, 0x90, 0x9d], '\u0081\u008d\u008f\u0090\u009d'],
    ['iso-8859-2', [0xa3, 0xf3, 0x64, 0xbc], 'Łódź'],
    ['x-unknown', [0x63, 0x61, 0x66, 0xc3, 0xa9], 'café'],
  ])('%s %j', (charset, bytes, text) => {
    expect(decodeBody(Uint8Array.from(bytes), charset)).toBe(text);
  });

  test('a view into a larger buffer decodes only its own bytes', () => {
    const whole = Buffer.from([0x41, 0x80, 0x42, 0x43]);
    expect(decodeBody(whole.subarray(1, 3), 'windows-1252')).toBe('€B');
  });
});
