import { describeWith, pythonOpenIDAvailability, runPython } from 'openid-test-helpers';
import { Realm, returnToMatches } from '../src/realm.js';
import { RealmError } from '../src/errors.js';

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

describe('Realm.parse (§9.2)', () => {
  test.each([
    ['§9.2 wildcard', 'http://*.example.com/', { scheme: 'http', wildcard: true, host: 'example.com', port: 80, path: '/' }, 'http://*.example.com/'],
    ['§9.2 wildcard without a path', 'http://*.example.com', { wildcard: true, host: 'example.com', path: '/' }, 'http://*.example.com/'],
    ['§9.2 no path means /', 'http://example.com', { wildcard: false, host: 'example.com', port: 80, path: '/' }, 'http://example.com/'],
    ['§9.2 query kept in the path', 'HTTPS://Example.com:443/app?x=1', { scheme: 'https', host: 'example.com', port: 443, path: '/app?x=1' }, 'https://example.com/app?x=1'],
    ['§9.2 empty query ignored', 'http://example.com/app?', { path: '/app' }, 'http://example.com/app'],
    ['§9.2 wildcard with a port', 'http://*.example.com:8080/path', { wildcard: true, host: 'example.com', port: 8080, path: '/path' }, 'http://*.example.com:8080/path'],
    ['§9.2 IDN wildcard', 'http://*.Bücher.example/', { wildcard: true, host: 'xn--bcher-kva.example' }, 'http://*.xn--bcher-kva.example/'],
    ['RFC 3986 §6 path normalized', 'http://example.com/a/./b/../%7ec', { path: '/a/~c' }, 'http://example.com/a/~c'],
    ['IPv4', 'http://127.0.0.1:3001/', { wildcard: false, host: '127.0.0.1', port: 3001 }, 'http://127.0.0.1:3001/'],
    ['IPv6', 'http://[::1]/', { wildcard: false, host: '[::1]', port: 80 }, 'http://[::1]/'],
    ['bare wildcard', 'http://*/', { wildcard: true, host: '', port: 80, path: '/' }, 'http://*/'],
    ['bare wildcard with a port', 'https://*:8443', { wildcard: true, host: '', port: 8443, path: '/' }, 'https://*:8443/'],
    ['final dot kept', 'http://*.schtuff.com./', { wildcard: true, host: 'schtuff.com.' }, 'http://*.schtuff.com./'],
  ])('%s: %s', (_rule, text, fields, normalized) => {
    const realm = Realm.parse(text);
    expect(realm).toMatchObject(fields);
    expect(realm.toString()).toBe(normalized);
    expect(Realm.parse(realm.toString()).toString()).toBe(normalized);
  });

  test.each([
    ['§9.2 a fragment', 'http://example.com/#frag'],
    ['§9.2 an empty fragment', 'http://example.com/#'],
    ['§9.2 a wildcard inside a label', 'http://ex*ample.com/'],
    ['§9.2 a wildcard glued to a label', 'http://*example.com/'],
    ['§9.2 a wildcard in a later label', 'http://www.*.com/'],
    ['§9.2 a wildcard as the last label', 'http://www.*'],
    ['§9.2 two wildcards', 'http://*.*.example.com/'],
    ['§9.2 a wildcard in the path only', 'http://*.schtuff.*/'],
    ['§9.2 a wildcard without a domain', 'http://*./'],
    ['§9.2 another scheme', 'ftp://example.com/'],
    ['§9.2 another scheme with a wildcard', 'ftp://*.foo.com'],
    ['javascript:', 'javascript:alert(1)'],
    ['no scheme', 'baz.org'],
    ['no scheme with a wildcard', '*.foo.com'],
    ['a relative path', '/path'],
    ['no host', 'http:///'],
    ['nothing after //', 'http://'],
    ['an empty label', 'http://..it/'],
    ['a leading dot', 'http://.it/'],
    ['a backslash', 'http://foo.com\\/'],
    ['a port with letters', 'http://localhost:1900foo/'],
    ['two ports (python-openid accepts this one)', 'http://*.example.com:80:90/'],
    ['a port out of range', 'http://*:99999/'],
    ['user information', 'http://user@example.com/'],
    ['user information after a wildcard', 'http://*.trusted.example@evil.example/'],
    ['a control character', 'http://example.com/\r\n'],
    ['whitespace', ' http://example.com/'],
    ['an empty string', ''],
    ['only whitespace', ' \t\n '],
  ])('refuses %s', (_name, text) => {
    expect(() => Realm.parse(text)).toThrow(RealmError);
  });

  test('refuses non-strings and names the realm on the error', () => {
    expect(() => Realm.parse(5 as unknown as string)).toThrow(RealmError);
    expect(() => Realm.parse(null as unknown as string)).toThrow(RealmError);
    try {
      Realm.parse('http://*.:80/\r\nis_valid:true');
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(RealmError);
      expect((error as RealmError).realm).toBe('http://*.:80/\r\nis_valid:true');
      expect((error as RealmError).message).toMatch(/^The realm "/);
      expect((error as RealmError).message).not.toMatch(/[\r\n]/);
    }
  });
});

describe('realm.isSane() (§9.2 overly general realms)', () => {
  test.each([
    // python-openid's trust root cases (openid/test/data/trustroot.txt)
    ['http://*/', false],
    ['https://*/', false],
    ['http://*:8081/', false],
    ['http://*.com', false],
    ['http://*.com/', false],
    ['https://*.com/', false],
    ['http://*.com.au/', false],
    ['http://*.co.uk/', false],
    ['http://*.museum/', false],
    ['http://it/', false],
    ['http://*.schtuff.com./', true],
    ['http://*.schtuff.com/', true],
    ['http://*.foo.schtuff.com/', true],
    ['http://www.schtuff.com./', true],
    ['http://*.this.that.schtuff.com/', true],
    ['http://*.foo.com/path?action=foo2', true],
    ['http://x.foo.com/path?action=%3D', true],
    ['http://localhost:8081/', true],
    ['http://localhost:8082/?action=openid', true],
    ['https://foo.com/', true],
    ['http://kink.fm/should/be/sane', true],
    ['http://beta.lingu.no/', true],
    ['http://goathack.livejournal.org:8020/openid/login.bml', true],
    ['http://π.pi.example.com/', true],
    ['http://lambda.example.com/Λ', true],
    // Deliberately unlike python-openid, which requires a TLD from its own
    // list: names outside the Public Suffix List are intranet names, sane
    // without a wildcard and below one label.
    ['http://www.schtuffcom/', true],
    ['http://*.foo.notatld/', true],
    ['http://*.notatld/', false],
    // Public Suffix List, ICANN section
    ['http://*.example.co.uk/', true],
    ['http://co.uk/', false],
    ['http://com/', false],
    ['http://com./', false],
    ['http://*.com./', false],
    ['http://*.xn--p1ai/', false],
    ['http://*.公司.cn/', false],
    ['http://*.example.公司.cn/', true],
    // Public Suffix List, private section: names under github.io belong to different people
    ['http://*.github.io/', false],
    ['http://*.github.io./', false],
    ['http://github.io/', false],
    ['http://*.alice.github.io/', true],
    ['http://alice.github.io/', true],
    // IP addresses, localhost, intranet names
    ['http://127.0.0.1/', true],
    ['http://[::1]:3000/', true],
    ['http://*.127.0.0.1/', false],
    ['http://*.[::1]/', false],
    ['http://*.localhost/', false],
    ['http://intranet/', true],
    ['http://*.intranet/', false],
    ['http://*.rp.example/', true],
  ])('%s → %s', (text, sane) => {
    expect(Realm.parse(text).isSane()).toBe(sane);
  });
});

// python-openid's return_to matching cases (openid/test/data/trustroot.txt), then ours.
const MATCHES: Array<[string, string, boolean]> = [
  ['http://*/', 'http://cnn.com/', true],
  ['http://*/', 'http://met.museum/', true],
  ['http://*:8081/', 'http://met.museum:8081/', true],
  ['http://localhost:8081/x?action=openid', 'http://localhost:8081/x?action=openid', true],
  ['http://*.foo.com', 'http://b.foo.com', true],
  ['http://*.foo.com/', 'http://b.foo.com', true],
  ['http://b.foo.com/', 'http://b.foo.com', true],
  ['http://*.b.foo.com', 'http://b.foo.com/', true],
  ['http://*.b.foo.com', 'http://w.x.b.foo.com', true],
  ['http://*.bar.co.uk', 'http://www.bar.co.uk', true],
  ['http://*.uoregon.edu', 'http://x.cs.uoregon.edu', true],
  ['http://x.com/abc', 'http://x.com/abc/def', true],
  ['http://127.1/abc', 'http://127.1/abc', true],
  ['http://10.0.0.1/abc', 'http://10.0.0.1/abc', true],
  ['http://*.x.com', 'http://x.com/gallery', true],
  ['http://*.x.com/gallery', 'http://foo.x.com/gallery', true],
  ['http://foo.x.com', 'http://foo.x.com/gallery/xxx', true],
  ['http://goathack.livejournal.org:8020/', 'http://goathack.livejournal.org:8020/openid/login.bml', true],
  ['http://Foo.com', 'http://foo.com', true],
  ['http://foo.com', 'http://Foo.com', true],
  ['http://foo.com/?x=y', 'http://foo.com/?x=y&a=b', true],
  ['http://foo.com/x', 'http://foo.com/x?y', true],
  ['http://mylid.net/j3h.', 'http://mylid.net/j3h.?x=y', true],
  ['http://j3h.us', 'http://j3h.us?ride=unicycle', true],
  ['https://www.filmclans.com:443/mattmartin/FilmClans', 'https://www.filmclans.com/mattmartin/FilmClans/Logon.aspx?nonce=BVjqSOee', true],
  ['http://foo.com:80', 'http://foo.com', true],
  ['http://foo.com', 'http://foo.com:80', true],
  ['http://foo.com:80/', 'http://foo.com/stuff', true],
  ['http://foo.com/', 'HTTP://foo.com/', true],
  ['http://*/', 'ftp://foo.com/', false],
  ['http://*/', 'xxx', false],
  ['http://*.x.com/abc', 'http://foo.x.com', false],
  ['http://*.x.com/abc', 'http://*.x.com', false],
  ['http://*.com/', 'http://*.com/', false],
  ['http://x.com/abc', 'http://x.com/', false],
  ['http://x.com/abc', 'http://x.com/ab', false],
  ['http://x.com/abc', 'http://x.com/abcd', false],
  ['http://*.cs.uoregon.edu', 'http://x.uoregon.edu', false],
  ['http://*.foo.com', 'http://www.bar.com', false],
  ['http://*.bar.co.uk', 'http://xxx.co.uk', false],
  ['https://foo.com', 'http://foo.com', false],
  ['http://foo.com', 'https://foo.com', false],
  ['http://foo.com:81', 'http://foo.com:80', false],
  ['http://*:80', 'http://foo.com:81', false],
  ['http://foo.com/?a=b', 'http://foo.com/?x=y', false],
  ['http://foo.com/?a=b', 'http://foo.com/?x=y&a=b', false],
  ['http://foo.com/?a=b', 'http://foo.com/', false],
  ['http://*.oo.com/', 'http://foo.com/', false],
  ['http://foo.com/*', 'http://foo.com/anything', false],
  ['http://foo.com', 'http://foo.com:443', false],
  ['https://foo.com', 'https://foo.com:80', false],
  // Wildcards end on a label boundary.
  ['http://*.example.com/', 'http://badexample.com/', false],
  ['http://*.example.com/', 'http://example.com.evil.example/', false],
  ['http://*.example.com/', 'http://a.b.example.com/', true],
  ['http://example.com/', 'http://www.example.com/', false],
  // Paths end on a boundary.
  ['http://example.com/foo', 'http://example.com/foo', true],
  ['http://example.com/foo', 'http://example.com/foo/bar', true],
  ['http://example.com/foo', 'http://example.com/foobar', false],
  ['http://example.com/foo/', 'http://example.com/foo/bar', true],
  ['http://example.com/foo/', 'http://example.com/foo', false],
  ['http://example.com/app?x=1', 'http://example.com/app?x=1&y=2', true],
  ['http://example.com/app?x=1', 'http://example.com/app?x=12', false],
  ['http://example.com/app?x=1&', 'http://example.com/app?x=1&y=2', true],
  ['http://example.com/app?', 'http://example.com/app?x=1', true],
  // Both sides normalized first (RFC 3986 §6): case, punycode, escapes, dot segments, ports.
  ['http://Example.COM/', 'http://EXAMPLE.com/', true],
  ['http://bücher.example/', 'http://xn--bcher-kva.example/r', true],
  ['http://*.BÜCHER.example/', 'http://www.bücher.example/', true],
  ['http://example.com/foo', 'http://example.com/%66oo/bar', true],
  ['http://example.com/foo', 'http://example.com/foo/../secret', false],
  ['http://example.com/foo/', 'http://example.com/foo/%2e%2e/secret', false],
  ['http://[::1]:3000/', 'http://[0:0::1]:3000/cb', true],
  // A fragment of a return_to is ignored: it never reaches the server.
  ['http://example.com/foo', 'http://example.com/foo#bar', true],
  ['http://example.com/foo', 'http://example.com/foobar#/', false],
  // A final dot makes another host name: it fails closed.
  ['http://example.com/', 'http://example.com./', false],
  ['http://*.example.com/', 'http://www.example.com./', false],
  // Hostile return_to URLs never match.
  ['http://example.com/', 'javascript:alert(1)//http://example.com/', false],
  ['http://example.com/', 'http://example.com/\r\nX: y', false],
  ['http://example.com/', 'http://example.com@evil.example/', false],
  ['http://example.com/', 'http://evil.example\\@example.com/', false],
  ['http://example.com/', 'http://example.com/%zz', false],
  ['http://example.com/', 'not a url', false],
  ['http://example.com/', '', false],
];

describe('realm.matches(returnTo) (§9.2)', () => {
  test.each(MATCHES)('%s ∋ %s → %s', (realm, returnTo, expected) => {
    expect(Realm.parse(realm).matches(returnTo)).toBe(expected);
  });

  test('a non-string return_to does not match', () => {
    expect(Realm.parse('http://example.com/').matches(undefined as unknown as string)).toBe(false);
  });
});

describe('realm.buildDiscoveryURL() (§9.2.1)', () => {
  test.each([
    ['http://*.example.com/', 'http://www.example.com/'],
    ['https://*.example.com:8443/app?x=1', 'https://www.example.com:8443/app?x=1'],
    ['http://example.com', 'http://example.com/'],
    ['https://example.com:8443/app', 'https://example.com:8443/app'],
  ])('%s is discovered at %s', (realm, url) => {
    expect(Realm.parse(realm).buildDiscoveryURL()).toBe(url);
  });

  test('the bare wildcard names no domain to discover', () => {
    expect(() => Realm.parse('http://*/').buildDiscoveryURL()).toThrow(RealmError);
  });
});

describe('returnToMatches (§9.2.1, §13)', () => {
  const published = ['http://rp.example/return', 'https://rp.example:8443/openid?step=2', 'http://*.rp.example/', 'not a url'];
  test.each([
    ['http://rp.example/return', true],
    ['http://rp.example/return?state=1', true],
    ['http://rp.example/return/deeper', true],
    ['http://rp.example/returnx', false],
    ['https://rp.example:8443/openid?step=2&s=1', true],
    ['https://rp.example:8443/openid?step=3', false],
    // A published URL with a wildcard is ignored (§9.2.1 forbids them).
    ['http://www.rp.example/return', false],
    ['http://rp.example/', false],
    ['http://evil.example/return', false],
  ])('%s → %s', (returnTo, expected) => {
    expect(returnToMatches(published, returnTo)).toBe(expected);
  });

  test('no published URL matches nothing', () => {
    expect(returnToMatches([], 'http://rp.example/return')).toBe(false);
  });
});

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  // Generated realms and return_to URLs without the known differences:
  // percent-escapes (python-openid leaves the query alone), IPv4 short
  // forms and non-ASCII hosts.
  function generatePairs(count: number): Array<[string, string]> {
    const random = prng(0x7ea1);
    const pick = (list: readonly string[]): string => list[random(list.length)] as string;
    const hosts = ['example.com', 'www.example.com', 'a.www.example.com', 'badexample.com', 'EXAMPLE.com', 'example.org'];
    const paths = ['', '/', '/foo', '/foo/', '/foo/bar', '/foobar', '/foo?x=1', '/foo?x=1&y', '/foo?x=12', '/foo?', '/a/../foo', '/foo/./bar'];
    const ports = ['', ':80', ':8080', ':443'];
    return Array.from({ length: count }, () => {
      const scheme = pick(['http', 'https']);
      const realm = `${scheme}://${pick(['', '*.'])}${pick(hosts)}${pick(ports)}${pick(paths)}`;
      const returnTo = `${random(8) === 0 ? pick(['http', 'https']) : scheme}://${pick(hosts)}${pick(ports)}${pick(paths)}`;
      return [realm, returnTo];
    });
  }

  test('matches() agrees with TrustRoot.validateURL on generated pairs (§9.2)', async () => {
    const pairs = [...generatePairs(600), ...MATCHES.slice(0, 51).map(([realm, returnTo]): [string, string] => [realm, returnTo])];
    const source = [
      'import json, sys',
      'from openid.server.trustroot import TrustRoot',
      'pairs = json.load(sys.stdin)',
      'print(json.dumps([TrustRoot.parse(realm).validateURL(return_to) for realm, return_to in pairs]))',
    ].join('\n');
    const theirs = JSON.parse(await runPython(source, JSON.stringify(pairs))) as boolean[];
    const ours = pairs.map(([realm, returnTo]) => Realm.parse(realm).matches(returnTo));
    expect(pairs.map((pair, index) => [...pair, ours[index]])).toEqual(pairs.map((pair, index) => [...pair, theirs[index]]));
    expect(new Set(ours)).toEqual(new Set([true, false]));
  });
});
