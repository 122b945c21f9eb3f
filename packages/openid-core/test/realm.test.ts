import { Realm, returnToMatches } from '../src/realm.js';
import { RealmError } from '../src/errors.js';

describe('Realm.parse (§9.2)', () => {
  test.each([
    ['http://*.example.com/', { wildcard: true, host: 'example.com', port: 80, path: '/' }, 'http://*.example.com/'],
    ['http://example.com', { wildcard: false, host: 'example.com', port: 80, path: '/' }, 'http://example.com/'],
    ['HTTPS://Example.com:443/app?x=1', { wildcard: false, host: 'example.com', port: 443, path: '/app?x=1' }, 'https://example.com/app?x=1'],
    ['http://*.example.com:8080/path', { wildcard: true, host: 'example.com', port: 8080, path: '/path' }, 'http://*.example.com:8080/path'],
    ['http://127.0.0.1:3001/', { wildcard: false, host: '127.0.0.1', port: 3001, path: '/' }, 'http://127.0.0.1:3001/'],
    ['http://[::1]/', { wildcard: false, host: '::1', port: 80, path: '/' }, 'http://[::1]/'],
  ])('%s', (text, fields, normalized) => {
    const realm = Realm.parse(text);
    expect(realm).toMatchObject(fields);
    expect(realm.toString()).toBe(normalized);
  });

  test.each([
    ['a fragment', 'http://example.com/#frag'],
    ['a wildcard inside a label', 'http://ex*ample.com/'],
    ['a wildcard in a later label', 'http://www.*.com/'],
    ['two wildcards', 'http://*.*.example.com/'],
    ['another scheme', 'ftp://example.com/'],
    ['javascript:', 'javascript:alert(1)'],
    ['a relative path', '/path'],
    ['user information', 'http://user@example.com/'],
    ['a control character', 'http://example.com/\r\n'],
  ])('refuses %s', (_name, text) => {
    expect(() => Realm.parse(text)).toThrow(RealmError);
  });
});

describe('realm.isSane()', () => {
  test.each([
    ['http://example.com/', true],
    ['http://*.example.com/', true],
    ['http://*.example.co.uk/', true],
    ['http://localhost:3001/', true],
    ['http://127.0.0.1/', true],
    ['http://www.github.io/', true],
    ['http://*.alice.github.io/', true],
    ['http://*.com/', false],
    ['http://*.co.uk/', false],
    ['http://*.github.io/', false],
    ['http://com/', false],
    ['http://co.uk/', false],
    ['http://*.127.0.0.1/', false],
    ['http://*/', false],
    ['http://*.localhost/', false],
    ['http://intranet/', true],
    ['http://example.notatld/', true],
    ['http://*.rp.example/', true],
    ['http://*.notatld/', false],
    ['http://*.intranet/', false],
    ['http://github.io/', false],
  ])('%s → %s', (text, sane) => {
    expect(Realm.parse(text).isSane()).toBe(sane);
  });
});

describe('realm.matches(returnTo) (§9.2)', () => {
  test.each([
    ['http://example.com/', 'http://example.com/', true],
    ['http://example.com/', 'http://example.com/path?x=1', true],
    ['http://*.example.com/', 'http://example.com/', true],
    ['http://*.example.com/', 'http://www.example.com/return', true],
    ['http://*.example.com/', 'http://a.b.example.com/', true],
    ['http://*.example.com/', 'http://badexample.com/', false],
    ['http://*.example.com/', 'http://example.com.evil.example/', false],
    ['http://example.com/', 'http://www.example.com/', false],
    ['http://example.com/', 'https://example.com/', false],
    ['http://example.com/', 'http://example.com:8080/', false],
    ['http://example.com:80/', 'http://example.com/', true],
    ['http://example.com/foo', 'http://example.com/foo', true],
    ['http://example.com/foo', 'http://example.com/foo/bar', true],
    ['http://example.com/foo', 'http://example.com/foo?x=1', true],
    ['http://example.com/foo', 'http://example.com/foobar', false],
    ['http://example.com/foo/', 'http://example.com/foo/bar', true],
    ['http://example.com/app?x=1', 'http://example.com/app?x=1&y=2', true],
    ['http://example.com/app?x=1', 'http://example.com/app?x=12', false],
    ['http://Example.COM/', 'http://EXAMPLE.com/', true],
    ['http://bücher.example/', 'http://xn--bcher-kva.example/r', true],
    ['http://example.com/', 'javascript:alert(1)', false],
    ['http://example.com/', 'http://example.com/\r\nX: y', false],
    ['http://example.com/', 'not a url', false],
  ])('%s ∋ %s → %s', (realm, returnTo, expected) => {
    expect(Realm.parse(realm).matches(returnTo)).toBe(expected);
  });

  test('discovery URL of a wildcard realm uses www. (§9.2.1)', () => {
    expect(Realm.parse('http://*.example.com/').buildDiscoveryURL()).toBe('http://www.example.com/');
    expect(Realm.parse('https://example.com:8443/app').buildDiscoveryURL()).toBe('https://example.com:8443/app');
  });

  test('returnToMatches compares against published return_to URLs without wildcards (§13)', () => {
    const published = ['http://rp.example/return', 'http://*.rp.example/'];
    expect(returnToMatches(published, 'http://rp.example/return?state=1')).toBe(true);
    expect(returnToMatches(published, 'http://www.rp.example/return')).toBe(false);
    expect(returnToMatches(['not a url'], 'http://rp.example/')).toBe(false);
  });
});
