import { normalizeUrl, normalizeIdentifier, withoutFragment } from '../src/normalize-url.js';
import { UrlError } from '../src/errors.js';

describe('normalizeUrl (RFC 3986 §6, OpenID 2.0 §7.2)', () => {
  test.each([
    // §6.2.2.1 case
    ['HTTP://www.Example.COM/', 'http://www.example.com/'],
    ['http://example.com/%7euser/%2f%3a', 'http://example.com/~user/%2F%3A'],
    // §6.2.2.2 percent-encoding: unreserved decoded, reserved kept (upper-cased)
    ['http://example.com/%41%42%43%2D%2E%5F%7E', 'http://example.com/ABC-._~'],
    ['http://example.com/a%2fb?x=%3d%7e', 'http://example.com/a%2Fb?x=%3D~'],
    // §6.2.2.3 dot segments
    ['http://example.com/a/./b/../c', 'http://example.com/a/c'],
    ['http://example.com/../../a', 'http://example.com/a'],
    // §6.2.3 scheme-based: default port, empty path
    ['http://example.com:80/', 'http://example.com/'],
    ['https://example.com:443', 'https://example.com/'],
    ['http://example.com:8080', 'http://example.com:8080/'],
    ['http://example.com', 'http://example.com/'],
    // fragment removed
    ['http://example.com/a#frag', 'http://example.com/a'],
    // internationalized host names to punycode, non-ASCII path to UTF-8 escapes
    ['http://bücher.example/ä', 'http://xn--bcher-kva.example/%C3%A4'],
    // IPv6 literal
    ['http://[::FFFF:127.0.0.1]:8000/', 'http://[::ffff:7f00:1]:8000/'],
    // query kept
    ['http://example.com/?b=2&a=1', 'http://example.com/?b=2&a=1'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  test('keepFragment keeps it (§11.5.1)', () => {
    expect(normalizeUrl('http://example.com/user#1', { keepFragment: true })).toBe('http://example.com/user#1');
    expect(withoutFragment('http://example.com/user#1')).toBe('http://example.com/user');
  });

  test.each([
    ['an empty string', ''],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,hi'],
    ['ftp:', 'ftp://example.com/'],
    ['a relative URL', '/path'],
    ['a CR/LF', 'http://example.com/\r\nLocation: x'],
    ['a TAB', 'http://exa\tmple.com/'],
    ['a NUL', 'http://example.com/\0'],
    ['a space', 'http://example.com/a b'],
    ['a backslash', 'http://example.com\\@evil.example/'],
    ['user information', 'http://user@example.com/'],
    ['a password', 'http://user:pw@example.com/'],
    ['a trusted host as user information', 'https://steamcommunity.com@evil.example/openid/id/76561197960287930'],
    ['an invalid escape', 'http://example.com/%zz'],
    ['a truncated escape', 'http://example.com/%4'],
    ['a port out of range', 'http://example.com:99999/'],
    ['no host', 'http:///path'],
    ['a quote', 'http://example.com/"x"'],
  ])('refuses %s', (_name, input) => {
    expect(() => normalizeUrl(input)).toThrow(UrlError);
  });

  test('is idempotent over generated URLs', () => {
    let seed = 42;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pieces = ['a', 'B', '%7e', '%2F', '%41', '.', '..', 'é', '東', '~', '-', '%20', '=', '&', "'", '+'];
    for (let i = 0; i < 500; i += 1) {
      const segments = Array.from({ length: 1 + random(4) }, () => Array.from({ length: 1 + random(3) }, () => pieces[random(pieces.length)]).join(''));
      const query = random(2) === 0 ? '' : `?${segments.join('&')}`;
      const host = ['Example.COM', 'bücher.example', '127.0.0.1', 'a.b.c'][random(4)];
      const port = ['', ':80', ':8080', ':443'][random(4)];
      const input = `${random(2) === 0 ? 'http' : 'HTTPS'}://${host}${port}/${segments.join('/')}${query}`;
      const once = normalizeUrl(input);
      expect(normalizeUrl(once)).toBe(once);
    }
  });
});

describe('normalizeIdentifier (§7.2)', () => {
  test.each([
    ['example.com', 'http://example.com/'],
    ['  Example.COM:80/a/../b  ', 'http://example.com/b'],
    ['https://example.com#frag', 'https://example.com/'],
    ['HTTP://example.com/user', 'http://example.com/user'],
    ['localhost:3000/user/alice', 'http://localhost:3000/user/alice'],
  ])('URL %s → %s', (input, expected) => {
    expect(normalizeIdentifier(input)).toEqual({ kind: 'url', value: expected });
  });

  test.each([
    ['=example', '=example'],
    ['xri://=example', '=example'],
    ['@example*foo', '@example*foo'],
    ['+tag', '+tag'],
    ['$dns', '$dns'],
    ['!!1000', '!!1000'],
    ['(http://example.com/)', '(http://example.com/)'],
  ])('XRI %s', (input, expected) => {
    expect(normalizeIdentifier(input)).toEqual({ kind: 'xri', value: expected });
  });

  test.each([[''], ['   '], ['xri://'], ['javascript:alert(1)'], ['mailto:a@example.com'], ['ftp://example.com/']])('refuses %j', (input) => {
    expect(() => normalizeIdentifier(input)).toThrow(UrlError);
  });
});
