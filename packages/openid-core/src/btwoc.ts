/**
 * Arbitrary-precision integers as OpenID encodes them: big-endian two's
 * complement ("btwoc"), usually base64-encoded on the wire.
 * @see OpenID 2.0 §4.2
 */
import { IntegerError } from './errors.js';

/**
 * The shortest big-endian two's complement representation of a
 * non-negative integer: a zero byte is prepended when the high bit is set
 * (0 → 00, 127 → 7F, 128 → 00 80).
 */
export function btwoc(n: bigint): Buffer {
  if (n < 0n) throw new IntegerError('btwoc is defined here for non-negative integers only');
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return (bytes[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/** Reads a btwoc string as an unsigned integer. An empty string is an error. */
export function fromBtwoc(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new IntegerError('An empty byte string is not an integer');
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes strict base64 (RFC 4648 §4, padded): anything Node's lenient
 * decoder would skip or repair is an error instead.
 */
export function decodeBase64Strict(text: string, what = 'value'): Buffer {
  if (text.length === 0 || !BASE64.test(text)) throw new IntegerError(`The ${what} is not valid base64`);
  return Buffer.from(text, 'base64');
}

/** base64(btwoc(n)). */
export function intToBase64(n: bigint): string {
  return btwoc(n).toString('base64');
}

/** Reads base64(btwoc(n)) strictly. */
export function base64ToInt(text: string, what = 'integer'): bigint {
  return fromBtwoc(decodeBase64Strict(text, what));
}
