/**
 * Diffie-Hellman key agreement for association sessions, computed by
 * OpenSSL through Node's crypto module.
 * @see OpenID 2.0 §8.1.2, §8.4.2, Appendix B
 */
import {
  createDiffieHellman,
  createHash,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  type DiffieHellman as NodeDiffieHellman,
  type KeyObject,
} from 'node:crypto';
import { btwoc, fromBtwoc } from './btwoc.js';
import { dhPublicKeySpki, dhPublicValueFromSpki } from './dh-der.js';
import { DiffieHellmanError } from './errors.js';

/** The default modulus of OpenID 2.0 Appendix B (1024 bits). */
export const DEFAULT_DH_MODULUS = BigInt(
  '0xDCF93A0B883972EC0E19989AC5A2CE310E1D37717E8D9571BB7623731866E61EF75A2E27898B057F9891C2E27A639C3F' +
    '29B60814581CD3B2CA3986D2683705577D45C2E7E52DC81C7A171876E5CEA74B1448BFDFAF18828EFD2519F14E45E3826634AF' +
    '1949E5B535CC829A483B8A76223E5D490A257F05BDFF16F2FB22C583AB',
);
/** The default generator of OpenID 2.0 Appendix B. */
export const DEFAULT_DH_GENERATOR = 2n;

/**
 * Hard ceiling on modulus size, whatever the options say: an exchange in a
 * 4096-bit group already costs about 45 ms of CPU, and the cost grows with
 * the cube of the size.
 */
export const MAX_MODULUS_BITS_CEILING = 4096;
/** Default smallest modulus: the Appendix B group's size. */
export const DEFAULT_MIN_MODULUS_BITS = 1024;
/** Default largest modulus: an exchange in a 2048-bit group costs about 6 ms. */
export const DEFAULT_MAX_MODULUS_BITS = 2048;

/**
 * Bounds on the size of a Diffie-Hellman modulus chosen by a peer (a relying
 * party may send its own `openid.dh_modulus`, §8.1.2).
 */
export interface DiffieHellmanLimits {
  /**
   * Smallest modulus accepted. The default group is 1024 bits; smaller
   * moduli (512-bit groups fall to precomputation, as Logjam showed) would
   * let an eavesdropper recover the MAC key, so they are refused.
   * @default 1024
   */
  minModulusBits?: number;
  /**
   * Largest modulus accepted; capped at {@link MAX_MODULUS_BITS_CEILING}
   * even when set higher, because key generation cost grows with the cube
   * of the size and the modulus comes from an unauthenticated request.
   * @default 2048
   */
  maxModulusBits?: number;
}

/** Options of {@link DiffieHellman}: the group (default: Appendix B) and the size limits for custom groups. */
export interface DiffieHellmanOptions extends DiffieHellmanLimits {
  /** The prime modulus p (`openid.dh_modulus`); a custom one is checked against the size limits. @default DEFAULT_DH_MODULUS (the 1024-bit prime of OpenID 2.0 Appendix B) */
  modulus?: bigint;
  /** The generator g (`openid.dh_gen`). @default DEFAULT_DH_GENERATOR (2) @see OpenID 2.0 §8.1.2 */
  generator?: bigint;
}

/** The hash of a DH session: SHA-1 for DH-SHA1, SHA-256 for DH-SHA256. */
export type DHHash = 'sha1' | 'sha256';

/** The limits in force: defaults applied, the maximum capped at the ceiling. */
export function resolveLimits(limits: DiffieHellmanLimits = {}): Required<DiffieHellmanLimits> {
  return {
    minModulusBits: limits.minModulusBits ?? DEFAULT_MIN_MODULUS_BITS,
    maxModulusBits: Math.min(limits.maxModulusBits ?? DEFAULT_MAX_MODULUS_BITS, MAX_MODULUS_BITS_CEILING),
  };
}

/**
 * Private exponents of the default group: 256 bits. The Appendix B modulus
 * is a safe prime ((p − 1)/2 is prime), so a 256-bit exponent resists the
 * short-exponent attacks (about 128-bit work) well beyond the group's own
 * strength (about 80 bits), and keeps each key pair cheap.
 */
const PRIVATE_KEY_BYTES = 32;

/**
 * The OpenSSL object of the default group, created on first use and reused:
 * creating one runs OpenSSL's DH_check (a safe-prime test, 30 to 50 ms).
 * This is a lazily built constant, not a cache with policy: each exchange
 * loads its own private key into it synchronously before use, so no state
 * carries over from one exchange to the next.
 */
let defaultGroup: NodeDiffieHellman | undefined;

function defaultGroupObject(): NodeDiffieHellman {
  defaultGroup ??= createDiffieHellman(btwoc(DEFAULT_DH_MODULUS), btwoc(DEFAULT_DH_GENERATOR));
  return defaultGroup;
}

/** Node pads the shared secret to the modulus length; the integer has no leading zero bytes. */
function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
  return bytes.subarray(i);
}

/** Number of bits of a positive integer. */
function bitLength(n: bigint): number {
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + (32 - Math.clz32(Number.parseInt(hex.charAt(0), 16)));
}

/**
 * Checks a group before any expensive work is done with it: an odd modulus
 * within the size limits and 1 < g < p − 1. Costs microseconds whatever the
 * input size.
 *
 * Primality is deliberately not tested: a probable-prime test costs about
 * 40 ms for 1024 bits (an easy way to burn an OP's CPU), and a composite
 * modulus only weakens the protection of the MAC key that the relying party
 * that chose it receives. Computation over a composite modulus still
 * terminates in the usual time.
 * @throws DiffieHellmanError
 */
export function validateGroup(modulus: bigint, generator: bigint, limits: DiffieHellmanLimits = {}): void {
  const { minModulusBits: min, maxModulusBits: max } = resolveLimits(limits);
  if (modulus <= 3n || (modulus & 1n) === 0n) throw new DiffieHellmanError('The Diffie-Hellman modulus must be an odd prime');
  const bits = bitLength(modulus);
  if (bits < min) throw new DiffieHellmanError(`The Diffie-Hellman modulus has ${bits} bits; at least ${min} are required`);
  if (bits > max) throw new DiffieHellmanError(`The Diffie-Hellman modulus has ${bits} bits; at most ${max} are accepted`);
  if (generator <= 1n || generator >= modulus - 1n) {
    throw new DiffieHellmanError('The Diffie-Hellman generator must lie between 1 and the modulus minus 1');
  }
}

type Derive = (peer: bigint) => Buffer;

/** A fresh key pair in the default group: 256 random bits loaded into the shared OpenSSL object. */
function defaultGroupKeyPair(): { publicKey: bigint; derive: Derive } {
  const privateKey = freshPrivateKey();
  const group = defaultGroupObject();
  group.setPrivateKey(privateKey);
  // With a private key set, OpenSSL computes the matching public key (g^x mod p).
  group.generateKeys();
  const publicKey = fromBtwoc(group.getPublicKey());
  const derive: Derive = (peer) => {
    group.setPrivateKey(privateKey);
    return group.computeSecret(btwoc(peer));
  };
  return { publicKey, derive };
}

/**
 * A fresh key pair in a validated custom group, as OpenSSL key objects:
 * unlike `createDiffieHellman`, they do not run a safe-prime test on a
 * modulus that a peer chose. OpenSSL picks the private exponent.
 */
function customGroupKeyPair(modulus: bigint, generator: bigint): { publicKey: bigint; derive: Derive } {
  if (generator > 0x7fffffffn) throw new DiffieHellmanError('Custom Diffie-Hellman generators above 2^31 are not supported');
  let pair: { publicKey: KeyObject; privateKey: KeyObject };
  try {
    pair = generateDHKeyPair('dh', { prime: btwoc(modulus), generator: Number(generator) });
  } catch (cause) {
    throw new DiffieHellmanError('OpenSSL refused the Diffie-Hellman group', { cause });
  }
  const publicKey = dhPublicValueFromSpki(pair.publicKey.export({ format: 'der', type: 'spki' }));
  const derive: Derive = (peer) => {
    const peerKey = createPublicKey({ key: dhPublicKeySpki(modulus, generator, peer), format: 'der', type: 'spki' });
    return diffieHellman({ privateKey: pair.privateKey, publicKey: peerKey });
  };
  return { publicKey, derive };
}

/**
 * One side of a Diffie-Hellman exchange with a fresh private key from
 * OpenSSL's random generator. All modular arithmetic runs in OpenSSL.
 *
 * The default group (Appendix B) reuses one OpenSSL object, so a key pair
 * costs one modular exponentiation. A custom group is validated first
 * ({@link validateGroup}), so a hostile `dh_modulus` fails in microseconds.
 * @see OpenID 2.0 §8.4.2, Appendix B
 */
export class DiffieHellman {
  readonly modulus: bigint;
  readonly generator: bigint;
  /** g^x mod p. */
  readonly publicKey: bigint;
  readonly #derive: Derive;

  /** @throws DiffieHellmanError for a custom group that fails {@link validateGroup} */
  constructor(options: DiffieHellmanOptions = {}) {
    this.modulus = options.modulus ?? DEFAULT_DH_MODULUS;
    this.generator = options.generator ?? DEFAULT_DH_GENERATOR;
    let pair: { publicKey: bigint; derive: Derive };
    if (this.isDefaultGroup()) pair = defaultGroupKeyPair();
    else {
      validateGroup(this.modulus, this.generator, options);
      pair = customGroupKeyPair(this.modulus, this.generator);
    }
    this.publicKey = pair.publicKey;
    this.#derive = pair.derive;
  }

  /** Whether this exchange uses the Appendix B modulus and generator 2. */
  isDefaultGroup(): boolean {
    return this.modulus === DEFAULT_DH_MODULUS && this.generator === DEFAULT_DH_GENERATOR;
  }

  /**
   * Refuses public keys outside 1 < y < p − 1: 0, 1 and p − 1 force a
   * shared secret that anyone can guess.
   * @throws DiffieHellmanError
   */
  checkPublicKey(peerPublic: bigint): void {
    if (peerPublic <= 1n || peerPublic >= this.modulus - 1n) {
      throw new DiffieHellmanError('The Diffie-Hellman public key must lie between 1 and the modulus minus 1');
    }
  }

  /**
   * The shared secret (g^y)^x mod p as an integer.
   * @throws DiffieHellmanError for a peer key outside 1 < y < p − 1
   */
  computeSharedSecret(peerPublic: bigint): bigint {
    this.checkPublicKey(peerPublic);
    let raw: Buffer;
    try {
      raw = this.#derive(peerPublic);
    } catch (cause) {
      throw new DiffieHellmanError('OpenSSL refused the Diffie-Hellman public key', { cause });
    }
    return fromBtwoc(stripLeadingZeros(raw));
  }

  /**
   * `secret XOR H(btwoc(g^(xy) mod p))`: encrypts or decrypts a MAC key.
   * OpenSSL pads the shared secret to the modulus length; the hash must be
   * over its btwoc form (§4.2), or about one exchange in a few hundred
   * disagrees with other implementations.
   * @throws DiffieHellmanError for a bad peer key or a secret whose length is not the hash's
   * @see OpenID 2.0 §8.2.3
   */
  xorSecret(hash: DHHash, peerPublic: bigint, secret: Uint8Array): Buffer {
    const size = hash === 'sha1' ? 20 : 32;
    if (secret.length !== size) {
      throw new DiffieHellmanError(`A ${hash} MAC key must be ${size} bytes long, not ${secret.length}`);
    }
    const digest = createHash(hash).update(btwoc(this.computeSharedSecret(peerPublic))).digest();
    const out = Buffer.alloc(secret.length);
    for (let i = 0; i < secret.length; i += 1) out[i] = (secret[i] as number) ^ (digest[i] as number);
    return out;
  }
}

/** Node supports 'dh' key pairs; its type declarations do not list them. */
const generateDHKeyPair = generateKeyPairSync as unknown as (
  type: 'dh',
  options: { prime: Buffer; generator: number },
) => { publicKey: KeyObject; privateKey: KeyObject };

/** 256 random bits from OpenSSL's generator, as a private exponent above 1. */
function freshPrivateKey(): Buffer {
  for (;;) {
    const bytes = randomBytes(PRIVATE_KEY_BYTES);
    if (fromBtwoc(bytes) > 1n) return bytes;
  }
}
