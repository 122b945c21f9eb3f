/**
 * Just enough DER to hand Diffie-Hellman keys of an arbitrary group to
 * OpenSSL as key objects, which (unlike `crypto.createDiffieHellman`) does
 * not run an expensive primality check on a modulus chosen by a peer.
 */
import { btwoc, fromBtwoc } from './btwoc.js';
import { DiffieHellmanError } from './errors.js';

/** dhKeyAgreement, PKCS #3: 1.2.840.113549.1.3.1 */
const DH_OID = Buffer.from('06092a864886f70d010301', 'hex');

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const integer = (n: bigint): Buffer => tlv(0x02, btwoc(n));
const sequence = (...parts: Buffer[]): Buffer => tlv(0x30, Buffer.concat(parts));

/** SubjectPublicKeyInfo of the DH public value `y` in the group (p, g). */
export function dhPublicKeySpki(p: bigint, g: bigint, y: bigint): Buffer {
  const algorithm = sequence(DH_OID, sequence(integer(p), integer(g)));
  const bits = tlv(0x03, Buffer.concat([Buffer.from([0]), integer(y)]));
  return sequence(algorithm, bits);
}

/** Reads one TLV at `offset`: returns its tag, content start and end. */
function readTLV(der: Buffer, offset: number): { tag: number; start: number; end: number } {
  const tag = der[offset];
  let lengthByte = der[offset + 1];
  if (tag === undefined || lengthByte === undefined) throw new DiffieHellmanError('Truncated DER');
  let start = offset + 2;
  let size = lengthByte;
  if (lengthByte & 0x80) {
    const count = lengthByte & 0x7f;
    size = 0;
    for (let i = 0; i < count; i += 1) {
      lengthByte = der[start + i];
      if (lengthByte === undefined) throw new DiffieHellmanError('Truncated DER');
      size = size * 256 + lengthByte;
    }
    start += count;
  }
  if (start + size > der.length) throw new DiffieHellmanError('Truncated DER');
  return { tag, start, end: start + size };
}

/** The public value `y` of a DH SubjectPublicKeyInfo. */
export function dhPublicValueFromSpki(der: Buffer): bigint {
  const outer = readTLV(der, 0);
  const algorithm = readTLV(der, outer.start);
  const bits = readTLV(der, algorithm.end);
  if (bits.tag !== 0x03) throw new DiffieHellmanError('Unexpected DH public key encoding');
  const y = readTLV(der, bits.start + 1);
  if (y.tag !== 0x02) throw new DiffieHellmanError('Unexpected DH public key encoding');
  return fromBtwoc(der.subarray(y.start, y.end));
}
