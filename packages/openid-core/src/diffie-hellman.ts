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

/** Hard ceiling on modulus size, whatever the options say: larger ones cost seconds of CPU. */
export const MAX_MODULUS_BITS_CEILING = 4096;

export interface DiffieHellmanLimits {
  /**
   * Smallest modulus accepted. The default group is 1024 bits; smaller
   * moduli protect the MAC key too weakly to be worth accepting.
   * @default 1024
   */
  minModulusBits?: number;
  /**
   * Largest modulus accepted; capped at {@link MAX_MODULUS_BITS_CEILING}.
   * @default 2048
   */
  maxModulusBits?: number;
}

export interface DiffieHellmanOptions extends DiffieHellmanLimits {
  /** @default DEFAULT_DH_MODULUS */
  modulus?: bigint;
  /** @default DEFAULT_DH_GENERATOR */
  generator?: bigint;
}

export type DHHash = 'sha1' | 'sha256';

/** Private exponents of 256 bits: ample for groups up to 3072 bits (128-bit security). */
const PRIVATE_KEY_BYTES = 32;

let defaultGroup: NodeDiffieHellman | undefined;

/**
 * One OpenSSL object for the default group, created once: creating it runs a
 * safe-prime check that costs tens of milliseconds. Each exchange loads its
 * own private key into it synchronously, so sharing it is safe.
 */
function defaultGroupObject(): NodeDiffieHellman {
  defaultGroup ??= createDiffieHellman(btwoc(DEFAULT_DH_MODULUS), btwoc(DEFAULT_DH_GENERATOR));
  return defaultGroup;
}

function stripLeadingZeros(bytes: Buffer): Buffer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i += 1;
  return bytes.subarray(i);
}

/** Checks a group before any expensive work is done with it. */
export function validateGroup(modulus: bigint, generator: bigint, limits: DiffieHellmanLimits = {}): void {
  const min = limits.minModulusBits ?? 1024;
  const max = Math.min(limits.maxModulusBits ?? 2048, MAX_MODULUS_BITS_CEILING);
  if (modulus <= 3n || modulus % 2n === 0n) throw new DiffieHellmanError('The Diffie-Hellman modulus must be an odd prime');
  const bits = modulus.toString(2).length;
  if (bits < min) throw new DiffieHellmanError(`The Diffie-Hellman modulus has ${bits} bits; at least ${min} are required`);
  if (bits > max) throw new DiffieHellmanError(`The Diffie-Hellman modulus has ${bits} bits; at most ${max} are accepted`);
  if (generator <= 1n || generator >= modulus - 1n) {
    throw new DiffieHellmanError('The Diffie-Hellman generator must lie between 1 and the modulus minus 1');
  }
}

/**
 * One side of a Diffie-Hellman exchange with a fresh private key.
 * @see OpenID 2.0 §8.4.2
 */
export class DiffieHellman {
  readonly modulus: bigint;
  readonly generator: bigint;
  readonly publicKey: bigint;
  readonly #derive: (peer: bigint) => Buffer;

  constructor(options: DiffieHellmanOptions = {}) {
    this.modulus = options.modulus ?? DEFAULT_DH_MODULUS;
    this.generator = options.generator ?? DEFAULT_DH_GENERATOR;
    if (this.isDefaultGroup()) {
      const privateKey = freshPrivateKey();
      const group = defaultGroupObject();
      group.setPrivateKey(privateKey);
      group.generateKeys();
      this.publicKey = fromBtwoc(group.getPublicKey());
      this.#derive = (peer) => {
        group.setPrivateKey(privateKey);
        return group.computeSecret(btwoc(peer));
      };
      return;
    }
    validateGroup(this.modulus, this.generator, options);
    if (this.generator > 0x7fffffffn) throw new DiffieHellmanError('Custom Diffie-Hellman generators above 2^31 are not supported');
    const pair = generateDHKeyPair('dh', { prime: btwoc(this.modulus), generator: Number(this.generator) });
    this.publicKey = dhPublicValueFromSpki(pair.publicKey.export({ format: 'der', type: 'spki' }));
    const privateKey: KeyObject = pair.privateKey;
    this.#derive = (peer) => {
      const publicKey = createPublicKey({ key: dhPublicKeySpki(this.modulus, this.generator, peer), format: 'der', type: 'spki' });
      return diffieHellman({ privateKey, publicKey });
    };
  }

  isDefaultGroup(): boolean {
    return this.modulus === DEFAULT_DH_MODULUS && this.generator === DEFAULT_DH_GENERATOR;
  }

  /** Refuses public keys outside 1 < y < p − 1 (they force a known shared secret). */
  checkPublicKey(peerPublic: bigint): void {
    if (peerPublic <= 1n || peerPublic >= this.modulus - 1n) {
      throw new DiffieHellmanError('The Diffie-Hellman public key must lie between 1 and the modulus minus 1');
    }
  }

  /** g^(xy) mod p, as the shared secret integer. */
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
   */
  xorSecret(hash: DHHash, peerPublic: bigint, secret: Uint8Array): Buffer {
    const digest = createHash(hash).update(btwoc(this.computeSharedSecret(peerPublic))).digest();
    if (digest.length !== secret.length) {
      throw new DiffieHellmanError(`A ${hash} MAC key must be ${digest.length} bytes long, not ${secret.length}`);
    }
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

function freshPrivateKey(): Buffer {
  for (;;) {
    const bytes = randomBytes(PRIVATE_KEY_BYTES);
    if (fromBtwoc(bytes) > 1n) return bytes;
  }
}
