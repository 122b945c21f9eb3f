/**
 * Associations: shared secrets between a relying party and an OP, used to
 * sign and verify messages.
 * @see OpenID 2.0 §6, §8.3
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AssociationError } from './errors.js';
import { kvForm } from './kv-form.js';
import { OPENID_NS, type Message } from './message.js';

export type AssociationType = 'HMAC-SHA1' | 'HMAC-SHA256';
export const ASSOCIATION_TYPES: readonly AssociationType[] = ['HMAC-SHA256', 'HMAC-SHA1'];

const ALGORITHMS: Readonly<Record<AssociationType, { hash: 'sha1' | 'sha256'; secretLength: number }>> = {
  'HMAC-SHA1': { hash: 'sha1', secretLength: 20 },
  'HMAC-SHA256': { hash: 'sha256', secretLength: 32 },
};

export function isAssociationType(value: unknown): value is AssociationType {
  return value === 'HMAC-SHA1' || value === 'HMAC-SHA256';
}

/** MAC key length of an association type: 20 bytes for HMAC-SHA1, 32 for HMAC-SHA256. */
export function secretLengthOf(type: AssociationType): number {
  return ALGORITHMS[type].secretLength;
}

/** Handles are 1 to 255 printable ASCII characters (§8.2.1). */
export function isValidHandle(handle: string): boolean {
  return handle.length >= 1 && handle.length <= 255 && /^[\x21-\x7e]+$/.test(handle);
}

/** A fresh, unguessable handle: `{type}{issued}{random}`. */
export function newHandle(type: AssociationType, issued: number = Math.floor(Date.now() / 1000)): string {
  return `{${type}}{${issued.toString(16)}}{${randomBytes(18).toString('base64url')}}`;
}

export interface AssociationInit {
  handle: string;
  secret: Uint8Array;
  /** Seconds since the epoch. */
  issued: number;
  /** Seconds. */
  lifetime: number;
  assocType: AssociationType;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** Decodes strict base64 or returns undefined (verification must never throw). */
function decodeSignature(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0 || text.length === 0) return undefined;
  return Buffer.from(text, 'base64');
}

/** A shared secret with its handle, type and lifetime. Immutable. */
export class Association {
  readonly handle: string;
  readonly secret: Buffer;
  readonly issued: number;
  readonly lifetime: number;
  readonly assocType: AssociationType;

  constructor(init: AssociationInit) {
    if (!isAssociationType(init.assocType)) throw new AssociationError(`Unknown association type ${JSON.stringify(init.assocType)}`);
    if (typeof init.handle !== 'string' || !isValidHandle(init.handle)) {
      throw new AssociationError('An association handle must be 1 to 255 printable ASCII characters');
    }
    const expected = secretLengthOf(init.assocType);
    if (init.secret.length !== expected) {
      throw new AssociationError(`An ${init.assocType} secret must be ${expected} bytes long, not ${init.secret.length}`);
    }
    if (!Number.isSafeInteger(init.issued) || !Number.isSafeInteger(init.lifetime) || init.lifetime < 0) {
      throw new AssociationError('Association issue time and lifetime must be whole, non-negative seconds');
    }
    this.handle = init.handle;
    this.secret = Buffer.from(init.secret);
    this.issued = init.issued;
    this.lifetime = init.lifetime;
    this.assocType = init.assocType;
  }

  /** An association issued now that expires in `expiresIn` seconds (as `expires_in` says, §8.2.1). */
  static fromExpiresIn(expiresIn: number, handle: string, secret: Uint8Array, assocType: AssociationType, now = nowSeconds()): Association {
    return new Association({ handle, secret, issued: now, lifetime: expiresIn, assocType });
  }

  /** Seconds since the epoch at which the association expires. */
  get expiresAt(): number {
    return this.issued + this.lifetime;
  }

  /** Seconds left before expiry (0 once expired). @param now seconds since the epoch */
  expiresIn(now: number = nowSeconds()): number {
    return Math.max(0, this.expiresAt - now);
  }

  isExpired(now: number = nowSeconds()): boolean {
    return this.expiresIn(now) <= 0;
  }

  /** HMAC over the key-value form of `pairs`, in their order (§6.1). */
  sign(pairs: Iterable<readonly [string, string]>): Buffer {
    const text = kvForm.serialize(pairs, { strict: false });
    return createHmac(ALGORITHMS[this.assocType].hash, this.secret).update(text, 'utf8').digest();
  }

  /**
   * Signs `fields` of the message (default: every `openid.*` field already
   * set) and sets `openid.assoc_handle`, `openid.signed` and `openid.sig`.
   * `assoc_handle` and `signed` are always among the signed fields.
   */
  signMessage(message: Message, fields?: readonly string[]): void {
    if (message.hasKey(OPENID_NS, 'sig') || message.hasKey(OPENID_NS, 'signed')) {
      throw new AssociationError('The message is already signed');
    }
    message.setArg(OPENID_NS, 'assoc_handle', this.handle);
    const list = [...(fields ?? message.openIDKeys())];
    for (const required of ['assoc_handle', 'signed']) if (!list.includes(required)) list.push(required);
    message.setArg(OPENID_NS, 'signed', list.join(','));
    message.setArg(OPENID_NS, 'sig', this.getMessageSignature(message));
  }

  /** base64 signature over the message's `openid.signed` list, in list order. */
  getMessageSignature(message: Message): string {
    const signed = message.getArg(OPENID_NS, 'signed');
    if (signed === undefined) throw new AssociationError('The message has no openid.signed list');
    const pairs: Array<[string, string]> = [];
    for (const field of signed.split(',')) {
      const value = message.getSignedFieldValue(field);
      if (value === undefined) throw new AssociationError(`The signed field openid.${field} is missing from the message`);
      pairs.push([field, value]);
    }
    return this.sign(pairs).toString('base64');
  }

  /**
   * Whether `openid.sig` is this association's signature over the signed
   * fields. Compares decoded bytes in constant time; a malformed signature, a
   * length mismatch or a missing signed field is `false`, never an exception.
   * @see OpenID 2.0 §11.4.1
   */
  verifyMessage(message: Message): boolean {
    const sig = message.getArg(OPENID_NS, 'sig');
    if (sig === undefined) return false;
    const given = decodeSignature(sig);
    if (given === undefined) return false;
    let expected: Buffer;
    try {
      expected = Buffer.from(this.getMessageSignature(message), 'base64');
    } catch {
      return false;
    }
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  /** A text form for stores; {@link Association.deserialize} reads it back. */
  serialize(): string {
    return kvForm.serialize([
      ['version', '2'],
      ['handle', this.handle],
      ['secret', this.secret.toString('base64')],
      ['issued', String(this.issued)],
      ['lifetime', String(this.lifetime)],
      ['assoc_type', this.assocType],
    ]);
  }

  static deserialize(text: string): Association {
    let fields: Record<string, string>;
    try {
      fields = kvForm.parse(text);
    } catch (cause) {
      throw new AssociationError('A stored association is not valid key-value form', { cause });
    }
    const keys = Object.keys(fields).sort().join(',');
    if (keys !== 'assoc_type,handle,issued,lifetime,secret,version' || fields.version !== '2') {
      throw new AssociationError('A stored association has unexpected fields or version');
    }
    const secret = fields.secret as string;
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(secret)) throw new AssociationError('A stored association secret is not base64');
    const number = (value: string | undefined): number => (/^\d{1,15}$/.test(value ?? '') ? Number(value) : Number.NaN);
    const assocType = fields.assoc_type;
    if (!isAssociationType(assocType)) throw new AssociationError('A stored association has an unknown type');
    return new Association({
      handle: fields.handle as string,
      secret: Buffer.from(secret, 'base64'),
      issued: number(fields.issued),
      lifetime: number(fields.lifetime),
      assocType,
    });
  }
}
