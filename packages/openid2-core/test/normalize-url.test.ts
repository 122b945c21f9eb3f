import { describeWith, pythonOpenIDAvailability, runPython } from 'openid-test-helpers';
import { formatHttpUrl, normalizeIdentifier, normalizeUrl, parseHttpUrl, withoutFragment } from '../src/normalize-url.js';
import { UrlError } from '../src/errors.js';

/** mulberry32: a small seeded PRNG, so generated cases are the same on every run. */
function prng(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

const SEGMENT_PIECES = ['a', 'B', '%7e', '%7E', '%2F', '%2f', '%41', '.', '..', '%2e', 'é', '東', '😀', '~', '-', '%20', '=', '&', "'", '+', '(', '*', '!', '$', ',', ';', ':', '@', '%c3%a4', '%25'];

function generateUrls(count: number, options: { hosts: string[]; queryPieces: string[] }): string[] {
  const random = prng(0x5eed);
  const pick = <T>(list: readonly T[]): T => list[random(list.length)] as T;
  const piece = (pieces: readonly string[]): string => Array.from({ length: random(4) }, () => pick(pieces)).join('');
  return Array.from({ length: count }, () => {
    const segments = Array.from({ length: random(5) }, () => piece(SEGMENT_PIECES));
    const path = segments.length === 0 ? '' : `/${segments.join('/')}`;
    const query = random(3) === 0 ? '' : `?${Array.from({ length: 1 + random(3) }, () => piece(options.queryPieces)).join('&')}`;
    const port = pick(['', ':80', ':8080', ':443']);
    return `${pick(['http', 'HTTP', 'https', 'Https'])}://${pick(options.hosts)}${port}${path}${query}`;
  });
}

const HOSTS = ['Example.COM', 'bücher.example', 'WWW.例え.jp', '127.0.0.1', 'a.b.c', 'xn--bcher-kva.example', 'localhost', '[::1]', '[2001:DB8::0:1]'];

describe('normalizeUrl (RFC 3986 §6, OpenID 2.0 §7.2)', () => {
  test.each([
    ['§6.2.2.1 scheme and host to lower case', 'HTTP://www.Example.COM/', 'http://www.example.com/'],
    ['§6.2.2.1 path case is kept', 'http://example.com/User/ALICE', 'http://example.com/User/ALICE'],
    ['§6.2.2.1 escapes to upper case', 'http://example.com/%3a%2f%c3%a4', 'http://example.com/%3A%2F%C3%A4'],
    ['§6.2.2.2 unreserved decoded', 'http://example.com/%7euser/%41%42%43%2D%2E%5F%7E', 'http://example.com/~user/ABC-._~'],
    ['§6.2.2.2 reserved stay encoded', 'http://example.com/a%2fb%3Fc%23d?x=%3d%26%40', 'http://example.com/a%2Fb%3Fc%23d?x=%3D%26%40'],
    ['§6.2.2.2 %25 stays', 'http://example.com/100%25', 'http://example.com/100%25'],
    ['§6.2.2.2 space stays encoded', 'http://example.com/a%20b', 'http://example.com/a%20b'],
    ['§6.2.2.2 in the query too', 'http://example.com/?q=%7e%61', 'http://example.com/?q=~a'],
    ['§2.2 reserved characters are not escaped', "http://example.com/a'b?x='y'&z=(1)*", "http://example.com/a'b?x='y'&z=(1)*"],
    ['§6.2.2.3 dot segments', 'http://example.com/a/./b/../c', 'http://example.com/a/c'],
    ['§6.2.2.3 escaped dot segments', 'http://example.com/a/%2e%2E/b/.%2e/c', 'http://example.com/c'],
    ['§6.2.2.3 ../ above the root', 'http://example.com/../../a', 'http://example.com/a'],
    ['§6.2.2.3 final .. keeps a slash', 'http://example.com/a/b/..', 'http://example.com/a/'],
    ['§6.2.2.3 final . keeps a slash', 'http://example.com/a/.', 'http://example.com/a/'],
    ['§6.2.2.3 dots inside names stay', 'http://example.com/a/..b/c./.d', 'http://example.com/a/..b/c./.d'],
    ['§6.2.2.3 empty segments stay', 'http://example.com//a//', 'http://example.com//a//'],
    ['§6.2.2.3 dots in the query stay', 'http://example.com/a?b=/../c', 'http://example.com/a?b=/../c'],
    ['§6.2.3 default http port', 'http://example.com:80/', 'http://example.com/'],
    ['§6.2.3 default https port', 'https://example.com:443', 'https://example.com/'],
    ['§6.2.3 empty port', 'http://example.com:/', 'http://example.com/'],
    ['§6.2.3 other port kept', 'http://example.com:8080', 'http://example.com:8080/'],
    ['§6.2.3 443 is not the http default', 'http://example.com:443/', 'http://example.com:443/'],
    ['§6.2.3 80 is not the https default', 'https://example.com:80/', 'https://example.com:80/'],
    ['§6.2.3 leading zeros in the port', 'http://example.com:0080/', 'http://example.com/'],
    ['§6.2.3 empty path', 'http://example.com', 'http://example.com/'],
    ['§6.2.3 empty path with a query', 'http://example.com?x=1', 'http://example.com/?x=1'],
    ['§6.2.3 an empty query is kept', 'http://example.com/?', 'http://example.com/?'],
    ['§7.2 fragment removed', 'http://example.com/a#frag', 'http://example.com/a'],
    ['§7.2 empty fragment removed', 'http://example.com/a#', 'http://example.com/a'],
    ['§3.2.2 IDN host to punycode', 'http://Bücher.example/', 'http://xn--bcher-kva.example/'],
    ['§3.2.2 escaped host decoded', 'http://%65xample.com/', 'http://example.com/'],
    ['§2.5 non-ASCII path as UTF-8', 'http://example.com/ä/東/😀', 'http://example.com/%C3%A4/%E6%9D%B1/%F0%9F%98%80'],
    ['§2.5 non-ASCII query as UTF-8', 'http://example.com/?name=Zoë', 'http://example.com/?name=Zo%C3%AB'],
    ['§3.2.2 IPv6 compressed, lower case', 'http://[2001:DB8:0:0:0:0:0:1]:8000/', 'http://[2001:db8::1]:8000/'],
    ['§3.2.2 IPv4-mapped IPv6', 'http://[::FFFF:127.0.0.1]/', 'http://[::ffff:7f00:1]/'],
    ['WHATWG IPv4 forms', 'http://0x7f.1/', 'http://127.0.0.1/'],
    ['a final dot in the host is kept', 'http://example.com./', 'http://example.com./'],
    ['query order is kept', 'http://example.com/?b=2&a=1', 'http://example.com/?b=2&a=1'],
    ['brackets in a query are kept (python-openid does too)', 'http://example.com/?a[]=1', 'http://example.com/?a[]=1'],
  ])('%s: %s → %s', (_rule, input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  test('RFC 3986 §6.2.3: the four equivalent forms normalize to one', () => {
    const forms = ['http://example.com', 'http://example.com/', 'http://example.com:/', 'http://example.com:80/'];
    expect(new Set(forms.map((form) => normalizeUrl(form)))).toEqual(new Set(['http://example.com/']));
  });

  test.each([
    ['http://example.com/user#1', 'http://example.com/user#1'],
    ['http://example.com/user#%7e%2f', 'http://example.com/user#~%2F'],
    ['http://example.com/user#', 'http://example.com/user#'],
    ['http://example.com/user', 'http://example.com/user'],
  ])('keepFragment keeps %s (§11.5.1)', (input, expected) => {
    expect(normalizeUrl(input, { keepFragment: true })).toBe(expected);
    expect(withoutFragment(normalizeUrl(input, { keepFragment: true }))).toBe(normalizeUrl(input));
  });

  test('parseHttpUrl gives the components and formatHttpUrl puts them back', () => {
    const parts = parseHttpUrl('HTTPS://Example.com:8443/a/../b?x=%7e#f');
    expect(parts).toEqual({ scheme: 'https', host: 'example.com', port: 8443, path: '/b', query: 'x=~', fragment: 'f' });
    expect(parseHttpUrl('http://example.com')).toMatchObject({ port: 80, path: '/', query: undefined, fragment: undefined });
    expect(formatHttpUrl(parts)).toBe('https://example.com:8443/b?x=~');
    expect(formatHttpUrl(parts, { keepFragment: true })).toBe('https://example.com:8443/b?x=~#f');
  });

  test('parsed authorities are reused per scheme, and a refused one is refused every time', () => {
    // The same authority under both schemes: the default port differs.
    expect(parseHttpUrl('http://Cache.example:443/a')).toMatchObject({ host: 'cache.example', port: 443 });
    expect(parseHttpUrl('https://Cache.example:443/a')).toMatchObject({ host: 'cache.example', port: 443 });
    expect(normalizeUrl('http://Cache.example:443/a')).toBe('http://cache.example:443/a');
    expect(normalizeUrl('https://Cache.example:443/a')).toBe('https://cache.example/a');
    expect(parseHttpUrl('http://cache.example/').port).toBe(80);
    expect(parseHttpUrl('https://cache.example/').port).toBe(443);
    // A cached result cannot be changed by a caller.
    const parts = parseHttpUrl('http://frozen.example/') as { host: string };
    expect(() => {
      parts.host = 'evil.example';
    }).not.toThrow();
    expect(parseHttpUrl('http://frozen.example/').host).toBe('frozen.example');
    for (let i = 0; i < 3; i += 1) expect(() => parseHttpUrl('http://bad_host.example:99999/')).toThrow(UrlError);
    // More authorities than the cache holds: every answer stays right.
    for (let i = 0; i < 1200; i += 1) expect(parseHttpUrl(`http://h${i}.example:${1000 + i}/`)).toMatchObject({ host: `h${i}.example`, port: 1000 + i });
    expect(parseHttpUrl('http://h3.example:1003/').port).toBe(1003);
  });

  test.each([
    ['an empty string', ''],
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['ftp:', 'ftp://example.com/'],
    ['file:', 'file:///etc/passwd'],
    ['a scheme-relative URL', '//example.com/'],
    ['a relative URL', '/path'],
    ['no //', 'http:example.com'],
    ['no host', 'http:///path'],
    ['only a port', 'http://:80/'],
    ['a CR/LF', 'http://example.com/\r\nLocation: http://evil.example/'],
    ['a LF in the host', 'http://exam\nple.com/'],
    ['a TAB', 'http://exa\tmple.com/'],
    ['a NUL', 'http://example.com/\0'],
    ['an escaped NUL in the host', 'http://exa%00mple.com/'],
    ['DEL', 'http://example.com/\x7f'],
    ['a C1 control', 'http://example.com/\u0085'],
    ['a space', 'http://example.com/a b'],
    ['a leading space', ' http://example.com/'],
    ['a no-break space', 'http://example.com/a\u00a0b'],
    ['a line separator', 'http://example.com/\u2028'],
    ['a right-to-left override', 'http://example.com/\u202egpj.exe'],
    ['a soft hyphen the host would lose', 'http://ex\u00adample.com/'],
    ['a zero-width space', 'http://exa\u200bmple.com/'],
    ['a byte order mark', '\ufeffhttp://example.com/'],
    ['a lone surrogate', 'http://example.com/\ud800'],
    ['a backslash', 'http://example.com\\@evil.example/'],
    ['a backslash in the path', 'http://example.com/a\\b'],
    ['a double quote', 'http://example.com/"x"'],
    ['angle brackets', 'http://example.com/<script>'],
    ['braces', 'http://example.com/{x}'],
    ['a pipe', 'http://example.com/a|b'],
    ['a caret', 'http://example.com/a^b'],
    ['a backtick', 'http://example.com/`'],
    ['a second #', 'http://example.com/a#b#c'],
    ['user information', 'http://user@example.com/'],
    ['a password', 'http://user:pw@example.com/'],
    ['empty user information', 'http://@example.com/'],
    ['a trusted host as user information', 'https://steamcommunity.com@evil.example/openid/id/76561197960287930'],
    ['an invalid escape', 'http://example.com/%zz'],
    ['a truncated escape', 'http://example.com/%4'],
    ['a bare %', 'http://example.com/100%'],
    ['an invalid escape in the query', 'http://example.com/?a=%g0'],
    ['a port out of range', 'http://example.com:99999/'],
    ['a port with letters', 'http://localhost:1900foo/'],
    ['two ports', 'http://example.com:80:90/'],
    ['a negative port', 'http://example.com:-1/'],
    ['a * in the host', 'http://*.example.com/'],
    ['a sub-delimiter in the host', 'http://ex$ample.com/'],
    ['an empty label', 'http://example..com/'],
    ['a leading dot', 'http://.example.com/'],
    ['an invalid IPv6 literal', 'http://[::g]/'],
    ['an IPv6 zone', 'http://[fe80::1%25eth0]/'],
    ['a host name that IDNA refuses', 'http://xn--a.example/'],
  ])('refuses %s', (_name, input) => {
    expect(() => normalizeUrl(input)).toThrow(UrlError);
  });

  test('error messages quote the input without raw CR/LF and keep it on the error', () => {
    const input = 'http://example.com/\r\nis_valid:true';
    try {
      normalizeUrl(input);
      throw new Error('normalizeUrl accepted CR/LF');
    } catch (error) {
      expect(error).toBeInstanceOf(UrlError);
      expect((error as UrlError).message).not.toMatch(/[\r\n]/);
      expect((error as UrlError).input).toBe(input);
      expect((error as UrlError).code).toBe('ERR_URL');
      expect((error as UrlError).status).toBe(400);
    }
  });

  test('refuses non-strings with a UrlError', () => {
    expect(() => normalizeUrl(undefined as unknown as string)).toThrow(UrlError);
    expect(() => normalizeUrl(42 as unknown as string)).toThrow(UrlError);
  });

  describe('properties over generated URLs', () => {
    const urls = generateUrls(600, { hosts: HOSTS, queryPieces: [...SEGMENT_PIECES, '?', '/', '[x]'] });

    test('normalization is idempotent', () => {
      for (const url of urls) {
        const once = normalizeUrl(url);
        expect(normalizeUrl(once)).toBe(once);
      }
    });

    test('the output is plain ASCII with upper-case escapes and no dot segments', () => {
      for (const url of urls) {
        const normalized = normalizeUrl(url);
        expect(normalized).toMatch(/^https?:\/\/[\x21-\x7e]+$/);
        expect(normalized).not.toMatch(/%[0-9A-F]?[a-f]/);
        expect(parseHttpUrl(normalized).path.split('/')).not.toEqual(expect.arrayContaining(['.', '..']));
      }
    });

    test('escaping unreserved characters and changing the scheme or host case changes nothing (§6.2.2)', () => {
      const random = prng(7);
      for (const url of urls) {
        const [, scheme, authority, rest] = /^([^:]+):\/\/([^/?]*)(.*)$/s.exec(url) as unknown as [string, string, string, string];
        const escaped = rest.replace(/%[0-9A-Fa-f]{2}|[A-Za-z0-9~-]/g, (text) =>
          text.length === 1 && random(4) === 0 ? `%${text.charCodeAt(0).toString(16)}` : text,
        );
        const variant = `${scheme.toUpperCase()}://${authority.toUpperCase()}${escaped}`;
        expect(normalizeUrl(variant)).toBe(normalizeUrl(url));
      }
    });
  });
});

describe('normalizeIdentifier (§7.2, Appendix A.1)', () => {
  test.each([
    ['A.1 missing scheme', 'example.com', 'http://example.com/'],
    ['A.1 empty path', 'http://example.com', 'http://example.com/'],
    ['A.1 https stays https', 'https://example.com/', 'https://example.com/'],
    ['A.1 no slash added to a path', 'http://example.com/user', 'http://example.com/user'],
    ['A.1 trailing slash kept', 'http://example.com/user/', 'http://example.com/user/'],
    ['A.1 root kept', 'http://example.com/', 'http://example.com/'],
    ['§7.2 whitespace trimmed, RFC 3986 §6 applied', '  Example.COM:80/a/../b  ', 'http://example.com/b'],
    ['§7.2 fragment stripped', 'https://example.com#frag', 'https://example.com/'],
    ['§7.2 scheme case', 'HTTP://example.com/user', 'http://example.com/user'],
    ['§7.2 host and port without a scheme', 'localhost:3000/user/alice', 'http://localhost:3000/user/alice'],
    ['§7.2 IPv6 without a scheme', '[::1]:8080/', 'http://[::1]:8080/'],
    ['§7.2 IDN without a scheme', 'bücher.example/ä', 'http://xn--bcher-kva.example/%C3%A4'],
    ['§7.2 xri:// before a URL', 'xri://http://example.com/', 'http://example.com/'],
  ])('%s: %j → %s', (_rule, input, expected) => {
    expect(normalizeIdentifier(input)).toEqual({ kind: 'url', value: expected });
  });

  test.each([
    ['A.1 =', '=example', '=example'],
    ['A.1 xri:// stripped', 'xri://=example', '=example'],
    ['§7.2 XRI:// in capitals', 'XRI://=example', '=example'],
    ['§7.2 trimmed', '  =example\n', '=example'],
    ['§7.2 @', '@example*foo', '@example*foo'],
    ['§7.2 +', '+tag', '+tag'],
    ['§7.2 $', '$dns', '$dns'],
    ['§7.2 !', '!!1000', '!!1000'],
    ['§7.2 (', '(http://example.com/)', '(http://example.com/)'],
    ['§7.2 not normalized further', '=Example/Path%7e', '=Example/Path%7e'],
  ])('XRI %s: %j', (_rule, input, expected) => {
    expect(normalizeIdentifier(input)).toEqual({ kind: 'xri', value: expected });
  });

  test.each([
    ['empty', ''],
    ['only whitespace', '   \t\n'],
    ['only xri://', 'xri://'],
    ['javascript:', 'javascript:alert(1)'],
    ['mailto:', 'mailto:alice@example.com'],
    ['ftp:', 'ftp://example.com/'],
    ['http: without //', 'http:example.com'],
    ['an e-mail address (user information)', 'alice@example.com'],
    ['a CR/LF inside', 'example.com/\r\nx'],
    ['a space inside', 'example .com'],
    ['an XRI with a LF', '=example\nis_valid:true'],
    ['an XRI with a space', '=exa mple'],
    ['an XRI with a zero-width space', '=exa\u200bmple'],
  ])('refuses %s', (_name, input) => {
    expect(() => normalizeIdentifier(input)).toThrow(UrlError);
  });
});

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  // python-openid's urinorm leaves the query alone (no escape normalization),
  // keeps IPv4 and IPv6 text as written and fails on non-ASCII hosts (it
  // decodes their UTF-8 escapes byte by byte): the generated set avoids all three.
  const urls = generateUrls(400, {
    hosts: ['Example.COM', 'xn--bcher-kva.example', '127.0.0.1', 'a.b.c', 'localhost'],
    queryPieces: ['a', 'B', 'é', '=', "'", '+', '/', '?', '(', '*'],
  });

  test('normalizeUrl agrees with urinorm on generated URLs (RFC 3986 §6)', async () => {
    const source = [
      'import json, sys',
      'from openid.urinorm import urinorm',
      'print(json.dumps([urinorm(url) for url in json.load(sys.stdin)]))',
    ].join('\n');
    const theirs = JSON.parse(await runPython(source, JSON.stringify(urls))) as string[];
    expect(urls.map((url) => normalizeUrl(url))).toEqual(theirs);
  });
});
