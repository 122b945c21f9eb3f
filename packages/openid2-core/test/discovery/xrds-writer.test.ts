import { OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE, RP_RETURN_TO_TYPE } from '../../src/constants.js';
import { parseHTMLDiscovery } from '../../src/discovery/html.js';
import { parseXRDS } from '../../src/discovery/xrds.js';
import { claimedIdentifierXrds, identityLinks, opIdentifierXrds, relyingPartyXrds, writeXRDS } from '../../src/discovery/xrds-writer.js';

const endpoint = 'https://op.example/openid?a=1&b=2';

// What core writes, core's own parser reads back: the one writer of the
// provider's and the relying party's documents (18.3).
describe('XRDS writer (18.3: one writer in core for both Express packages)', () => {
  test('the relying party XRDS lists its return URL under the return_to type (§13)', () => {
    const { services } = parseXRDS(relyingPartyXrds('https://rp.example/openid/return'));
    expect(services).toEqual([expect.objectContaining({ types: [RP_RETURN_TO_TYPE], uris: ['https://rp.example/openid/return'], priority: 1 })]);
  });

  test('the OP Identifier XRDS has the server type, extra types and the escaped endpoint (§7.3.2.1.1)', () => {
    const text = opIdentifierXrds(endpoint, ['http://openid.net/srv/ax/1.0']);
    expect(text).toContain('?a=1&amp;b=2');
    expect(parseXRDS(text).services).toEqual([expect.objectContaining({ types: [OPENID_IDP_2_0_TYPE, 'http://openid.net/srv/ax/1.0'], uris: [endpoint] })]);
  });

  test('a claimed identifier XRDS has a 2.0 service with LocalID and a 1.1 one with openid:Delegate (§7.3.2.1.2)', () => {
    const { services } = parseXRDS(claimedIdentifierXrds(endpoint, { claimedId: 'https://id.example/alice', localId: 'https://op.example/u/7' }));
    expect(services.map(({ types, localIds, delegates }) => ({ types, localIds, delegates }))).toEqual([
      { types: [OPENID_2_0_TYPE], localIds: ['https://op.example/u/7'], delegates: [] },
      { types: [OPENID_1_1_TYPE], localIds: [], delegates: ['https://op.example/u/7'] },
    ]);
  });

  test('without delegation the 2.0 LocalID is the claimed identifier unless alwaysLocalId is false; versions pick the services', () => {
    const ids = { claimedId: 'https://id.example/alice' };
    expect(parseXRDS(claimedIdentifierXrds(endpoint, ids)).services[0]?.localIds).toEqual(['https://id.example/alice']);
    expect(parseXRDS(claimedIdentifierXrds(endpoint, ids, [], { alwaysLocalId: false })).services[0]?.localIds).toEqual([]);
    expect(parseXRDS(claimedIdentifierXrds(endpoint, ids, [], { versions: ['1.1'] })).services.map((s) => s.types)).toEqual([[OPENID_1_1_TYPE]]);
  });

  test('writeXRDS escapes markup in every value', () => {
    const text = writeXRDS([{ priority: 0, types: ['urn:x"<y>'], uri: 'https://e.example/<script>' }]);
    expect(text).not.toContain('<script>');
    expect(parseXRDS(text).services[0]?.uris).toEqual(['https://e.example/<script>']);
  });

  test('identityLinks are read back by HTML discovery (§7.3.3)', () => {
    const html = `<html><head>${identityLinks(endpoint, { localId: 'https://op.example/u/7' })}</head></html>`;
    const info = parseHTMLDiscovery(html);
    expect(info).toEqual(expect.objectContaining({ provider2: endpoint, localId2: 'https://op.example/u/7', provider1: endpoint, delegate1: 'https://op.example/u/7' }));
  });
});
