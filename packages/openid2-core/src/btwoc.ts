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
 * @throws IntegerError for a negative number (or a value that is not a bigint)
 * @see OpenID 2.0 §4.2
 */
export function btwoc(n: bigint): Buffer {
  if (typeof n !== 'bigint' || n < 0n) throw new IntegerError('btwoc is defined here for non-negative bigints only');
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return (bytes[0] as number) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
}

/**
 * Reads a big-endian byte string as an unsigned integer (leading zero bytes
 * allowed, as peers send them).
 * @throws IntegerError for an empty string
 */
export function fromBtwoc(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new IntegerError('An empty byte string is not an integer');
  return BigInt(`0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes strict base64 (RFC 4648 §4, padded, canonical): anything Node's
 * lenient decoder would skip or repair (other characters, whitespace,
 * missing or misplaced padding, non-zero padding bits) is an error instead,
 * and so is an empty string.
 * @param what names the value in the error message
 * @throws IntegerError
 */
export function decodeBase64Strict(text: string, what = 'value'): Buffer {
  if (typeof text !== 'string' || text.length === 0 || !BASE64.test(text)) {
    throw new IntegerError(`The ${what} is not valid base64`);
  }
  const bytes = Buffer.from(text, 'base64');
  // RFC 4648 §3.5: the unused bits before the padding must be zero.
  if (bytes.toString('base64') !== text) throw new IntegerError(`The ${what} is not canonical base64`);
  return bytes;
}

/**
 * base64(btwoc(n)), the wire form of DH integers (§8.1.2).
 * @throws IntegerError for a negative number
 */
export function intToBase64(n: bigint): string {
  return btwoc(n).toString('base64');
}

/**
 * Reads base64(btwoc(n)) strictly (see {@link decodeBase64Strict}). A first
 * byte with the high bit set is a negative number in two's complement
 * (`gA==` is −128): it is refused, never read as the unsigned 128, so a
 * peer cannot slip a small power of the generator past the range checks.
 * @throws IntegerError
 * @see OpenID 2.0 §4.2
 */
export function base64ToInt(text: string, what = 'integer'): bigint {
  const bytes = decodeBase64Strict(text, what);
  if (((bytes[0] as number) & 0x80) !== 0) throw new IntegerError(`The ${what} is negative (btwoc with the high bit set)`);
  return fromBtwoc(bytes);
}
