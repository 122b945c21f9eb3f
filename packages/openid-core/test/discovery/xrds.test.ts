import { parseXRDS } from '../../src/discovery/xrds.js';
import { endpointsFromServices } from '../../src/discovery/services.js';
import { sortEndpoints } from '../../src/discovery/endpoint.js';
import { DiscoveryError } from '../../src/errors.js';
import { OPENID_1_1_TYPE, OPENID_2_0_TYPE } from '../../src/constants.js';
import { xrds, multiXrds, service, signon1, signon2, opIdentifier, BILLION_LAUGHS, EXTERNAL_ENTITY } from './fixtures.js';

const CLAIMED = 'http://user.example/';

describe('XRDS parsing (§7.3.2)', () => {
  test('services sorted by priority, URIs by priority, missing priority last', () => {
    const doc = xrds(
      service([OPENID_2_0_TYPE], ['http://c.example/']),
      service([OPENID_2_0_TYPE], [['http://b2.example/', 20], ['http://b1.example/', 10]], '', 5),
      service([OPENID_2_0_TYPE], ['http://a.example/'], '', 0),
    );
    const { services } = parseXRDS(doc);
    expect(services.map((s) => s.uris)).toEqual([['http://a.example/'], ['http://b1.example/', 'http://b2.example/'], ['http://c.example/']]);
  });

  test('only the last XRD counts', () => {
    const doc = multiXrds(signon2('http://first.example/'), signon2('http://last.example/'));
    expect(parseXRDS(doc).services.map((s) => s.uris[0])).toEqual(['http://last.example/']);
  });

  test('LocalID for 2.0, openid:Delegate for 1.x', () => {
    const endpoints = endpointsFromServices(parseXRDS(xrds(signon2('http://op2.example/', 'http://local2.example/'), signon1('http://op1.example/', 'http://delegate.example/'))).services, CLAIMED, CLAIMED);
    expect(endpoints.map((e) => [e.version, e.serverUrl, e.getLocalId()])).toEqual([
      ['2.0', 'http://op2.example/', 'http://local2.example/'],
      ['1.1', 'http://op1.example/', 'http://delegate.example/'],
    ]);
  });

  test('a service whose LocalID and Delegate disagree fails discovery', () => {
    const doc = xrds(service([OPENID_2_0_TYPE, OPENID_1_1_TYPE], ['http://op.example/'], '<LocalID>http://a.example/</LocalID><openid:Delegate>http://b.example/</openid:Delegate>'));
    expect(() => endpointsFromServices(parseXRDS(doc).services, CLAIMED, CLAIMED)).toThrow(DiscoveryError);
  });

  test('agreeing LocalID and Delegate are fine', () => {
    const doc = xrds(service([OPENID_2_0_TYPE, OPENID_1_1_TYPE], ['http://op.example/'], '<LocalID>http://a.example/</LocalID><openid:Delegate>http://a.example/</openid:Delegate>'));
    expect(endpointsFromServices(parseXRDS(doc).services, CLAIMED, CLAIMED)[0]?.getLocalId()).toBe('http://a.example/');
  });

  test('OP Identifier elements come first, then 2.0, then 1.x', () => {
    const doc = xrds(signon1('http://op1.example/'), signon2('http://op2.example/'), opIdentifier('http://idp.example/'));
    const endpoints = sortEndpoints(endpointsFromServices(parseXRDS(doc).services, CLAIMED, CLAIMED));
    expect(endpoints.map((e) => [e.isOPIdentifier, e.version, e.claimedId])).toEqual([
      [true, '2.0', undefined],
      [false, '2.0', CLAIMED],
      [false, '1.1', CLAIMED],
    ]);
  });

  test('services without OpenID types, or with non-http URIs, give no endpoints', () => {
    const doc = xrds(service(['http://example.com/other'], ['http://x.example/']), service([OPENID_2_0_TYPE], ['javascript:alert(1)']));
    expect(endpointsFromServices(parseXRDS(doc).services, CLAIMED, CLAIMED)).toEqual([]);
  });

  test.each([
    ['an entity expansion (billion laughs)', BILLION_LAUGHS],
    ['an external entity', EXTERNAL_ENTITY],
    ['a DOCTYPE without entities', '<!DOCTYPE x><xrds:XRDS xmlns:xrds="xri://$xrds"/>'],
    ['malformed XML', '<xrds:XRDS xmlns:xrds="xri://$xrds"><XRD>'],
    ['another root element', '<html><body/></html>'],
    ['an XRDS without XRD', '<xrds:XRDS xmlns:xrds="xri://$xrds"></xrds:XRDS>'],
    ['an empty document', ''],
  ])('refuses %s with a DiscoveryError', (_name, doc) => {
    expect(() => parseXRDS(doc)).toThrow(DiscoveryError);
  });
});
