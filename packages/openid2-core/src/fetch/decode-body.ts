/**
 * Turning response bytes into text by the charset the response declares.
 */
import { TextDecoder } from 'node:util';

/** The charset parameter of a Content-Type value, lower-case, if any. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '');
  return match?.[1]?.toLowerCase();
}

/**
 * windows-1252 bytes 0x80 to 0x9F (the WHATWG index; the five undefined
 * bytes keep their C1 code points). ISO-8859-1 labels mean windows-1252 on
 * the web. Node 20's TextDecoder decodes this range as C1 controls, so the
 * range is mapped here.
 */
const WINDOWS_1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80] as string);
}

/**
 * Decodes bytes in a charset: any label TextDecoder knows (UTF-8, the
 * ISO-8859 family, windows-125x, ...), with ISO-8859-1 and windows-1252
 * decoded per the WHATWG Encoding Standard. Unknown labels fall back to
 * UTF-8; invalid sequences become U+FFFD.
 */
export function decodeBody(bytes: Uint8Array, charset: string | undefined): string {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8');
  } catch {
    decoder = new TextDecoder('utf-8');
  }
  return decoder.encoding === 'windows-1252' ? decodeWindows1252(bytes) : decoder.decode(bytes);
}
