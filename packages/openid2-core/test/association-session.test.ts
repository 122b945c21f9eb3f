import {
  createConsumerSession,
  createServerSession,
  assocTypeMatchesSession,
  sessionAllowedOverTransport,
  newSecret,
} from '../src/association-session.js';
import { btwoc, intToBase64 } from '../src/btwoc.js';
import { DEFAULT_DH_MODULUS, DiffieHellman } from '../src/diffie-hellman.js';
import { DiffieHellmanError, AssociationError } from '../src/errors.js';
import { MODP_2048 } from './dh-groups.js';

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
    // Without an explicit type, the response's assoc_type decides (§8.2.1).
    expect(consumer.extractSecret({ ...response, assoc_type: assocType }).equals(secret)).toBe(true);
    expect(consumer.allowedAssocTypes).toContain(assocType);
    expect(server.allowedAssocTypes).toEqual(consumer.allowedAssocTypes);
    if (sessionType !== 'no-encryption') expect(response.enc_mac_key).not.toBe(secret.toString('base64'));
  });

  test('hash and MAC types must match (§8.4.2)', () => {
    expect(assocTypeMatchesSession('HMAC-SHA1', 'DH-SHA1')).toBe(true);
    expect(assocTypeMatchesSession('HMAC-SHA256', 'DH-SHA256')).toBe(true);
    expect(assocTypeMatchesSession('HMAC-SHA256', 'DH-SHA1')).toBe(false);
    expect(assocTypeMatchesSession('HMAC-SHA1', 'DH-SHA256')).toBe(false);
    expect(assocTypeMatchesSession('HMAC-SHA256', 'no-encryption')).toBe(true);
    expect(assocTypeMatchesSession('HMAC-SHA1', 'no-encryption')).toBe(true);
    expect(assocTypeMatchesSession('HMAC-MD5' as never, 'no-encryption')).toBe(false);
    expect(assocTypeMatchesSession('HMAC-SHA1', 'DH-MD5' as never)).toBe(false);
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

  test('a custom group travels as dh_modulus and dh_gen (§8.1.2) and is used by the OP', () => {
    const consumer = createConsumerSession('DH-SHA256', { dh: new DiffieHellman({ modulus: MODP_2048, generator: 2n }) });
    const request = consumer.requestArgs();
    expect(request).toEqual({
      dh_consumer_public: expect.any(String),
      dh_modulus: intToBase64(MODP_2048),
      dh_gen: intToBase64(2n),
    });
    const secret = newSecret('HMAC-SHA256');
    const response = createServerSession('DH-SHA256', request).answer(secret);
    expect(consumer.extractSecret(response, 'HMAC-SHA256').equals(secret)).toBe(true);
    // The same request is refused by an OP that accepts 1024-bit groups only.
    expect(() => createServerSession('DH-SHA256', request, { maxModulusBits: 1024 })).toThrow(/dh_modulus is larger than 1024 bits/);
  });

  test('the default group is sent implicitly, and explicit default parameters are accepted', () => {
    const consumer = createConsumerSession('DH-SHA1');
    const request = { ...consumer.requestArgs(), dh_modulus: intToBase64(DEFAULT_DH_MODULUS), dh_gen: intToBase64(2n) };
    const secret = newSecret('HMAC-SHA1');
    expect(consumer.extractSecret(createServerSession('DH-SHA1', request).answer(secret), 'HMAC-SHA1').equals(secret)).toBe(true);
  });

  test.each([
    ['a 512-bit modulus', { dh_consumer_public: intToBase64(5n), dh_modulus: intToBase64((1n << 511n) + 1n) }],
    ['a modulus of 0', { dh_consumer_public: intToBase64(5n), dh_modulus: intToBase64(0n) }],
    ['generator p − 1', { dh_consumer_public: intToBase64(5n), dh_gen: intToBase64(DEFAULT_DH_MODULUS - 1n) }],
    ['a public key longer than the largest modulus', { dh_consumer_public: intToBase64(1n << 3000n) }],
    ['a modulus with whitespace in its base64', { dh_consumer_public: intToBase64(5n), dh_modulus: ` ${intToBase64(DEFAULT_DH_MODULUS)}` }],
    ['an empty public key', { dh_consumer_public: '' }],
  ])('the OP also refuses %s', (_name, args) => {
    expect(() => createServerSession('DH-SHA1', args)).toThrow(DiffieHellmanError);
  });

  test('the OP refuses unknown session types and MAC keys its session cannot carry', () => {
    expect(() => createServerSession('DH-MD5' as never, {})).toThrow(AssociationError);
    expect(() => createConsumerSession('DH-MD5' as never)).toThrow(AssociationError);
    const request = createConsumerSession('DH-SHA1').requestArgs();
    expect(() => createServerSession('DH-SHA1', request).answer(newSecret('HMAC-SHA256'))).toThrow(AssociationError);
    expect(() => createServerSession('no-encryption', {}).answer(Buffer.alloc(16))).toThrow(AssociationError);
    expect(createServerSession('no-encryption', {}).answer(Buffer.alloc(20, 1))).toEqual({ mac_key: Buffer.alloc(20, 1).toString('base64') });
  });

  // btwoc is two's complement (§4.2): a first byte with the high bit set is negative.
  // gA== is −128; read as the unsigned 128 = 2^7 it passed 1 < y < p − 1, and the
  // shared secret (g^x)^7 could be computed from dh_server_public on the wire.
  const DEFAULT_MODULUS_UNSIGNED = btwoc(DEFAULT_DH_MODULUS).subarray(1).toString('base64');
  test.each([
    ['dh_consumer_public gA== (−128, not 128 = 2^7)', { dh_consumer_public: 'gA==' }],
    ['dh_consumer_public /w== (−1)', { dh_consumer_public: '/w==' }],
    ['dh_modulus without its sign byte (negative)', { dh_consumer_public: intToBase64(5n), dh_modulus: DEFAULT_MODULUS_UNSIGNED }],
    ['dh_gen gA== (−128)', { dh_consumer_public: intToBase64(5n), dh_gen: 'gA==' }],
  ])('17.8: the OP refuses a negative btwoc integer: %s', (_name, args) => {
    expect(() => createServerSession('DH-SHA256', args)).toThrow(/negative/);
  });

  test('17.8: the relying party refuses a negative dh_server_public (gA==, /w==)', () => {
    const consumer = createConsumerSession('DH-SHA256');
    const answer = createServerSession('DH-SHA256', consumer.requestArgs()).answer(newSecret('HMAC-SHA256'));
    for (const negative of ['gA==', '/w==']) {
      expect(() => consumer.extractSecret({ assoc_type: 'HMAC-SHA256', ...answer, dh_server_public: negative })).toThrow(DiffieHellmanError);
      expect(() => consumer.extractSecret({ assoc_type: 'HMAC-SHA256', ...answer, dh_server_public: negative })).toThrow(/negative/);
    }
  });

  describe('the relying party refuses malformed responses', () => {
    const consumer = createConsumerSession('DH-SHA256');
    const answer = createServerSession('DH-SHA256', consumer.requestArgs()).answer(newSecret('HMAC-SHA256'));
    const good: Record<string, string | undefined> = { assoc_type: 'HMAC-SHA256', ...answer };
    const encMacKey = answer.enc_mac_key as string;

    test.each([
      ['an enc_mac_key of the wrong length', { ...good, enc_mac_key: 'AAAA' }, AssociationError],
      ['an enc_mac_key that is not base64', { ...good, enc_mac_key: `${encMacKey.slice(0, -4)}!!!!` }, AssociationError],
      ['no enc_mac_key', { ...good, enc_mac_key: undefined }, AssociationError],
      ['a server public key of 1', { ...good, dh_server_public: intToBase64(1n) }, DiffieHellmanError],
      ['a server public key of p − 1', { ...good, dh_server_public: intToBase64(DEFAULT_DH_MODULUS - 1n) }, DiffieHellmanError],
      ['a server public key longer than the modulus', { ...good, dh_server_public: intToBase64(1n << 2000n) }, DiffieHellmanError],
      ['a server public key that is not base64', { ...good, dh_server_public: 'AA AA' }, DiffieHellmanError],
      ['no server public key', { ...good, dh_server_public: undefined }, DiffieHellmanError],
      ['an HMAC-SHA1 key over DH-SHA256', { ...good, assoc_type: 'HMAC-SHA1' }, AssociationError],
      ['no assoc_type', { ...good, assoc_type: undefined }, AssociationError],
    ])('%s', (_name, response, errorClass) => {
      expect(() => consumer.extractSecret(response)).toThrow(errorClass);
    });

    test('the caller\'s association type wins over the response\'s, and must match the session', () => {
      expect(consumer.extractSecret({ ...good, assoc_type: 'HMAC-SHA1' }, 'HMAC-SHA256')).toHaveLength(32);
      expect(() => consumer.extractSecret(good, 'HMAC-SHA1')).toThrow(/cannot travel over a DH-SHA256 session/);
    });

    test('no-encryption: mac_key must be strict base64 of the right length', () => {
      const plain = createConsumerSession('no-encryption');
      expect(() => plain.extractSecret({ mac_key: 'AAAA' }, 'HMAC-SHA1')).toThrow(AssociationError);
      expect(() => plain.extractSecret({ mac_key: Buffer.alloc(32).toString('base64') }, 'HMAC-SHA1')).toThrow(/20 bytes/);
      expect(() => plain.extractSecret({}, 'HMAC-SHA1')).toThrow(/no mac_key/);
      expect(plain.extractSecret({ mac_key: Buffer.alloc(32, 7).toString('base64'), assoc_type: 'HMAC-SHA256' })).toEqual(Buffer.alloc(32, 7));
    });
  });
});
