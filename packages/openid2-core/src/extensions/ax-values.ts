/**
 * The rules Attribute Exchange messages share: aliases, type URIs, counts,
 * and the `type.<alias>` / `count.<alias>` / `value.<alias>[.<n>]` encoding
 * of fetch responses and store requests.
 * @see openid-attribute-exchange-1_0.txt §3.3, §5.1, §5.2, §6.1
 */
import { ExtensionError, quote } from './extension.js';

/** Longest alias accepted (AX requires support for at least 32 characters). */
export const MAX_AX_ALIAS_LENGTH = 128;
/** Longest attribute type URI accepted. */
export const MAX_AX_TYPE_URI_LENGTH = 2048;

/** Why an attribute alias is not valid, or undefined when it is (AX §5.1: no newline, colon, comma or period). */
export function axAliasProblem(alias: string): string | undefined {
  if (alias.length === 0) return 'is empty';
  if (alias.length > MAX_AX_ALIAS_LENGTH) return `is longer than ${MAX_AX_ALIAS_LENGTH} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[,.:\u0000-\u001f\u007f]/.test(alias)) return 'contains a comma, period, colon, newline or control character';
  return undefined;
}

export function checkAlias(alias: string): string {
  const problem = axAliasProblem(alias);
  if (problem !== undefined) throw new ExtensionError('ax', 'invalid_alias', `The attribute alias ${quote(alias)} ${problem}`);
  return alias;
}

/** An attribute type identifier must be a URI (AX §3.2). */
export function checkTypeUri(uri: string): string {
  const ok = uri.length <= MAX_AX_TYPE_URI_LENGTH && /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/.test(uri);
  if (!ok) throw new ExtensionError('ax', 'invalid_type_uri', `${quote(uri)} is not an attribute type URI`);
  return uri;
}

/** Attribute values are UTF-8 strings without newlines (AX §3.3). */
export function checkValue(value: string, typeUri: string): string {
  if (/[\r\n]/.test(value)) throw new ExtensionError('ax', 'invalid_value', `A value of ${quote(typeUri)} contains a newline (AX §3.3)`);
  return value;
}

export function checkMode(args: Readonly<Record<string, string>>, expected: string): void {
  if (args.mode !== expected) {
    const got = args.mode === undefined ? 'missing' : quote(args.mode);
    throw new ExtensionError('ax', 'wrong_mode', `openid.ax.mode is ${got}, expected ${expected}`);
  }
}

/**
 * Parses a count: a decimal number (zero only where allowed) or, in fetch
 * requests, `unlimited`.
 */
export function parseCount(text: string, alias: string, allow: { zero: boolean; unlimited: boolean }): number | 'unlimited' {
  if (text === 'unlimited' && allow.unlimited) return 'unlimited';
  if (/^\d{1,9}$/.test(text) && (allow.zero || Number(text) > 0)) return Number(text);
  const expected = `${allow.zero ? 'zero or more' : 'more than zero'}${allow.unlimited ? ' or "unlimited"' : ''}`;
  throw new ExtensionError('ax', 'invalid_count', `openid.ax.count.${alias} is ${quote(text)}; it must be ${expected}`);
}

/** An alias not used yet: `ext0`, `ext1`, ... */
export function freeAlias(taken: ReadonlySet<string>): string {
  let n = 0;
  while (taken.has(`ext${n}`)) n += 1;
  return `ext${n}`;
}

/** Values by type URI, with the alias each was sent under. */
export interface DecodedValues {
  values: Map<string, string[]>;
  aliases: Map<string, string>;
}

interface Bucket {
  typeUri?: string;
  count?: string;
  single?: string;
  numbered: Map<string, string>;
}

function bucketsOf(args: Readonly<Record<string, string>>): Map<string, Bucket> {
  const buckets = new Map<string, Bucket>();
  const bucket = (alias: string): Bucket => {
    let found = buckets.get(alias);
    if (found === undefined) buckets.set(alias, (found = { numbered: new Map() }));
    return found;
  };
  for (const [key, value] of Object.entries(args)) {
    const dot = key.indexOf('.');
    const kind = key.slice(0, dot);
    if (dot < 0 || (kind !== 'type' && kind !== 'count' && kind !== 'value')) continue;
    const rest = key.slice(dot + 1);
    // An alias has no period (§5.1), so `value.<alias>.<n>` splits at the first one.
    const inner = kind === 'value' ? rest.indexOf('.') : -1;
    const alias = checkAlias(inner < 0 ? rest : rest.slice(0, inner));
    const entry = bucket(alias);
    if (kind === 'type') entry.typeUri = checkTypeUri(value);
    else if (kind === 'count') entry.count = value;
    else if (inner < 0) entry.single = value;
    else entry.numbered.set(rest.slice(inner + 1), value);
  }
  return buckets;
}

function valuesOf(alias: string, entry: Bucket, zeroCount: boolean): string[] {
  if (entry.count === undefined) {
    if (entry.numbered.size > 0) throw new ExtensionError('ax', 'count_mismatch', `openid.ax.value.${alias}.<n> is sent without openid.ax.count.${alias}`);
    // python-openid reads an empty single value as no value.
    return entry.single === undefined || entry.single === '' ? [] : [entry.single];
  }
  const count = parseCount(entry.count, alias, { zero: zeroCount, unlimited: false }) as number;
  if (entry.single !== undefined) throw new ExtensionError('ax', 'count_mismatch', `openid.ax.value.${alias} is sent with openid.ax.count.${alias}; values must be numbered`);
  if (entry.numbered.size !== count) {
    throw new ExtensionError('ax', 'count_mismatch', `openid.ax.count.${alias} is ${count} but ${entry.numbered.size} numbered values were sent`);
  }
  const values: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const value = entry.numbered.get(String(n));
    if (value === undefined) throw new ExtensionError('ax', 'count_mismatch', `openid.ax.value.${alias}.${n} is missing (count is ${count})`);
    values.push(value);
  }
  return values;
}

/**
 * Reads the attribute values of a fetch response or store request. Every
 * count and value needs a type, a count must match the numbered values
 * exactly, and a type URI appears under one alias only.
 */
export function decodeValues(args: Readonly<Record<string, string>>, options: { zeroCount: boolean }): DecodedValues {
  const out: DecodedValues = { values: new Map(), aliases: new Map() };
  for (const [alias, entry] of bucketsOf(args)) {
    const typeUri = entry.typeUri;
    if (typeUri === undefined) throw new ExtensionError('ax', 'missing_type', `openid.ax.type.${alias} is missing for the values sent under ${quote(alias)}`);
    if (out.values.has(typeUri)) throw new ExtensionError('ax', 'duplicate_attribute', `The attribute ${quote(typeUri)} is sent under two aliases`);
    const values = valuesOf(alias, entry, options.zeroCount);
    for (const value of values) checkValue(value, typeUri);
    out.values.set(typeUri, values);
    out.aliases.set(typeUri, alias);
  }
  return out;
}

/**
 * Writes attribute values: `value.<alias>` for a lone value when no count
 * is needed, else `count.<alias>` and `value.<alias>.1..n` (AX §5.2).
 */
export function encodeValues(entries: Iterable<{ typeUri: string; alias: string; values: readonly string[]; countForm: boolean }>): Record<string, string> {
  const args: Record<string, string> = {};
  for (const { typeUri, alias, values, countForm } of entries) {
    args[`type.${alias}`] = typeUri;
    if (!countForm && values.length === 1) {
      args[`value.${alias}`] = values[0] as string;
      continue;
    }
    args[`count.${alias}`] = String(values.length);
    values.forEach((value, index) => {
      args[`value.${alias}.${index + 1}`] = value;
    });
  }
  return args;
}
