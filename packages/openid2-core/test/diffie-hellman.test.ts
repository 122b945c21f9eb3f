import { createHash, randomBytes } from 'node:crypto';
import {
  DiffieHellman,
  DEFAULT_DH_MODULUS,
  DEFAULT_DH_GENERATOR,
  MAX_MODULUS_BITS_CEILING,
  resolveLimits,
  validateGroup,
} from '../src/diffie-hellman.js';
import { DiffieHellmanError } from '../src/errors.js';
import { MODP_2048 } from './dh-groups.js';

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

  // Reference computations in the test only: bigint arithmetic and a
  // hand-written btwoc, independent of the code under test.
  function referenceBtwoc(n: bigint): Buffer {
    let hex = n.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
    return Buffer.from(hex, 'hex');
  }

  function referenceXor(hash: 'sha1' | 'sha256', shared: bigint, secret: Buffer): Buffer {
    const digest = createHash(hash).update(referenceBtwoc(shared)).digest();
    return Buffer.from(secret.map((byte, j) => byte ^ (digest[j] as number)));
  }

  /**
   * Finds an exchange whose shared secret satisfies `wanted`: the peer's
   * private exponent is a random 64-bit number known to the test, so the
   * shared secret can be computed independently with bigint arithmetic.
   */
  function forceExchange(wanted: (shared: bigint) => boolean): { dh: DiffieHellman; peerPublic: bigint; shared: bigint } {
    const dh = new DiffieHellman();
    for (let tries = 0; tries < 50_000; tries += 1) {
      const x = randomBytes(8).readBigUInt64BE() | 1n;
      const shared = modPow(dh.publicKey, x, DEFAULT_DH_MODULUS);
      if (wanted(shared)) return { dh, peerPublic: modPow(DEFAULT_DH_GENERATOR, x, DEFAULT_DH_MODULUS), shared };
    }
    throw new Error('no such exchange found');
  }

  test.each([
    // OpenSSL pads the secret to 128 bytes; its btwoc is shorter (about 1 in 440).
    ['fewer than 1016 significant bits', (shared: bigint) => shared < 1n << 1015n],
    // A zero top byte, then a byte with its high bit set: btwoc keeps one zero byte (about 1 in 440).
    ['a top byte of zero before a high bit', (shared: bigint) => shared >= 1n << 1015n && shared < 1n << 1016n],
    // The high bit is set: btwoc prepends a zero byte (about 2 in 5).
    ['the high bit set', (shared: bigint) => shared >> 1023n === 1n],
    ['neither', (shared: bigint) => shared >= 1n << 1016n && shared >> 1023n === 0n],
  ])('a shared secret with %s is hashed over its btwoc form (§4.2, §8.2.3)', (_name, wanted) => {
    const { dh, peerPublic, shared } = forceExchange(wanted);
    expect(dh.computeSharedSecret(peerPublic)).toBe(shared);
    for (const [hash, size] of [['sha1', 20], ['sha256', 32]] as const) {
      const secret = randomBytes(size);
      const encrypted = dh.xorSecret(hash, peerPublic, secret);
      expect(encrypted.equals(referenceXor(hash, shared, secret))).toBe(true);
      expect(dh.xorSecret(hash, peerPublic, encrypted).equals(secret)).toBe(true);
    }
  });

  test('random exchanges agree with each other and with the reference encoding', () => {
    const secret = Buffer.alloc(32, 0x5a);
    for (let i = 0; i < 50; i += 1) {
      const a = new DiffieHellman();
      const b = new DiffieHellman();
      const shared = a.computeSharedSecret(b.publicKey);
      expect(b.computeSharedSecret(a.publicKey)).toBe(shared);
      expect(a.xorSecret('sha256', b.publicKey, secret).equals(referenceXor('sha256', shared, secret))).toBe(true);
    }
  });

  test('public keys lie in 1 < y < p − 1 and match the private key', () => {
    for (let i = 0; i < 20; i += 1) {
      const a = new DiffieHellman();
      expect(a.publicKey > 1n && a.publicKey < DEFAULT_DH_MODULUS - 1n).toBe(true);
      // g^x computed through the peer-key path equals the advertised public key.
      expect(a.computeSharedSecret(DEFAULT_DH_GENERATOR)).toBe(a.publicKey);
    }
  });

  test('an odd composite modulus is not primality-tested (too costly for an OP): the exchange terminates and agrees', () => {
    const composite = (1n << 1023n) + 1n; // divisible by 3
    const a = new DiffieHellman({ modulus: composite });
    const b = new DiffieHellman({ modulus: composite });
    expect(a.computeSharedSecret(b.publicKey)).toBe(b.computeSharedSecret(a.publicKey));
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
    ['a 1023-bit modulus', { modulus: (1n << 1022n) + 1n }],
    ['a 2049-bit modulus with the default limits', { modulus: (1n << 2048n) + 1n }],
    ['generator 0', { generator: 0n }],
    ['a negative generator', { generator: -2n }],
    ['a generator equal to the modulus', { generator: DEFAULT_DH_MODULUS }],
    ['a custom generator above 2^31', { generator: 1n << 40n }],
  ])('refuses %s', (_name, options) => {
    expect(() => new DiffieHellman(options)).toThrow(DiffieHellmanError);
  });

  test('the limits: 1024 to 2048 bits by default, never above 4096', () => {
    expect(resolveLimits()).toEqual({ minModulusBits: 1024, maxModulusBits: 2048 });
    expect(resolveLimits({ maxModulusBits: 100_000 }).maxModulusBits).toBe(MAX_MODULUS_BITS_CEILING);
    expect(() => validateGroup((1n << 4095n) + 1n, 2n, { maxModulusBits: 4096 })).not.toThrow();
    expect(() => validateGroup((1n << 4096n) + 1n, 2n, { maxModulusBits: 1 << 20 })).toThrow(/at most 4096/);
  });

  test('validateGroup accepts the default group and honours limits', () => {
    expect(() => validateGroup(DEFAULT_DH_MODULUS, 2n)).not.toThrow();
    expect(() => validateGroup(DEFAULT_DH_MODULUS, 2n, { minModulusBits: 2048 })).toThrow(DiffieHellmanError);
    expect(() => validateGroup(MODP_2048, 2n)).not.toThrow();
    expect(() => validateGroup(DEFAULT_DH_MODULUS, 2n, { minModulusBits: 2048 })).toThrow(/at least 2048/);
    expect(() => validateGroup(MODP_2048, 2n, { maxModulusBits: 1024 })).toThrow(/at most 1024/);
  });

  test('xorSecret refuses a MAC key of the wrong length', () => {
    const a = new DiffieHellman();
    const peer = new DiffieHellman().publicKey;
    expect(() => a.xorSecret('sha1', peer, Buffer.alloc(32))).toThrow(/20 bytes/);
    expect(() => a.xorSecret('sha256', peer, Buffer.alloc(20))).toThrow(/32 bytes/);
    expect(() => a.xorSecret('sha256', 1n, Buffer.alloc(32))).toThrow(DiffieHellmanError);
  });
});
