import {
  createConsumerSession,
  createServerSession,
  assocTypeMatchesSession,
  sessionAllowedOverTransport,
  newSecret,
} from '../src/association-session.js';
import { intToBase64 } from '../src/btwoc.js';
import { DEFAULT_DH_MODULUS } from '../src/diffie-hellman.js';
import { DiffieHellmanError, AssociationError } from '../src/errors.js';

describe('association sessions (§8.4)', () => {
  test.each([
    ['DH-SHA1', 'HMAC-SHA1'],
    ['DH-SHA256', 'HMAC-SHA256'],
    ['no-encryption', 'HMAC-SHA1'],
    ['no-encryption', 'HMAC-SHA256'],
  ] as const)('%s carries an %s key from the OP to the relying party', (sessionType, assocType) => {
    const consumer = createConsumerSession(sessionType);
    const request = consumer.requestArgs();
    if (sessionType !== 'no-encryption') {
      expect(Object.keys(request)).toEqual(['dh_consumer_public']);
    }
    const secret = newSecret(assocType);
    const server = createServerSession(sessionType, request);
    const response = server.answer(secret);
    expect(consumer.extractSecret(response, assocType).equals(secret)).toBe(true);
    if (sessionType !== 'no-encryption') expect(response.enc_mac_key).not.toBe(secret.toString('base64'));
  });

  test('hash and MAC types must match (§8.4.2)', () => {
    expect(assocTypeMatchesSession('HMAC-SHA1', 'DH-SHA1')).toBe(true);
    expect(assocTypeMatchesSession('HMAC-SHA256', 'DH-SHA256')).toBe(true);
    expect(assocTypeMatchesSession('HMAC-SHA256', 'DH-SHA1')).toBe(false);
    expect(assocTypeMatchesSession('HMAC-SHA1', 'DH-SHA256')).toBe(false);
    expect(assocTypeMatchesSession('HMAC-SHA256', 'no-encryption')).toBe(true);
  });

  test('no-encryption only over TLS (§8.4.1)', () => {
    expect(sessionAllowedOverTransport('no-encryption', false)).toBe(false);
    expect(sessionAllowedOverTransport('no-encryption', true)).toBe(true);
    expect(sessionAllowedOverTransport('DH-SHA256', false)).toBe(true);
  });

  test.each([
    ['a public key of 0', { dh_consumer_public: intToBase64(0n) }],
    ['a public key of 1', { dh_consumer_public: intToBase64(1n) }],
    ['a public key of p − 1', { dh_consumer_public: intToBase64(DEFAULT_DH_MODULUS - 1n) }],
    ['a public key of p', { dh_consumer_public: intToBase64(DEFAULT_DH_MODULUS) }],
    ['a public key above p', { dh_consumer_public: intToBase64(DEFAULT_DH_MODULUS * 5n) }],
    ['no public key', {}],
    ['a public key that is not base64', { dh_consumer_public: 'not base64!' }],
    ['an even modulus', { dh_consumer_public: intToBase64(5n), dh_modulus: intToBase64(DEFAULT_DH_MODULUS + 1n) }],
    ['an 8192-bit modulus', { dh_consumer_public: intToBase64(5n), dh_modulus: intToBase64((1n << 8191n) + 1n) }],
    ['a megabyte-long modulus', { dh_consumer_public: intToBase64(5n), dh_modulus: 'A'.repeat(1 << 20) }],
    ['generator 0', { dh_consumer_public: intToBase64(5n), dh_gen: intToBase64(0n) }],
  ])('the OP refuses %s with a DiffieHellmanError', (_name, args) => {
    expect(() => createServerSession('DH-SHA256', args)).toThrow(DiffieHellmanError);
  });

  test('the relying party refuses malformed responses', () => {
    const consumer = createConsumerSession('DH-SHA256');
    const server = createServerSession('DH-SHA256', consumer.requestArgs());
    const good = server.answer(newSecret('HMAC-SHA256'));
    expect(() => consumer.extractSecret({ ...good, enc_mac_key: 'AAAA' }, 'HMAC-SHA256')).toThrow(AssociationError);
    expect(() => consumer.extractSecret({ ...good, dh_server_public: intToBase64(1n) }, 'HMAC-SHA256')).toThrow(DiffieHellmanError);
    expect(() => consumer.extractSecret({ enc_mac_key: good.enc_mac_key }, 'HMAC-SHA256')).toThrow();
    expect(() => createConsumerSession('no-encryption').extractSecret({ mac_key: 'AAAA' }, 'HMAC-SHA1')).toThrow(AssociationError);
  });
});
