import { parseHTMLDiscovery, sniffHTMLCharset } from '../../src/discovery/html.js';
import { endpointsFromHTML } from '../../src/discovery/services.js';
import { html } from './fixtures.js';

const CLAIMED = 'http://user.example/';

describe('HTML discovery (§7.3.3)', () => {
  test('2.0 and 1.x links, 2.0 first', () => {
    const info = parseHTMLDiscovery(html(
      '<link rel="openid.server" href="http://op1.example/"><link rel="openid.delegate" href="http://d.example/">' +
        '<link rel="openid2.provider" href="http://op2.example/"><link rel="openid2.local_id" href="http://l.example/">',
    ));
    const endpoints = endpointsFromHTML(info, CLAIMED, CLAIMED);
    expect(endpoints.map((e) => [e.version, e.serverUrl, e.getLocalId()])).toEqual([
      ['2.0', 'http://op2.example/', 'http://l.example/'],
      ['1.1', 'http://op1.example/', 'http://d.example/'],
    ]);
  });

  test('several rel tokens per link, any case, entities in href', () => {
    const info = parseHTMLDiscovery(html('<LINK REL="stylesheet OpenID2.Provider openid.server" HREF="http://op.example/?a=1&amp;b=2">'));
    expect(info.provider2).toBe('http://op.example/?a=1&b=2');
    expect(info.provider1).toBe('http://op.example/?a=1&b=2');
  });

  test('1.x only and 2.0 only pages', () => {
    expect(endpointsFromHTML(parseHTMLDiscovery(html('<link rel="openid.server" href="http://op1.example/">')), CLAIMED, CLAIMED).map((e) => e.version)).toEqual(['1.1']);
    expect(endpointsFromHTML(parseHTMLDiscovery(html('<link rel="openid2.provider" href="http://op2.example/">')), CLAIMED, CLAIMED).map((e) => e.version)).toEqual(['2.0']);
  });

  test('malformed markup still yields the links of the head', () => {
    const info = parseHTMLDiscovery('<html><head></div><title>x</title><link rel=openid2.provider href=http://op.example/ ><p><meta http-equiv="X-XRDS-Location" content="http://x.example/xrds"');
    expect(info.provider2).toBe('http://op.example/');
  });

  test('links in the body are ignored', () => {
    const info = parseHTMLDiscovery(html('', '<link rel="openid2.provider" href="http://evil.example/">'));
    expect(info.provider2).toBeUndefined();
  });

  test('relative and non-http hrefs', () => {
    const info = parseHTMLDiscovery(html('<link rel="openid2.provider" href="/op"><link rel="openid.server" href="javascript:alert(1)">'));
    const endpoints = endpointsFromHTML(info, CLAIMED, 'http://user.example/page');
    expect(endpoints.map((e) => e.serverUrl)).toEqual(['http://user.example/op']);
  });

  test('the Yadis meta pointer and declared charsets are read', () => {
    expect(parseHTMLDiscovery(html('<meta http-equiv="x-xrds-location" content=" http://x.example/xrds ">')).xrdsLocation).toBe('http://x.example/xrds');
    expect(sniffHTMLCharset(Buffer.from('<html><head><meta charset="ISO-8859-1">'))).toBe('iso-8859-1');
    expect(sniffHTMLCharset(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'))).toBe('windows-1252');
    expect(sniffHTMLCharset(Buffer.from('<html>'))).toBeUndefined();
  });
});
