import { parseHTMLDiscovery, sniffHTMLCharset } from '../../src/discovery/html.js';
import { fixture, fixtureBytes, hostile, html } from './fixtures/documents.js';

describe('HTML link discovery (§7.3.3)', () => {
  test('all four rels and the Yadis meta pointer', () => {
    const info = parseHTMLDiscovery(html(
      '<link rel="openid2.provider" href="http://op2/"><link rel="openid2.local_id" href="http://l2/">' +
        '<link rel="openid.server" href="http://op1/"><link rel="openid.delegate" href="http://d1/">' +
        '<meta http-equiv="X-XRDS-Location" content="http://x/xrds">',
    ));
    expect(info).toEqual({ provider2: 'http://op2/', localId2: 'http://l2/', provider1: 'http://op1/', delegate1: 'http://d1/', xrdsLocation: 'http://x/xrds' });
  });

  test('several rel tokens per link, any case, any whitespace, entities in href', () => {
    const info = parseHTMLDiscovery(html('<LINK REL="stylesheet\tOpenID2.Provider\n openid.server" HREF="http://op.example/?a=1&amp;b=2&#38;c=&#x33;">'));
    expect([info.provider2, info.provider1]).toEqual(['http://op.example/?a=1&b=2&c=3', 'http://op.example/?a=1&b=2&c=3']);
  });

  test('the first link of each kind wins', () => {
    const info = parseHTMLDiscovery(html('<link rel="openid2.provider" href="http://first/"><link rel="openid2.provider" href="http://second/">'));
    expect(info.provider2).toBe('http://first/');
  });

  test('rel values that merely contain a token do not count', () => {
    const info = parseHTMLDiscovery(html('<link rel="xopenid2.provider" href="http://a/"><link rel="openid2.providers" href="http://b/"><link rel="openid2.provider">'));
    expect(info.provider2).toBeUndefined();
  });

  test('malformed markup (fixture): links of the head are found, the body\'s are ignored', () => {
    const info = parseHTMLDiscovery(fixture('malformed.html', { base: 'http://b' }));
    expect(info).toEqual({
      provider2: 'http://b/op?a=1&b=2',
      provider1: 'http://b/op?a=1&b=2',
      localId2: 'http://b/users/alice',
      delegate1: 'http://b/users/alice',
      xrdsLocation: 'http://b/xrds-missing',
    });
  });

  test('links in the body are ignored', () => {
    expect(parseHTMLDiscovery(html('', '<link rel="openid2.provider" href="http://evil.example/">')).provider2).toBeUndefined();
  });

  test('links inside comments, scripts and attribute values are not links', () => {
    const info = parseHTMLDiscovery(html('<!-- <link rel="openid2.provider" href="http://a/"> --><script>"<link rel=openid2.provider href=http://b/>"</script><meta name="x" content="<link rel=openid2.provider href=http://c/>">'));
    expect(info.provider2).toBeUndefined();
  });

  test('pages that are not HTML at all give nothing', () => {
    expect(parseHTMLDiscovery('')).toEqual(parseHTMLDiscovery('just text'));
    expect(parseHTMLDiscovery('\u0000\u0001<<<>>>&&&;').provider2).toBeUndefined();
  });

  test('a head of 300 000 unclosed elements ends at the nesting bound (links before it are kept)', () => {
    const info = parseHTMLDiscovery(hostile.unclosedHead(300_000, '<link rel="openid2.provider" href="http://op/">'));
    expect(info.provider2).toBe('http://op/');
    const late = parseHTMLDiscovery(`${hostile.unclosedHead(300_000, '')}<link rel="openid2.provider" href="http://late/">`);
    expect(late.provider2).toBeUndefined();
  });
});

describe('sniffHTMLCharset', () => {
  test.each([
    ['<html><head><meta charset="ISO-8859-1">', 'iso-8859-1'],
    ['<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">', 'windows-1252'],
    ["<META CHARSET='utf-8'>", 'utf-8'],
    ['<html>', undefined],
    [`${' '.repeat(3000)}<meta charset="iso-8859-1">`, undefined],
  ])('%j → %s', (head, charset) => {
    expect(sniffHTMLCharset(Buffer.from(head))).toBe(charset);
  });

  test('the windows-1252 fixture declares its charset', () => {
    expect(sniffHTMLCharset(fixtureBytes('windows-1252.html'))).toBe('windows-1252');
  });
});
