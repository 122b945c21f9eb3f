/**
 * Sealed association handles: the provider keeps no association at all. The
 * handle itself carries the association (type, kind, issue time, lifetime
 * and secret), encrypted and authenticated with AES-256-GCM under a server
 * key, so any instance holding the keys can read it back, and nobody without
 * them can read, forge or alter one. DotNetOpenAuth's provider does the same.
 *
 * Handle: `{sealed}{<key id>}{<base64url(iv ‖ ciphertext ‖ tag)>}`, at most
 * 12 + 32 + 99 characters, all printable ASCII (§8.2.1: 1 to 255). The key
 * id and the kind of association (shared or private) are authenticated too,
 * so a handle is never read under another key nor as the other kind.
 *
 * Keys come as a list: the first seals new handles, every one opens them, so
 * a new key goes first and the old one stays listed until the associations
 * it sealed have expired (at most `associationLifetime`).
 * @see OpenID 2.0 §8.2.1 (handles), §10.1, §11.4.2
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Association, isValidHandle, secretLengthOf, type AssociationType } from '../association.js';
import { OpenIDConfigError } from '../errors.js';

/** One server key: an id (carried in handles, not secret) and 32 random bytes. */
export interface SealingKey {
  /** 1 to 32 letters, digits, `.`, `_` or `-`; unique in the list. */
  id: string;
  /** 32 bytes from a secure random source (`crypto.randomBytes(32)`), the same on every instance. */
  key: Uint8Array;
}

/** Options of sealed handles: the key list, newest first. */
export interface SealedHandlesOptions {
  /** The first key seals, all of them open. */
  keys: readonly SealingKey[];
}

const PREFIX = '{sealed}';
const KEY_ID = /^[A-Za-z0-9._-]{1,32}$/;
const HANDLE = /^\{sealed\}\{([A-Za-z0-9._-]{1,32})\}\{([A-Za-z0-9_-]+)\}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** type (1), kind (1), issued (8), lifetime (4), then the secret (20 or 32). */
const HEADER_BYTES = 14;
const TYPES: readonly AssociationType[] = ['HMAC-SHA1', 'HMAC-SHA256'];

/**
 * Checks the key list.
 * @throws OpenIDConfigError (option `sealedHandles`) for an empty list, a bad or repeated id, or a key that is not 32 bytes
 */
function checkKeys(options: SealedHandlesOptions): Map<string, Buffer> {
  const keys = options?.keys;
  if (!Array.isArray(keys) || keys.length === 0) throw new OpenIDConfigError('needs a non-empty list of keys ({ id, key })', 'sealedHandles');
  const byId = new Map<string, Buffer>();
  for (const entry of keys as readonly SealingKey[]) {
    if (typeof entry?.id !== 'string' || !KEY_ID.test(entry.id)) {
      throw new OpenIDConfigError('a key id is 1 to 32 letters, digits, ".", "_" or "-"', 'sealedHandles');
    }
    if (byId.has(entry.id)) throw new OpenIDConfigError(`the key id ${entry.id} is listed twice`, 'sealedHandles');
    if (!(entry.key instanceof Uint8Array) || entry.key.length !== 32) {
      throw new OpenIDConfigError(`the key ${entry.id} must be 32 bytes (AES-256)`, 'sealedHandles');
    }
    byId.set(entry.id, Buffer.from(entry.key));
  }
  return byId;
}

/** Whether a handle has the shape of a sealed one (it may still fail to open). */
export function isSealedHandle(handle: string): boolean {
  return handle.startsWith(PREFIX);
}

/** Seals associations into handles and opens them again (see the module comment). */
export class SealedHandles {
  readonly #keys: Map<string, Buffer>;
  readonly #current: string;

  /** @throws OpenIDConfigError for a bad key list */
  constructor(options: SealedHandlesOptions) {
    this.#keys = checkKeys(options);
    this.#current = (options.keys[0] as SealingKey).id;
  }

  #aad(keyId: string, shared: boolean): Buffer {
    return Buffer.from(`${PREFIX}${keyId}|${shared ? 'shared' : 'private'}`, 'ascii');
  }

  /** A new association with a fresh secret, its handle sealing it under the first key. */
  create(assocType: AssociationType, shared: boolean, issued: number, lifetime: number): Association {
    const secret = randomBytes(secretLengthOf(assocType));
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt8(TYPES.indexOf(assocType), 0);
    header.writeUInt8(shared ? 1 : 0, 1);
    header.writeBigUInt64BE(BigInt(issued), 2);
    header.writeUInt32BE(lifetime, 10);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#keys.get(this.#current) as Buffer, iv);
    cipher.setAAD(this.#aad(this.#current, shared));
    const sealed = Buffer.concat([iv, cipher.update(Buffer.concat([header, secret])), cipher.final(), cipher.getAuthTag()]);
    const handle = `${PREFIX}{${this.#current}}{${sealed.toString('base64url')}}`;
    return new Association({ handle, secret, issued, lifetime, assocType });
  }

  /**
   * The association a handle seals, if it is a genuine handle of this kind
   * under a listed key; `undefined` for anything else (unknown key id,
   * altered or truncated handle, the other kind). Expiry is the caller's.
   */
  open(handle: string, shared: boolean): Association | undefined {
    if (!isValidHandle(handle)) return undefined;
    const match = HANDLE.exec(handle);
    const keyId = match?.[1];
    const key = keyId === undefined ? undefined : this.#keys.get(keyId);
    if (match === null || keyId === undefined || key === undefined) return undefined;
    const sealed = Buffer.from(match[2] as string, 'base64url');
    // Canonical base64url only: one association, one handle.
    if (sealed.toString('base64url') !== match[2] || sealed.length < IV_BYTES + HEADER_BYTES + TAG_BYTES) return undefined;
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(this.#aad(keyId, shared));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      return undefined;
    }
    const assocType = TYPES[plain.readUInt8(0)];
    if (assocType === undefined || plain.readUInt8(1) !== (shared ? 1 : 0)) return undefined;
    const secret = plain.subarray(HEADER_BYTES);
    if (secret.length !== secretLengthOf(assocType)) return undefined;
    return new Association({ handle, secret, issued: Number(plain.readBigUInt64BE(2)), lifetime: plain.readUInt32BE(10), assocType });
  }
}
