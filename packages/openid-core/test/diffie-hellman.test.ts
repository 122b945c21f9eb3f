import { createHash } from 'node:crypto';
import { DiffieHellman, DEFAULT_DH_MODULUS, DEFAULT_DH_GENERATOR, validateGroup } from '../src/diffie-hellman.js';
import { btwoc } from '../src/btwoc.js';
import { DiffieHellmanError } from '../src/errors.js';

// A test-only reference: square-and-multiply over bigint.
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

// RFC 3526 group 14 (2048-bit MODP), a well-known custom group.
const MODP_2048 = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
    'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
    'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
    '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
    'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
    '15728E5A8AACAA68FFFFFFFFFFFFFFFF',
);

describe('DiffieHellman (§8.4.2)', () => {
  test('both sides of the default group agree', () => {
    const a = new DiffieHellman();
    const b = new DiffieHellman();
    expect(a.computeSharedSecret(b.publicKey)).toBe(b.computeSharedSecret(a.publicKey));
    expect(a.publicKey).not.toBe(b.publicKey);
  });

  test('the shared secret equals g^(xy) computed independently', () => {
    const a = new DiffieHellman();
    // y^x where x is unknown: check instead that a's secret with peer g is a's public key (g^x).
    expect(a.computeSharedSecret(DEFAULT_DH_GENERATOR)).toBe(a.publicKey);
    const x = 123456789n;
    const peer = modPow(DEFAULT_DH_GENERATOR, x, DEFAULT_DH_MODULUS);
    expect(a.computeSharedSecret(peer)).toBe(modPow(a.publicKey, x, DEFAULT_DH_MODULUS));
  });

  test('a custom group (RFC 3526 group 14) works and agrees', () => {
    const a = new DiffieHellman({ modulus: MODP_2048, generator: 2n });
    const b = new DiffieHellman({ modulus: MODP_2048, generator: 2n });
    expect(a.isDefaultGroup()).toBe(false);
    expect(a.computeSharedSecret(b.publicKey)).toBe(b.computeSharedSecret(a.publicKey));
    const x = 987654321n;
    expect(a.computeSharedSecret(modPow(2n, x, MODP_2048))).toBe(modPow(a.publicKey, x, MODP_2048));
  });

  test('the MAC key is hashed over the btwoc form of the secret, with leading zeros stripped', () => {
    // Find exchanges whose secret is short (leading zero byte once padded) or has its
    // high bit set (btwoc adds a zero byte): both break naive implementations.
    let short = 0;
    let highBit = 0;
    const secret = Buffer.alloc(32, 0x5a);
    for (let i = 0; i < 2000 && (short === 0 || highBit === 0); i += 1) {
      const a = new DiffieHellman();
      const b = new DiffieHellman();
      const shared = a.computeSharedSecret(b.publicKey);
      const bytes = shared.toString(16).length;
      if (bytes <= 254) short += 1;
      if (shared >> 1023n === 1n) highBit += 1;
      const digest = createHash('sha256').update(btwoc(shared)).digest();
      const expected = Buffer.from(secret.map((byte, j) => byte ^ (digest[j] as number)));
      expect(a.xorSecret('sha256', b.publicKey, secret).equals(expected)).toBe(true);
      expect(b.xorSecret('sha256', a.publicKey, a.xorSecret('sha256', b.publicKey, secret)).equals(secret)).toBe(true);
    }
    expect(short).toBeGreaterThan(0);
    expect(highBit).toBeGreaterThan(0);
  });

  test.each([
    ['0', 0n],
    ['1', 1n],
    ['p − 1', DEFAULT_DH_MODULUS - 1n],
    ['p', DEFAULT_DH_MODULUS],
    ['p + 1', DEFAULT_DH_MODULUS + 1n],
  ])('refuses the peer public key %s', (_name, key) => {
    expect(() => new DiffieHellman().computeSharedSecret(key)).toThrow(DiffieHellmanError);
  });

  test.each([
    ['an even modulus', { modulus: DEFAULT_DH_MODULUS + 1n }],
    ['a modulus below 1024 bits', { modulus: (1n << 511n) + 1n }],
    ['an 8192-bit modulus', { modulus: (1n << 8191n) + 1n }],
    ['a 4097-bit modulus even when 8192 is allowed', { modulus: (1n << 4096n) + 1n, maxModulusBits: 8192 }],
    ['generator 1', { generator: 1n }],
    ['generator p − 1', { generator: DEFAULT_DH_MODULUS - 1n }],
    ['a tiny modulus', { modulus: 3n }],
  ])('refuses %s', (_name, options) => {
    expect(() => new DiffieHellman(options)).toThrow(DiffieHellmanError);
  });

  test('validateGroup accepts the default group and honours limits', () => {
    expect(() => validateGroup(DEFAULT_DH_MODULUS, 2n)).not.toThrow();
    expect(() => validateGroup(DEFAULT_DH_MODULUS, 2n, { minModulusBits: 2048 })).toThrow(/at least 2048/);
    expect(() => validateGroup(MODP_2048, 2n, { maxModulusBits: 1024 })).toThrow(/at most 1024/);
  });

  test('xorSecret refuses a MAC key of the wrong length', () => {
    const a = new DiffieHellman();
    expect(() => a.xorSecret('sha1', new DiffieHellman().publicKey, Buffer.alloc(32))).toThrow(DiffieHellmanError);
  });
});
