import * as core from '../src/index.js';
import * as internals from '../src/internals.js';

describe('openid2-core exports', () => {
  test.each([
    'Message', 'Association', 'normalizeUrl', 'normalizeIdentifier', 'Realm', 'Consumer', 'Server', 'MemoryStore', 'OpenIDError', 'KVFormError', 'MessageError', 'RealmError', 'ProtocolError',
    'FetchError', 'DiscoveryError', 'StoreError', 'AssociationError', 'DiffieHellmanError', 'OpenIDConfigError',
  ])('exports %s', (name) => {
    expect((core as Record<string, unknown>)[name]).toBeDefined();
  });

  test.each(['kvForm', 'DiffieHellman', 'makeNonce', 'parseNonce', 'btwoc', 'Signatory', 'sortEndpoints'])('%s is a building block: in openid2-core/internals, not in the main entry', (name) => {
    expect((internals as Record<string, unknown>)[name]).toBeDefined();
    expect(name in core).toBe(false);
  });

  test('kvForm (openid2-core/internals) has parse and serialize; Realm has parse', () => {
    expect(typeof internals.kvForm.parse).toBe('function');
    expect(typeof internals.kvForm.serialize).toBe('function');
    expect(core.Realm.parse('http://*.example.com/').isSane()).toBe(true);
  });
});
