import { parseXRDS } from '../../src/discovery/xrds.js';
import { DiscoveryError } from '../../src/errors.js';
import { OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE } from '../../src/constants.js';
import { fixture, hostile, multiXrds, service, signon2, xrds } from './fixtures/documents.js';

function refusal(document: string): DiscoveryError {
  try {
    parseXRDS(document, 'http://user.example/');
  } catch (error) {
    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as DiscoveryError).identifier).toBe('http://user.example/');
    return error as DiscoveryError;
  }
  throw new Error('expected a DiscoveryError');
}

describe('XRDS parsing (OpenID 2.0 §7.3.2, XRI Resolution 2.0 §4)', () => {
  test('a realistic document: services by priority (missing last), URIs by priority, types, LocalID, Delegate', () => {
    const { services } = parseXRDS(fixture('priorities.xrds', { base: 'http://b' }));
    expect(services.map((s) => [s.priority, s.types[0], s.uris])).toEqual([
      [0, 'http://example.com/some-other-service', ['http://b/other']],
      [1, OPENID_2_0_TYPE, []],
      [1, undefined, ['http://b/untyped']],
      [10, OPENID_2_0_TYPE, ['http://b/op2', 'http://b/op2-backup']],
      [20, OPENID_1_1_TYPE, ['http://b/op1']],
      [undefined, OPENID_IDP_2_0_TYPE, ['http://b/idp']],
    ]);
    expect(services[3]).toMatchObject({ localIds: ['http://b/users/alice'], delegates: [], types: [OPENID_2_0_TYPE, 'http://openid.net/srv/ax/1.0'] });
    expect(services[4]).toMatchObject({ localIds: [], delegates: ['http://b/users/alice'] });
  });

  test('equal priorities keep document order', () => {
    const doc = xrds(service([OPENID_2_0_TYPE], ['http://a/'], '', 5), service([OPENID_2_0_TYPE], ['http://b/'], '', 5), service([OPENID_2_0_TYPE], ['http://c/']), service([OPENID_2_0_TYPE], ['http://d/']));
    expect(parseXRDS(doc).services.map((s) => s.uris[0])).toEqual(['http://a/', 'http://b/', 'http://c/', 'http://d/']);
  });

  test.each([['-1'], ['high'], ['1.5'], ['']])('a priority of %j counts as none (the lowest)', (priority) => {
    const doc = xrds(service([OPENID_2_0_TYPE], ['http://none/']).replace('<Service>', `<Service priority="${priority}">`), service([OPENID_2_0_TYPE], ['http://ten/'], '', 10));
    expect(parseXRDS(doc).services.map((s) => [s.uris[0], s.priority])).toEqual([['http://ten/', 10], ['http://none/', undefined]]);
  });

  test('only the last XRD counts; CanonicalIDs of every XRD are kept', () => {
    const doc = multiXrds(`<CanonicalID>=!1</CanonicalID>${signon2('http://first.example/')}`, `<CanonicalID>=!1!2</CanonicalID>${signon2('http://last.example/')}`);
    const parsed = parseXRDS(doc);
    expect(parsed.services.map((s) => s.uris[0])).toEqual(['http://last.example/']);
    expect([parsed.canonicalId, parsed.canonicalIds]).toEqual(['=!1!2', ['=!1', '=!1!2']]);
  });

  test('elements in other namespaces are ignored; whitespace is trimmed; comments and CDATA are fine', () => {
    const doc = xrds(`<Service xmlns:x="urn:x"><x:Type>http://evil/</x:Type><Type>
      ${OPENID_2_0_TYPE} </Type><!-- a comment --><URI><![CDATA[http://op.example/?a=1&b=2]]></URI><x:URI>http://evil/</x:URI></Service>`);
    expect(parseXRDS(doc).services).toEqual([{ types: [OPENID_2_0_TYPE], uris: ['http://op.example/?a=1&b=2'], localIds: [], delegates: [], priority: undefined }]);
  });

  test('an XRD without services has none', () => {
    expect(parseXRDS(xrds()).services).toEqual([]);
  });

  test('the Status code of the last XRD is reported', () => {
    expect(parseXRDS(multiXrds('<Status code="222">not found</Status>')).statusCode).toBe('222');
    expect(parseXRDS(xrds()).statusCode).toBeUndefined();
  });
});

describe('refused documents (no entity is expanded, nothing external is loaded)', () => {
  test.each([
    ['an entity expansion (billion laughs)', fixture('billion-laughs.xrds')],
    ['an external entity', fixture('external-entity.xrds')],
    ['an external DTD, lower-case doctype', fixture('external-dtd.xrds')],
    ['a DOCTYPE without entities', '<!DOCTYPE x><xrds:XRDS xmlns:xrds="xri://$xrds"/>'],
    ['an entity declaration alone', '<xrds:XRDS xmlns:xrds="xri://$xrds"><!ENTITY x "y"></xrds:XRDS>'],
  ])('%s', (_name, doc) => {
    expect(refusal(doc).message).toMatch(/DOCTYPE or entities/);
  });

  test.each([
    ['malformed XML', '<xrds:XRDS xmlns:xrds="xri://$xrds"><XRD>', /not well-formed/],
    ['mismatched tags', '<xrds:XRDS xmlns:xrds="xri://$xrds"><a></b></xrds:XRDS>', /not well-formed/],
    ['an unbound prefix', '<xrds:XRDS xmlns:xrds="xri://$xrds"><x:y/></xrds:XRDS>', /not well-formed/],
    ['an undefined entity', '<xrds:XRDS xmlns:xrds="xri://$xrds">&undefined;</xrds:XRDS>', /not well-formed/],
    ['another root element', '<html><body/></html>', /not an XRDS document/],
    ['an XRDS element in no namespace', '<XRDS><XRD/></XRDS>', /not an XRDS document/],
    ['an XRDS without XRD', '<xrds:XRDS xmlns:xrds="xri://$xrds"></xrds:XRDS>', /no XRD element/],
    ['an empty document', '', /not|no/],
    ['HTML', '<!-- x --><html><head><link rel="openid2.provider" href="http://x/"></head></html>', /not/],
  ])('%s', (_name, doc, message) => {
    expect(refusal(doc).message).toMatch(message);
  });

  test.each([
    ['nesting 100 000 deep', hostile.deepXRDS(100_000), /nested more than 32/],
    ['200 000 sibling elements', hostile.wideXRDS(200_000), /more than 2000 elements/],
    ['200 elements of 60 attributes', hostile.manyAttributes(60, 200), /more than 10000 attributes/],
    ['an element with 50 000 attributes', hostile.manyAttributes(50_000), /more than 64 attributes/],
  ])('a hostile shape is refused before parsing: %s', (_name, doc, message) => {
    expect(refusal(doc).message).toMatch(message);
  });
});
