import { kvForm } from '../src/kv-form.js';
import { KVFormError } from '../src/errors.js';

describe('kvForm.serialize (§4.1.1)', () => {
  test('writes the spec example (§4.1.3)', () => {
    expect(kvForm.serialize({ mode: 'error', error: 'This is an example message' })).toBe(
      'mode:error\nerror:This is an example message\n',
    );
  });

  test('keeps the order of pairs and writes UTF-8 text untouched', () => {
    expect(kvForm.serialize([['b', '2'], ['a', 'Zoë 東京']])).toBe('b:2\na:Zoë 東京\n');
  });

  test('allows a colon inside a value', () => {
    expect(kvForm.serialize({ url: 'http://example.com/' })).toBe('url:http://example.com/\n');
  });

  test.each([
    ['a colon in a key', [['a:b', 'x']]],
    ['a newline in a key', [['a\nb', 'x']]],
    ['a newline in a value (smuggled second line)', [['error', 'bad\nis_valid:true']]],
    ['a carriage return in a value', [['error', 'bad\ris_valid:true']]],
    ['an empty key', [['', 'x']]],
    ['whitespace after the colon (strict)', [['a', ' x']]],
    ['whitespace before the colon (strict)', [['a ', 'x']]],
  ] as Array<[string, Array<[string, string]>]>)('refuses %s', (_name, pairs) => {
    expect(() => kvForm.serialize(pairs)).toThrow(KVFormError);
  });

  test('non-strict mode keeps whitespace of values (for signatures) but still refuses newlines', () => {
    expect(kvForm.serialize([['fullname', ' Bob ']], { strict: false })).toBe('fullname: Bob \n');
    expect(() => kvForm.serialize([['x', 'a\nb']], { strict: false })).toThrow(KVFormError);
  });
});

describe('kvForm.parse (§4.1.1)', () => {
  test('reads the spec example', () => {
    expect({ ...kvForm.parse('mode:error\nerror:This is an example message\n') }).toEqual({
      mode: 'error',
      error: 'This is an example message',
    });
  });

  test('splits at the first colon only', () => {
    expect(kvForm.parse('url:http://example.com/:x\n').url).toBe('http://example.com/:x');
  });

  test('reads UTF-8 bytes and refuses invalid UTF-8', () => {
    expect(kvForm.parse(Buffer.from('name:Zoë\n', 'utf8')).name).toBe('Zoë');
    expect(() => kvForm.parse(Buffer.from([0x61, 0x3a, 0xff, 0x0a]))).toThrow(KVFormError);
  });

  test('an empty body is an empty message', () => {
    expect(Object.keys(kvForm.parse(''))).toEqual([]);
  });

  test('keys such as __proto__ are plain keys', () => {
    const parsed = kvForm.parse('__proto__:x\n');
    expect(parsed.__proto__).toBe('x');
    expect(Object.getPrototypeOf(parsed)).toBeNull();
  });

  test.each([
    ['no final newline', 'a:b'],
    ['a line without a colon', 'a:b\nc\n'],
    ['whitespace around the colon', 'a : b\n'],
    ['a carriage return', 'a:b\r\n'],
    ['a blank line', 'a:b\n\nc:d\n'],
    ['an empty key', ':b\n'],
    ['a repeated key', 'is_valid:false\nis_valid:true\n'],
  ])('strict mode refuses %s', (_name, text) => {
    expect(() => kvForm.parse(text)).toThrow(KVFormError);
  });

  test('lenient mode tolerates whitespace, CRLF, blank lines and a missing final newline', () => {
    expect({ ...kvForm.parse(' a : b \r\n\nc:d', { strict: false }) }).toEqual({ a: 'b', c: 'd' });
  });

  test.each([
    ['a line without a colon', 'a:b\nc\n'],
    ['a repeated key', 'is_valid:false\nis_valid:true\n'],
    ['an empty key', ' :b\n'],
  ])('lenient mode still refuses %s', (_name, text) => {
    expect(() => kvForm.parse(text, { strict: false })).toThrow(KVFormError);
  });

  test('errors say which line is wrong', () => {
    try {
      kvForm.parse('a:b\nbroken\n');
      throw new Error('expected a KVFormError');
    } catch (error) {
      expect(error).toBeInstanceOf(KVFormError);
      expect((error as KVFormError).line).toBe(2);
      expect((error as KVFormError).message).toMatch(/line 2/);
    }
  });

  test('serialize then parse is the identity (round trip)', () => {
    const pairs: Record<string, string> = {};
    for (let i = 0; i < 50; i += 1) pairs[`k${i}.x_${i}`] = `v ${'é'.repeat(i % 5)} :${i}`;
    expect({ ...kvForm.parse(kvForm.serialize(pairs)) }).toEqual(pairs);
  });
});
