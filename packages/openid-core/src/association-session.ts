/**
 * Association session types: how the MAC key travels from the OP to the
 * relying party during `associate`.
 * @see OpenID 2.0 §8.1, §8.2, §8.4
 */
import { randomBytes } from 'node:crypto';
import { base64ToInt, decodeBase64Strict, intToBase64 } from './btwoc.js';
import {
  DEFAULT_DH_GENERATOR,
  DEFAULT_DH_MODULUS,
  DiffieHellman,
  MAX_MODULUS_BITS_CEILING,
  type DHHash,
  type DiffieHellmanLimits,
} from './diffie-hellman.js';
import { AssociationError, DiffieHellmanError, IntegerError } from './errors.js';
import { secretLengthOf, type AssociationType } from './association.js';

export type SessionType = 'DH-SHA1' | 'DH-SHA256' | 'no-encryption';
export const SESSION_TYPES: readonly SessionType[] = ['DH-SHA256', 'DH-SHA1', 'no-encryption'];

export function isSessionType(value: unknown): value is SessionType {
  return value === 'DH-SHA1' || value === 'DH-SHA256' || value === 'no-encryption';
}

const HASH_OF: Readonly<Record<'DH-SHA1' | 'DH-SHA256', DHHash>> = { 'DH-SHA1': 'sha1', 'DH-SHA256': 'sha256' };

/**
 * Whether an association type may travel over a session type: a DH
 * session's hash must match the MAC's (§8.4.2: HMAC-SHA256 over DH-SHA1 is
 * refused); no-encryption carries either.
 */
export function assocTypeMatchesSession(assocType: AssociationType, sessionType: SessionType): boolean {
  if (sessionType === 'no-encryption') return true;
  return (sessionType === 'DH-SHA1') === (assocType === 'HMAC-SHA1');
}

/**
 * No-encryption sessions send the MAC key in the clear: allowed only over
 * TLS (§8.4.1, §15.1.1).
 */
export function sessionAllowedOverTransport(sessionType: SessionType, secure: boolean): boolean {
  return sessionType !== 'no-encryption' || secure;
}

/** The relying party's side of a session. */
export interface ConsumerSession {
  readonly sessionType: SessionType;
  /** The `dh_*` arguments of the associate request (none for no-encryption). */
  requestArgs(): Record<string, string>;
  /** The MAC key from the associate response arguments (without `openid.`). */
  extractSecret(response: Readonly<Record<string, string | undefined>>, assocType: AssociationType): Buffer;
}

/** The OP's side of a session. */
export interface ServerSession {
  readonly sessionType: SessionType;
  /** The response arguments carrying `secret` (`dh_server_public` + `enc_mac_key`, or `mac_key`). */
  answer(secret: Uint8Array): Record<string, string>;
}

function checkLength(secret: Uint8Array, assocType: AssociationType): void {
  const expected = secretLengthOf(assocType);
  if (secret.length !== expected) {
    throw new AssociationError(`The ${assocType} MAC key must be ${expected} bytes long, not ${secret.length}`);
  }
}

/** Starts the relying party's side of a session (a fresh DH key pair for DH sessions). */
export function createConsumerSession(sessionType: SessionType, options: { dh?: DiffieHellman } = {}): ConsumerSession {
  if (sessionType === 'no-encryption') {
    return {
      sessionType,
      requestArgs: () => ({}),
      extractSecret(response, assocType) {
        const secret = decodeBase64Strict(response.mac_key ?? '', 'mac_key');
        checkLength(secret, assocType);
        return secret;
      },
    };
  }
  const dh = options.dh ?? new DiffieHellman();
  const hash = HASH_OF[sessionType];
  return {
    sessionType,
    requestArgs() {
      const args: Record<string, string> = { dh_consumer_public: intToBase64(dh.publicKey) };
      if (!dh.isDefaultGroup()) {
        args.dh_modulus = intToBase64(dh.modulus);
        args.dh_gen = intToBase64(dh.generator);
      }
      return args;
    },
    extractSecret(response, assocType) {
      const serverPublic = base64ToInt(response.dh_server_public ?? '', 'dh_server_public');
      const encrypted = decodeBase64Strict(response.enc_mac_key ?? '', 'enc_mac_key');
      checkLength(encrypted, assocType);
      return dh.xorSecret(hash, serverPublic, encrypted);
    },
  };
}

/** Reads a base64 integer argument after bounding its length, so huge inputs cost nothing. */
function readInteger(args: Readonly<Record<string, string | undefined>>, name: string, maxBits: number): bigint | undefined {
  const text = args[name];
  if (text === undefined) return undefined;
  const maxChars = Math.ceil((maxBits + 8) / 6) + 4;
  if (text.length > maxChars) throw new DiffieHellmanError(`${name} is larger than ${maxBits} bits`);
  try {
    return base64ToInt(text, name);
  } catch (cause) {
    if (cause instanceof IntegerError) throw new DiffieHellmanError(cause.message, { cause });
    throw cause;
  }
}

/**
 * Starts the OP's side of a session from the associate request's arguments
 * (without `openid.`). Hostile parameters fail fast with a
 * {@link DiffieHellmanError}: an oversized modulus is refused before it is
 * even decoded.
 */
export function createServerSession(
  sessionType: SessionType,
  args: Readonly<Record<string, string | undefined>>,
  limits: DiffieHellmanLimits = {},
): ServerSession {
  if (sessionType === 'no-encryption') {
    return { sessionType, answer: (secret) => ({ mac_key: Buffer.from(secret).toString('base64') }) };
  }
  const maxBits = Math.min(limits.maxModulusBits ?? 2048, MAX_MODULUS_BITS_CEILING);
  const modulus = readInteger(args, 'dh_modulus', maxBits) ?? DEFAULT_DH_MODULUS;
  const generator = readInteger(args, 'dh_gen', maxBits) ?? DEFAULT_DH_GENERATOR;
  const consumerPublic = readInteger(args, 'dh_consumer_public', maxBits);
  if (consumerPublic === undefined) throw new DiffieHellmanError('dh_consumer_public is missing');
  const dh = new DiffieHellman({ ...limits, modulus, generator });
  dh.checkPublicKey(consumerPublic);
  const hash = HASH_OF[sessionType];
  return {
    sessionType,
    answer(secret) {
      return {
        dh_server_public: intToBase64(dh.publicKey),
        enc_mac_key: dh.xorSecret(hash, consumerPublic, secret).toString('base64'),
      };
    },
  };
}

/** A fresh random MAC key for an association type. */
export function newSecret(assocType: AssociationType): Buffer {
  return randomBytes(secretLengthOf(assocType));
}
