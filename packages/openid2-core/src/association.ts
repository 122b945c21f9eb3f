/**
 * Associations: shared secrets between a relying party and an OP, used to
 * sign and verify messages.
 * @see OpenID 2.0 §6, §8.3
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeBase64Strict } from './btwoc.js';
import { AssociationError } from './errors.js';
import { kvForm, serializeLine } from './kv-form.js';
import { OPENID_NS, type Message } from './message.js';

/** Association (signature) types (§8.3). */
export type AssociationType = 'HMAC-SHA1' | 'HMAC-SHA256';
/** Every association type, strongest first. */
export const ASSOCIATION_TYPES: readonly AssociationType[] = ['HMAC-SHA256', 'HMAC-SHA1'];

const ALGORITHMS: Readonly<Record<AssociationType, { hash: 'sha1' | 'sha256'; secretLength: number }>> = {
  'HMAC-SHA1': { hash: 'sha1', secretLength: 20 },
  'HMAC-SHA256': { hash: 'sha256', secretLength: 32 },
};

/** Whether a value names an association type. */
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

/**
 * A fresh, unguessable handle, `{type}{issued in hex}{144 random bits}`:
 * printable ASCII well under 255 characters (§8.2.1). The random part comes
 * from OpenSSL's generator, so handles cannot be predicted or collide.
 * @param issued seconds since the epoch
 */
export function newHandle(type: AssociationType, issued: number = Math.floor(Date.now() / 1000)): string {
  return `{${type}}{${issued.toString(16)}}{${randomBytes(18).toString('base64url')}}`;
}

/** The fields of an {@link Association}. */
export interface AssociationInit {
  /** 1 to 255 printable ASCII characters (§8.2.1). */
  handle: string;
  /** The MAC key: 20 bytes for HMAC-SHA1, 32 for HMAC-SHA256 (§6.2). */
  secret: Uint8Array;
  /** Seconds since the epoch. */
  issued: number;
  /** Seconds. */
  lifetime: number;
  assocType: AssociationType;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

/** A signed-list entry: a field name without `openid.`, no comma, no whitespace. */
const SIGNED_FIELD = /^[\x21-\x2b\x2d-\x7e]+$/;

/**
 * A shared secret with its handle, type and lifetime. Immutable; the
 * constructor validates every field.
 * @see OpenID 2.0 §6, §8.3
 */
export class Association {
  readonly handle: string;
  readonly secret: Buffer;
  readonly issued: number;
  readonly lifetime: number;
  readonly assocType: AssociationType;

  /** @throws AssociationError for an unknown type, a bad handle, a secret of the wrong length or bad times */
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

  /**
   * An association issued `now` that expires in `expiresIn` seconds (as
   * `expires_in` says, §8.2.1).
   * @param now seconds since the epoch
   */
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

  /** Whether the association has expired. @param now seconds since the epoch */
  isExpired(now: number = nowSeconds()): boolean {
    return this.expiresIn(now) <= 0;
  }

  /**
   * HMAC over the key-value form of `pairs`, in their order, values as
   * UTF-8 (§6.1).
   * @throws KVFormError for a key or value that key-value form cannot carry (a newline, a colon in a key)
   */
  sign(pairs: Iterable<readonly [string, string]>): Buffer {
    return this.#mac(kvForm.serialize(pairs, { strict: false }));
  }

  /**
   * Sets `openid.assoc_handle` to this association's handle, then signs
   * `fields` (names without `openid.`, in wire form such as `sreg.email`;
   * default: every `openid.*` field of the message, as python-openid does)
   * and sets `openid.signed` and `openid.sig`. `assoc_handle` and `signed`
   * are always among the signed fields.
   * @throws AssociationError when the message is already signed, a field name is malformed or a listed field is missing
   * @see OpenID 2.0 §6.1, §10.1
   */
  signMessage(message: Message, fields?: readonly string[]): void {
    if (message.hasKey(OPENID_NS, 'sig') || message.hasKey(OPENID_NS, 'signed')) {
      throw new AssociationError('The message is already signed');
    }
    const list = [...(fields ?? message.openIDKeys())];
    for (const required of ['assoc_handle', 'signed']) if (!list.includes(required)) list.push(required);
    const signed = list.join(',');
    // Compute everything before touching the message, so a failure leaves it unchanged.
    const pairs = list.map((field): [string, string] => {
      if (!SIGNED_FIELD.test(field)) throw new AssociationError(`Cannot sign a field named ${JSON.stringify(field)}`);
      if (field === 'assoc_handle') return [field, this.handle];
      if (field === 'signed') return [field, signed];
      const value = message.getSignedFieldValue(field);
      if (value === undefined) throw new AssociationError(`The field openid.${field} to sign is missing from the message`);
      return [field, value];
    });
    const sig = this.sign(pairs).toString('base64');
    message.setArg(OPENID_NS, 'assoc_handle', this.handle);
    message.setArg(OPENID_NS, 'signed', signed);
    message.setArg(OPENID_NS, 'sig', sig);
  }

  /**
   * base64 signature over the message's `openid.signed` list, in list
   * order, with each value exactly as on the wire.
   * @throws AssociationError when `openid.signed` is missing or names a field the message lacks
   * @see OpenID 2.0 §6.1
   */
  getMessageSignature(message: Message): string {
    return this.#messageSignature(message).toString('base64');
  }

  #messageSignature(message: Message): Buffer {
    const signed = message.getArg(OPENID_NS, 'signed');
    if (signed === undefined) throw new AssociationError('The message has no openid.signed list');
    // The key-value form of the signed fields, built in one pass (as sign() would serialize them).
    let text = '';
    for (const field of signed.split(',')) {
      const value = message.getSignedFieldValue(field);
      if (value === undefined) throw new AssociationError(`The signed field openid.${field} is missing from the message`);
      text += serializeLine(field, value);
    }
    return this.#mac(text);
  }

  #mac(text: string): Buffer {
    return createHmac(ALGORITHMS[this.assocType].hash, this.secret).update(text, 'utf8').digest();
  }

  /**
   * Whether `openid.sig` is this association's signature over the signed
   * fields, compared in constant time with the canonical base64 of the MAC; a
   * malformed or non-canonical signature, a length mismatch or a missing
   * signed field is `false`, never an exception.
   * @see OpenID 2.0 §11.4.1
   */
  verifyMessage(message: Message): boolean {
    const sig = message.getArg(OPENID_NS, 'sig');
    if (sig === undefined) return false;
    let expected: Buffer;
    try {
      expected = this.#messageSignature(message);
    } catch {
      return false;
    }
    // Canonical base64 is one text per byte string: comparing the texts
    // accepts exactly the signature whose strict decoding equals the MAC, and
    // anything else (other padding, whitespace, non-zero padding bits) fails.
    // A non-ASCII character's UTF-8 bytes (all ≥ 0x80) never match ASCII.
    const wanted = Buffer.from(expected.toString('base64'), 'latin1');
    const given = Buffer.from(sig, 'utf8');
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }

  /** A key-value text form with a version line, for stores; {@link Association.deserialize} reads it back. */
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

  /**
   * Reads {@link Association.serialize}'s form strictly: exactly its fields,
   * version 2, strict base64, whole numbers, then the constructor's checks.
   * @throws AssociationError for anything else
   */
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
    let secret: Buffer;
    try {
      secret = decodeBase64Strict(fields.secret as string, 'stored association secret');
    } catch (cause) {
      throw new AssociationError('A stored association secret is not base64', { cause });
    }
    const number = (value: string | undefined): number => (/^\d{1,15}$/.test(value ?? '') ? Number(value) : Number.NaN);
    const assocType = fields.assoc_type;
    if (!isAssociationType(assocType)) throw new AssociationError('A stored association has an unknown type');
    return new Association({
      handle: fields.handle as string,
      secret,
      issued: number(fields.issued),
      lifetime: number(fields.lifetime),
      assocType,
    });
  }
}
