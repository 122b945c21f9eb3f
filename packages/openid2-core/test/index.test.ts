import * as core from '../src/index.js';

describe('openid2-core exports', () => {
  test.each([
    'Message', 'kvForm', 'Association', 'DiffieHellman', 'normalizeUrl', 'normalizeIdentifier', 'Realm',
    'makeNonce', 'parseNonce', 'OpenIDError', 'KVFormError', 'MessageError', 'RealmError', 'ProtocolError',
    'FetchError', 'DiscoveryError', 'StoreError', 'AssociationError', 'DiffieHellmanError', 'OpenIDConfigError',
  ])('exports %s', (name) => {
    expect((core as Record<string, unknown>)[name]).toBeDefined();
  });

  test('kvForm has parse and serialize; Realm has parse', () => {
    expect(typeof core.kvForm.parse).toBe('function');
    expect(typeof core.kvForm.serialize).toBe('function');
    expect(core.Realm.parse('http://*.example.com/').isSane()).toBe(true);
  });
});
