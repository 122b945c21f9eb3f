/**
 * §11.1: return_to must be the URL the answer arrived at (scheme, host,
 * port, path), with every return_to query argument present and equal. The
 * same rule for GET and POST answers.
 */
import type { CompletionResult } from '../../../src/consumer/result.js';
import { QueryArgs, splitCurrentUrl } from '../../../src/consumer/verify/return-to.js';
import { startOP, type TestOP } from '../op.js';
import { forgeAssertion, knownAssociation } from '../forge.js';
import { assertionUrl, expectFailure, party, REALM, RP, returnToFor } from '../parties.js';

let op: TestOP;
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

/** The real answer, arriving at a URL changed by `change`. */
async function arrivingAt(change: (url: URL) => void): Promise<{ result: CompletionResult }> {
  const rp = party();
  const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`, { returnTo: `${RP}?next=%2Fhome` }));
  change(url);
  // The openid.* arguments as the message, the whole URL as where it arrived.
  const args = new URLSearchParams([...url.searchParams].filter(([key]) => key.startsWith('openid.')));
  return { result: await rp.consumer.complete(rp.sessionStore, args, url.href) };
}

describe('return_to against the URL the answer arrived at', () => {
  test.each<[string, (url: URL) => void]>([
    ['another path', (url) => void (url.pathname = '/other')],
    ['another host', (url) => void (url.host = 'evil.example')],
    ['another port', (url) => void (url.port = '8080')],
    ['another scheme', (url) => void (url.protocol = 'https:')],
    ['a return_to argument changed', (url) => url.searchParams.set('next', '/evil')],
    ['a return_to argument missing', (url) => url.searchParams.delete('next')],
    ['a return_to argument given twice', (url) => url.searchParams.append('next', '/home')],
    ['the transaction id changed', (url) => url.searchParams.set('openid_tx', 'A'.repeat(32))],
  ])('%s: return_to_mismatch (or no transaction)', async (name, change) => {
    const { result } = await arrivingAt(change);
    // A changed transaction id finds no transaction: the earlier check.
    expectFailure(result, name === 'the transaction id changed' ? 'unsolicited_assertion' : 'return_to_mismatch');
  });

  test('a signed return_to for another site: return_to_mismatch before any signature or discovery work', async () => {
    const rp = party({ withStore: false });
    await returnToFor(rp, `${op.base}/user/alice`);
    const before = op.http.requests.length;
    const elsewhere = forgeAssertion({ association: knownAssociation(), opEndpoint: op.endpoint, claimedId: `${op.base}/user/alice`, returnTo: 'http://evil.example/return' });
    const arrived = new URL(elsewhere);
    const tx = Object.values(rp.session.openidTransactions as Record<string, { id: string }>)[0]?.id as string;
    expectFailure(await rp.consumer.complete(rp.sessionStore, arrived.searchParams, `${RP}?openid_tx=${tx}`), 'return_to_mismatch');
    expect(op.http.requests.length).toBe(before);
  });

  test('a POSTed answer with a changed return_to: return_to_mismatch (the POST path checks it too)', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    const body = new URLSearchParams([...url.searchParams].filter(([key]) => key.startsWith('openid.')));
    body.set('openid.return_to', 'http://evil.example/return');
    for (const key of [...body.keys()]) url.searchParams.delete(key);
    expectFailure(await rp.consumer.complete(rp.sessionStore, body, url.href), 'return_to_mismatch');
  });

  test('equivalent URLs match: default port, case of scheme and host', async () => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    const arrived = url.href.replace('http://rp.example/', 'HTTP://RP.EXAMPLE:80/');
    expect(await rp.consumer.complete(rp.sessionStore, url.searchParams, arrived)).toMatchObject({ status: 'success' });
  });

  test.each([
    ['a relative URL', (query: string) => `/return?${query}`],
    ['an ftp URL', (query: string) => `ftp://rp.example/return?${query}`],
    ['a URL with a space in its host', (query: string) => `http://rp example/return?${query}`],
  ])('a current URL that is %s: invalid_message, and the login can still complete at the right URL', async (_name, at) => {
    const rp = party();
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    expectFailure(await rp.consumer.complete(rp.sessionStore, url.searchParams, at(url.search.slice(1))), 'invalid_message');
    expect(await rp.consumer.complete(rp.sessionStore, url.searchParams, url.href)).toMatchObject({ status: 'success' });
  });

  test('alternating current URLs are each compared with their own parts (the parsed base is reused only for the same text)', async () => {
    // Each answer can be tried once (its transaction leaves the session first): one party per attempt.
    const attempts: Array<[(href: string) => string, 'success' | 'return_to_mismatch']> = [
      [(href) => href.replace('rp.example/', 'rp.example/other'), 'return_to_mismatch'],
      [(href) => href, 'success'],
      [(href) => href.replace('http://', 'https://'), 'return_to_mismatch'],
      [(href) => href, 'success'],
      [(href) => href.replace('rp.example/', 'rp.example:8080/'), 'return_to_mismatch'],
    ];
    for (const [arriving, outcome] of attempts) {
      const rp = party();
      const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
      const result = await rp.consumer.complete(rp.sessionStore, url.searchParams, arriving(url.href));
      if (outcome === 'success') expect(result).toMatchObject({ status: 'success' });
      else expectFailure(result, outcome);
    }
  });

  test('a realm that does not cover return_to is refused before the request is made', async () => {
    const rp = party();
    const auth = await rp.consumer.begin(rp.sessionStore, `${op.base}/user/alice`);
    expect(() => auth.redirectUrl('http://other.example/', RP)).toThrow(/does not cover/);
    expect(() => auth.redirectUrl(REALM, 'javascript:alert(1)')).toThrow(/http/);
  });
});

describe('the current URL is read lazily, with the same values URLSearchParams gives', () => {
  const queries = [
    '',
    'a=1&b=2&a=3',
    'openid_tx=abc&openid.sig=x%2By%3D&next=%2Fhome',
    'a+b=c+d&a%20b=e&a%2Bb=plus',
    'x&y=&=z&&x=',
    'k=v=w&k=%ZZ&k=%e2%82%ac&k=%E2%82&k=%C3%A9t%C3%A9',
    'op%65nid_tx=encoded-name&openid_tx=plain',
    'caf%C3%A9=1&café=2',
    'k=%ED%A0%80&k=a+b%2Bc&k=%2&k=100%&k=%F0%9F%98%80+x&k=%c3%a9',
    '&&openid_tx=lead&',
    '?openid_tx=after-a-question-mark&?x=1',
    'openid_txx=longer&openid_t=shorter&openid_tx==eq&openid_tx=a=b',
    'k&k=&k==&=&==&&=k',
    'a%=1&a+=2&+a=3&a%2=4',
  ];
  test.each(queries)('%j', (query) => {
    const expected = new URLSearchParams(query);
    const actual = new QueryArgs(query);
    for (const name of new Set([...expected.keys(), 'absent', 'openid_tx', 'openid_t', 'a b', 'k', 'x', '', 'a', ' a', 'a '])) {
      expect([name, actual.getAll(name)]).toEqual([name, expected.getAll(name)]);
      expect(actual.get(name)).toBe(expected.get(name));
    }
  });

  test('splitCurrentUrl: the base and the query, a fragment left out', () => {
    expect(splitCurrentUrl('http://rp.example/return?openid_tx=a&b=c#frag').base).toBe('http://rp.example/return');
    expect(splitCurrentUrl('http://rp.example/return?openid_tx=a&b=c#frag').args.get('b')).toBe('c');
    expect(splitCurrentUrl('http://rp.example/return#frag?openid_tx=a').args.get('openid_tx')).toBeNull();
    expect(splitCurrentUrl('http://rp.example/return').args.getAll('x')).toEqual([]);
  });
});
