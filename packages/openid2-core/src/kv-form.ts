/**
 * Key-value form encoding, used for direct responses and for signatures.
 * @see OpenID 2.0 §4.1.1
 */
import { KVFormError } from './errors.js';

/** Pairs to serialize to key-value form: an iterable of `[key, value]` (order kept) or a plain record. */
export type KVPairs = Iterable<readonly [string, string]> | Readonly<Record<string, string>>;

/** Options of {@link kvForm}`.parse`: how strictly to read a key-value form body (OpenID 2.0 §4.1.1). */
export interface KVParseOptions {
  /**
   * Strict mode (the default) accepts only what §4.1.1 allows: every line
   * ends with a newline and holds `key:value` with no whitespace around the
   * colon. Lenient mode tolerates a missing final newline, blank lines and
   * whitespace around keys and values, as some deployed providers send them.
   * Both modes refuse a line without a colon, an empty key and a duplicate key.
   * @default true
   */
  strict?: boolean;
}

const decoder = new TextDecoder('utf-8', { fatal: true });

function pairsOf(pairs: KVPairs): Iterable<readonly [string, string]> {
  return Symbol.iterator in pairs ? (pairs as Iterable<readonly [string, string]>) : Object.entries(pairs);
}

/** Options of {@link kvForm}`.serialize`: how strictly to check the pairs before writing them. */
export interface KVSerializeOptions {
  /**
   * Strict mode (the default) also refuses whitespace at either end of a key
   * or value, which §4.1.1 forbids around the colon and newline. Signature
   * computation uses non-strict mode: it must cover values exactly as sent.
   * @default true
   */
  strict?: boolean;
}

/**
 * Serializes pairs to key-value form. Refuses keys with a colon or line
 * break and values with a line break: such a value could smuggle a second
 * line (for example `is_valid:true`) into a direct response.
 */
function serialize(pairs: KVPairs, options: KVSerializeOptions = {}): string {
  const strict = options.strict ?? true;
  let out = '';
  for (const [key, value] of pairsOf(pairs)) {
    out += serializeLine(key, value);
    if (strict && (key !== key.trim() || value !== value.trim())) {
      throw new KVFormError(`Key-value form key or value of ${JSON.stringify(key)} has whitespace at an end`);
    }
  }
  return out;
}

const hasLineBreak = (text: string): boolean => text.includes('\n') || text.includes('\r');

/**
 * One `key:value` line of key-value form, as non-strict {@link serialize}
 * writes it (signatures are computed over such lines).
 * @throws KVFormError for a non-string, an empty key, a colon in the key or a line break in either
 */
export function serializeLine(key: string, value: string): string {
  if (typeof key !== 'string' || typeof value !== 'string') {
    throw new KVFormError('Key-value form keys and values must be strings');
  }
  if (key.length === 0) throw new KVFormError('Key-value form keys must not be empty');
  if (key.includes(':')) throw new KVFormError(`Key-value form key ${JSON.stringify(key)} contains a colon`);
  if (hasLineBreak(key)) throw new KVFormError(`Key-value form key ${JSON.stringify(key)} contains a newline`);
  if (hasLineBreak(value)) throw new KVFormError(`Key-value form value of ${JSON.stringify(key)} contains a newline`);
  return `${key}:${value}\n`;
}

function decode(input: string | Uint8Array): string {
  if (typeof input === 'string') return input;
  try {
    return decoder.decode(input);
  } catch (cause) {
    throw new KVFormError('Key-value form is not valid UTF-8', { cause });
  }
}

/**
 * Parses key-value form into an object with a null prototype (so keys such
 * as `__proto__` are plain keys).
 */
function parse(input: string | Uint8Array, options: KVParseOptions = {}): Record<string, string> {
  const strict = options.strict ?? true;
  const text = decode(input);
  const result: Record<string, string> = Object.create(null);
  if (text.length === 0) return result;
  if (strict && !text.endsWith('\n')) throw new KVFormError('Key-value form does not end with a newline');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, index) => {
    const line = index + 1;
    const content = strict ? raw : raw.replace(/\r$/, '');
    if (!strict && content.trim() === '') return;
    const colon = content.indexOf(':');
    if (colon < 0) throw new KVFormError(`Key-value form line ${line} has no colon`, { line });
    let key = content.slice(0, colon);
    let value = content.slice(colon + 1);
    if (strict) {
      if (content.includes('\r')) throw new KVFormError(`Key-value form line ${line} contains a carriage return`, { line });
      if (key !== key.trim() || value !== value.trim()) {
        throw new KVFormError(`Key-value form line ${line} has whitespace around its key or value`, { line });
      }
    } else {
      key = key.trim();
      value = value.trim();
    }
    if (key.length === 0) throw new KVFormError(`Key-value form line ${line} has an empty key`, { line });
    if (Object.hasOwn(result, key)) throw new KVFormError(`Key-value form repeats the key ${JSON.stringify(key)}`, { line });
    result[key] = value;
  });
  return result;
}

/** Key-value form serializer and parser. @see OpenID 2.0 §4.1.1 */
export const kvForm = { serialize, parse } as const;
