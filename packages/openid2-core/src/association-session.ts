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
  resolveLimits,
  validateGroup,
  type DHHash,
  type DiffieHellmanLimits,
} from './diffie-hellman.js';
import { AssociationError, DiffieHellmanError, IntegerError } from './errors.js';
import { isAssociationType, secretLengthOf, type AssociationType } from './association.js';

/** Association session types (§8.4). */
export type SessionType = 'DH-SHA1' | 'DH-SHA256' | 'no-encryption';
/** Every session type, strongest first. */
export const SESSION_TYPES: readonly SessionType[] = ['DH-SHA256', 'DH-SHA1', 'no-encryption'];

/** Whether a value names a session type. */
export function isSessionType(value: unknown): value is SessionType {
  return value === 'DH-SHA1' || value === 'DH-SHA256' || value === 'no-encryption';
}

const HASH_OF: Readonly<Record<'DH-SHA1' | 'DH-SHA256', DHHash>> = { 'DH-SHA1': 'sha1', 'DH-SHA256': 'sha256' };

const ALLOWED: Readonly<Record<SessionType, readonly AssociationType[]>> = {
  'DH-SHA1': ['HMAC-SHA1'],
  'DH-SHA256': ['HMAC-SHA256'],
  'no-encryption': ['HMAC-SHA1', 'HMAC-SHA256'],
};

/**
 * Whether an association type may travel over a session type: a DH
 * session's hash must match the MAC's, since the encrypted MAC key is as
 * long as the hash (§8.4.2: HMAC-SHA256 over DH-SHA1 is refused);
 * no-encryption carries either.
 * @see OpenID 2.0 §8.4
 */
export function assocTypeMatchesSession(assocType: AssociationType, sessionType: SessionType): boolean {
  // Callers in plain JavaScript may pass anything: unknown types never match.
  return isSessionType(sessionType) && ALLOWED[sessionType].includes(assocType);
}

/**
 * Whether a session type may be used over a transport. No-encryption
 * sessions send the MAC key in the clear: anyone who reads it can forge
 * assertions, so they are allowed only when the associate request travels
 * over TLS (HTTPS). Callers decide `secure` (the OP: the request arrived
 * over HTTPS; the relying party: the OP endpoint URL is `https:`).
 * @see OpenID 2.0 §8.4.1, §15.1.1
 */
export function sessionAllowedOverTransport(sessionType: SessionType, secure: boolean): boolean {
  return sessionType !== 'no-encryption' || secure;
}

/** The relying party's side of a session. */
export interface ConsumerSession {
  readonly sessionType: SessionType;
  /** The association types this session can carry. */
  readonly allowedAssocTypes: readonly AssociationType[];
  /**
   * The `dh_*` arguments of the associate request, without `openid.` (none
   * for no-encryption; `dh_modulus` and `dh_gen` only for a custom group).
   */
  requestArgs(): Record<string, string>;
  /**
   * The MAC key from the associate response arguments (without `openid.`).
   * `assocType` defaults to the response's `assoc_type`; it must be one this
   * session carries, and the key must be as long as that type's (20 or 32
   * bytes).
   * @throws AssociationError for a missing or malformed key or a type mismatch
   * @throws DiffieHellmanError for a malformed or out-of-range `dh_server_public`
   */
  extractSecret(response: Readonly<Record<string, string | undefined>>, assocType?: AssociationType): Buffer;
}

/** The OP's side of a session. */
export interface ServerSession {
  readonly sessionType: SessionType;
  /** The association types this session can carry. */
  readonly allowedAssocTypes: readonly AssociationType[];
  /**
   * The response arguments carrying `secret` (`dh_server_public` and
   * `enc_mac_key`, or `mac_key`), without `openid.`.
   * @throws AssociationError for a secret of a length this session cannot carry
   */
  answer(secret: Uint8Array): Record<string, string>;
}

/** Options of {@link createConsumerSession}. */
export interface ConsumerSessionOptions {
  /**
   * The key pair to use (for a custom group). Ignored for no-encryption.
   * @default a fresh key pair in the default group
   */
  dh?: DiffieHellman;
}

/** The association type to check the key against: the caller's, else the response's. */
function expectedType(
  sessionType: SessionType,
  response: Readonly<Record<string, string | undefined>>,
  assocType: AssociationType | undefined,
): AssociationType {
  const type = assocType ?? response.assoc_type;
  if (!isAssociationType(type)) throw new AssociationError('The associate response has no valid assoc_type');
  if (!assocTypeMatchesSession(type, sessionType)) throw new AssociationError(`${type} cannot travel over a ${sessionType} session`);
  return type;
}

function decodeKey(text: string | undefined, name: string, assocType: AssociationType): Buffer {
  if (text === undefined) throw new AssociationError(`The associate response has no ${name}`);
  let key: Buffer;
  try {
    key = decodeBase64Strict(text, name);
  } catch (cause) {
    throw new AssociationError(`The associate response's ${name} is not valid base64`, { cause });
  }
  const expected = secretLengthOf(assocType);
  if (key.length !== expected) {
    throw new AssociationError(`The ${assocType} MAC key must be ${expected} bytes long, not ${key.length}`);
  }
  return key;
}

/**
 * Starts the relying party's side of a session: a fresh key pair for DH
 * sessions (from OpenSSL's random generator).
 * @see OpenID 2.0 §8.1, §8.2
 */
export function createConsumerSession(sessionType: SessionType, options: ConsumerSessionOptions = {}): ConsumerSession {
  if (!isSessionType(sessionType)) throw new AssociationError(`Unknown session type ${JSON.stringify(sessionType)}`);
  const allowedAssocTypes = ALLOWED[sessionType];
  if (sessionType === 'no-encryption') {
    return {
      sessionType,
      allowedAssocTypes,
      requestArgs: () => ({}),
      extractSecret: (response, assocType) => decodeKey(response.mac_key, 'mac_key', expectedType(sessionType, response, assocType)),
    };
  }
  const dh = options.dh ?? new DiffieHellman();
  const hash = HASH_OF[sessionType];
  return {
    sessionType,
    allowedAssocTypes,
    requestArgs() {
      const args: Record<string, string> = { dh_consumer_public: intToBase64(dh.publicKey) };
      if (!dh.isDefaultGroup()) {
        args.dh_modulus = intToBase64(dh.modulus);
        args.dh_gen = intToBase64(dh.generator);
      }
      return args;
    },
    extractSecret(response, assocType) {
      const encrypted = decodeKey(response.enc_mac_key, 'enc_mac_key', expectedType(sessionType, response, assocType));
      const serverPublic = readInteger(response, 'dh_server_public', bitLengthBound(dh.modulus));
      if (serverPublic === undefined) throw new DiffieHellmanError('The associate response has no dh_server_public');
      return dh.xorSecret(hash, serverPublic, encrypted);
    },
  };
}

function bitLengthBound(modulus: bigint): number {
  return modulus.toString(16).length * 4;
}

/**
 * Reads a base64 integer argument after bounding its length, so huge inputs
 * cost nothing: a value of more than `maxBits` bits is refused undecoded.
 */
function readInteger(args: Readonly<Record<string, string | undefined>>, name: string, maxBits: number): bigint | undefined {
  const text = args[name];
  if (text === undefined) return undefined;
  // base64 of btwoc: up to one extra sign byte, 4 characters per 3 bytes.
  const maxChars = Math.ceil((Math.ceil(maxBits / 8) + 1) / 3) * 4;
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
 * (without `openid.`): `dh_modulus` and `dh_gen` (defaults: Appendix B and
 * 2) and `dh_consumer_public`. Hostile parameters fail fast with a
 * {@link DiffieHellmanError}: an oversized modulus is refused before it is
 * even decoded, a bad group or public key before any key is generated.
 * @see OpenID 2.0 §8.1.2, §8.2.3
 */
export function createServerSession(
  sessionType: SessionType,
  args: Readonly<Record<string, string | undefined>>,
  limits: DiffieHellmanLimits = {},
): ServerSession {
  if (!isSessionType(sessionType)) throw new AssociationError(`Unknown session type ${JSON.stringify(sessionType)}`);
  const allowedAssocTypes = ALLOWED[sessionType];
  if (sessionType === 'no-encryption') {
    return { sessionType, allowedAssocTypes, answer: (secret) => ({ mac_key: Buffer.from(checkSecret(sessionType, secret)).toString('base64') }) };
  }
  const { maxModulusBits } = resolveLimits(limits);
  const modulus = readInteger(args, 'dh_modulus', maxModulusBits) ?? DEFAULT_DH_MODULUS;
  const generator = readInteger(args, 'dh_gen', maxModulusBits) ?? DEFAULT_DH_GENERATOR;
  const consumerPublic = readInteger(args, 'dh_consumer_public', maxModulusBits);
  if (consumerPublic === undefined) throw new DiffieHellmanError('dh_consumer_public is missing');
  if (modulus !== DEFAULT_DH_MODULUS || generator !== DEFAULT_DH_GENERATOR) validateGroup(modulus, generator, limits);
  if (consumerPublic <= 1n || consumerPublic >= modulus - 1n) {
    throw new DiffieHellmanError('dh_consumer_public must lie between 1 and the modulus minus 1');
  }
  const dh = new DiffieHellman({ ...limits, modulus, generator });
  const hash = HASH_OF[sessionType];
  return {
    sessionType,
    allowedAssocTypes,
    answer: (secret) => ({
      dh_server_public: intToBase64(dh.publicKey),
      enc_mac_key: dh.xorSecret(hash, consumerPublic, checkSecret(sessionType, secret)).toString('base64'),
    }),
  };
}

/** A MAC key must be as long as one of the types the session carries. */
function checkSecret(sessionType: SessionType, secret: Uint8Array): Uint8Array {
  if (!ALLOWED[sessionType].some((type) => secretLengthOf(type) === secret.length)) {
    throw new AssociationError(`A ${secret.length}-byte MAC key cannot travel over a ${sessionType} session`);
  }
  return secret;
}

/** A fresh random MAC key for an association type (20 or 32 bytes from OpenSSL's generator). */
export function newSecret(assocType: AssociationType): Buffer {
  return randomBytes(secretLengthOf(assocType));
}
