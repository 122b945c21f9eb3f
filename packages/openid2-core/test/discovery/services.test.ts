import { parseXRDS } from '../../src/discovery/xrds.js';
import { endpointsFromHTML, endpointsFromServices } from '../../src/discovery/services.js';
import { sortEndpoints } from '../../src/discovery/endpoint.js';
import { parseHTMLDiscovery } from '../../src/discovery/html.js';
import { DiscoveryError } from '../../src/errors.js';
import { OPENID_1_0_TYPE, OPENID_1_1_TYPE, OPENID_2_0_TYPE } from '../../src/constants.js';
import { fixture, html, opIdentifier, service, signon1, signon2, xrds } from './fixtures/documents.js';

const CLAIMED = 'http://user.example/';
const context = { claimedId: CLAIMED, identifier: CLAIMED };
const fromXRDS = (doc: string) => sortEndpoints(endpointsFromServices(parseXRDS(doc).services, context));

describe('endpoints of XRDS services (§7.3.2.1, §7.3.2.2)', () => {
  test('the realistic document: OP Identifier first, then 2.0 by URI priority, then 1.x; other services ignored', () => {
    const endpoints = sortEndpoints(endpointsFromServices(parseXRDS(fixture('priorities.xrds', { base: 'http://b' })).services, context));
    expect(endpoints.map((e) => [e.isOPIdentifier, e.version, e.opEndpoint, e.claimedId, e.getLocalId(), e.priority])).toEqual([
      [true, '2.0', 'http://b/idp', undefined, undefined, undefined],
      [false, '2.0', 'http://b/op2', CLAIMED, 'http://b/users/alice', 10],
      [false, '2.0', 'http://b/op2-backup', CLAIMED, 'http://b/users/alice', 10],
      [false, '1.1', 'http://b/op1', CLAIMED, 'http://b/users/alice', 20],
    ]);
    expect(endpoints.every((e) => e.usedYadis)).toBe(true);
    expect(endpoints[3]?.supportsType('http://openid.net/sreg/1.0')).toBe(true);
    expect(endpoints[1]?.supportsType('http://openid.net/sreg/1.0')).toBe(false);
  });

  test('LocalID for 2.0, openid:Delegate for 1.x; each ignored for the other version', () => {
    const doc = xrds(
      service([OPENID_2_0_TYPE], ['http://op2.example/'], '<LocalID>http://local2.example/</LocalID><openid:Delegate>http://ignored.example/</openid:Delegate>'),
      service([OPENID_1_0_TYPE], ['http://op1.example/'], '<openid:Delegate>http://delegate.example/</openid:Delegate><LocalID>http://ignored.example/</LocalID>'),
    );
    expect(fromXRDS(doc).map((e) => [e.version, e.getLocalId()])).toEqual([['2.0', 'http://local2.example/'], ['1.0', 'http://delegate.example/']]);
  });

  test.each([
    ['LocalID and Delegate disagree', '<LocalID>http://a.example/</LocalID><openid:Delegate>http://b.example/</openid:Delegate>'],
    ['two LocalIDs disagree', '<LocalID>http://a.example/</LocalID><LocalID>http://b.example/</LocalID>'],
    ['two Delegates disagree', '<openid:Delegate>http://a.example/</openid:Delegate><openid:Delegate>http://b.example/</openid:Delegate>'],
  ])('a service of both versions whose %s fails discovery rather than guess', (_name, extra) => {
    const doc = xrds(service([OPENID_2_0_TYPE, OPENID_1_1_TYPE], ['http://op.example/'], extra));
    expect(() => endpointsFromServices(parseXRDS(doc).services, context)).toThrow(DiscoveryError);
    expect(() => endpointsFromServices(parseXRDS(doc).services, context)).toThrow(/disagree/);
  });

  test('agreeing LocalID and Delegate are fine; a local identifier equal to the claimed one is none', () => {
    const agreeing = xrds(service([OPENID_2_0_TYPE, OPENID_1_1_TYPE], ['http://op.example/'], '<LocalID>http://a.example</LocalID><openid:Delegate>HTTP://A.EXAMPLE/</openid:Delegate>'));
    expect(fromXRDS(agreeing).map((e) => e.getLocalId())).toEqual(['http://a.example/']); // the same URL once normalized
    const same = xrds(signon2('http://op.example/', CLAIMED));
    expect(fromXRDS(same).map((e) => [e.localId, e.getLocalId()])).toEqual([[undefined, CLAIMED]]);
  });

  test('services without OpenID types, without URIs, or with non-http URIs give no endpoints', () => {
    const doc = xrds(
      service(['http://example.com/other'], ['http://x.example/']),
      service([OPENID_2_0_TYPE], ['javascript:alert(1)', 'file:///etc/passwd', 'http://user@evil.example/']),
      service([OPENID_2_0_TYPE], []),
    );
    expect(fromXRDS(doc)).toEqual([]);
  });

  test('OP endpoint URLs are normalized', () => {
    expect(fromXRDS(xrds(signon2('HTTP://OP.Example:80/a/../server'))).map((e) => e.opEndpoint)).toEqual(['http://op.example/server']);
  });

  test('ordering: OP Identifier, then 2.0, then 1.x, then priority, whatever the document order', () => {
    const doc = xrds(signon1('http://op1.example/'), service([OPENID_2_0_TYPE], ['http://op2-late.example/'], '', 9), signon2('http://op2.example/'), opIdentifier('http://idp.example/'));
    expect(fromXRDS(doc).map((e) => e.opEndpoint)).toEqual(['http://idp.example/', 'http://op2-late.example/', 'http://op2.example/', 'http://op1.example/']);
  });

  test('a display identifier can be given (an XRI\'s i-name)', () => {
    const endpoints = endpointsFromServices(parseXRDS(xrds(signon2('http://op.example/'))).services, { claimedId: '=!1', identifier: '=alice', displayIdentifier: '=alice' });
    expect(endpoints.map((e) => [e.claimedId, e.displayIdentifier])).toEqual([['=!1', '=alice']]);
  });
});

describe('endpoints of HTML links (§7.3.3)', () => {
  const fromHTML = (head: string, page = CLAIMED) => endpointsFromHTML(parseHTMLDiscovery(html(head)), CLAIMED, page);

  test('2.0 and 1.x links, 2.0 first, each with its own local identifier', () => {
    const endpoints = fromHTML(
      '<link rel="openid.server" href="http://op1.example/"><link rel="openid.delegate" href="http://d.example/">' +
        '<link rel="openid2.provider" href="http://op2.example/"><link rel="openid2.local_id" href="http://l.example/">',
    );
    expect(endpoints.map((e) => [e.version, e.opEndpoint, e.getLocalId(), e.usedYadis])).toEqual([
      ['2.0', 'http://op2.example/', 'http://l.example/', false],
      ['1.1', 'http://op1.example/', 'http://d.example/', false],
    ]);
  });

  test('1.x only and 2.0 only pages', () => {
    expect(fromHTML('<link rel="openid.server" href="http://op1.example/">').map((e) => e.version)).toEqual(['1.1']);
    expect(fromHTML('<link rel="openid2.provider" href="http://op2.example/">').map((e) => e.version)).toEqual(['2.0']);
  });

  test('a local identifier without a provider gives nothing', () => {
    expect(fromHTML('<link rel="openid2.local_id" href="http://l.example/"><link rel="openid.delegate" href="http://d.example/">')).toEqual([]);
  });

  test('relative hrefs resolve against the page; non-http hrefs are dropped', () => {
    const endpoints = fromHTML('<link rel="openid2.provider" href="/op"><link rel="openid.server" href="javascript:alert(1)">', 'http://user.example/page');
    expect(endpoints.map((e) => e.opEndpoint)).toEqual(['http://user.example/op']);
  });
});
