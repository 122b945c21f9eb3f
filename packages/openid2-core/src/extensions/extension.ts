/**
 * The extension mechanism shared by SREG, AX and PAPE: an extension has a
 * namespace (type) URI and a preferred alias, and turns into arguments under
 * that namespace. Requests are read from a message by namespace URI, whatever
 * alias the sender chose; a relying party reads responses only from the
 * arguments the signature covers.
 * @see OpenID 2.0 §12
 */
import { SREG_1_0_NS, SREG_1_1_NS } from '../constants.js';
import { MessageError } from '../errors.js';
import { RESERVED_ALIASES, type Message } from '../message.js';

/**
 * An extension message (a request or a response) under one namespace: what
 * `AuthRequest.addExtension` sends and `CheckIDRequest.answer({ extensions })`
 * signs. The SREG, AX and PAPE request and response objects are extensions;
 * so is a plain `{ namespace, args }`. The arguments are without
 * `openid.<alias>.`: the alias is chosen when the message is encoded (the
 * preferred one where free; `sreg` undeclared in OpenID 1.x).
 * @see OpenID 2.0 §12
 */
export interface Extension {
  /** The namespace (type) URI, e.g. `http://openid.net/srv/ax/1.0`. */
  readonly namespace: string;
  /** The arguments, without `openid.<alias>.`. */
  readonly args: Readonly<Record<string, string>>;
  /** The alias to declare when the message has not declared one for this namespace yet (`sreg`, `ax`, `pape`). */
  readonly preferredAlias?: string | undefined;
}

/** What a relying party's success result offers: the arguments of a namespace that the signature covers. */
export interface SignedArgsSource {
  getSignedArgs(namespace: string): Record<string, string>;
}

/** A success result, or a verified message with its `openid.signed` list (without `openid.`). */
export type SignedSource = SignedArgsSource | { message: Message; signed: readonly string[] | ReadonlySet<string> };

/** Which rule an extension message broke. */
export type ExtensionErrorReason =
  | 'unknown_field'
  | 'invalid_value'
  | 'invalid_alias'
  | 'invalid_type_uri'
  | 'duplicate_attribute'
  | 'missing_type'
  | 'unlisted_attribute'
  | 'no_attributes'
  | 'invalid_count'
  | 'count_mismatch'
  | 'wrong_mode'
  | 'not_requested'
  | 'too_many_values'
  | 'update_url_mismatch'
  | 'invalid_max_auth_age'
  | 'invalid_policy'
  | 'missing_auth_policies'
  | 'invalid_auth_time'
  | 'invalid_auth_level'
  | 'undefined_level_alias';

/**
 * A malformed or invalid extension message. It is a {@link MessageError}
 * (status 400) with its own code, `ERR_EXTENSION`, naming the extension and the rule.
 */
export class ExtensionError extends MessageError {
  readonly extension: 'sreg' | 'ax' | 'pape';
  readonly reason: ExtensionErrorReason;
  constructor(extension: 'sreg' | 'ax' | 'pape', reason: ExtensionErrorReason, message: string) {
    super(message, { code: 'ERR_EXTENSION' });
    this.extension = extension;
    this.reason = reason;
  }
}

/** A value quoted for an error message: escaped (no raw newlines) and cut short. */
export function quote(text: string): string {
  return JSON.stringify(text.length > 64 ? `${text.slice(0, 64)}…` : text);
}

/**
 * Adds extension arguments to a message, declaring the preferred alias when
 * the namespace has none yet and the alias is free (else the message picks
 * one). SREG in an OpenID 1.x message uses the implicit alias `sreg`.
 */
export function addExtensionToMessage(message: Message, namespace: string, preferredAlias: string, args: Readonly<Record<string, string>>): void {
  const aliases = message.aliases;
  const free = aliases.uriOf(preferredAlias) === undefined && !RESERVED_ALIASES.has(preferredAlias) && !preferredAlias.includes('.');
  if (aliases.aliasOf(namespace) === undefined && free) {
    const implicit = message.isOpenID1() && (namespace === SREG_1_0_NS || namespace === SREG_1_1_NS) && preferredAlias === 'sreg';
    aliases.add(namespace, preferredAlias, implicit);
  }
  message.updateArgs(namespace, args);
}

/**
 * The arguments of one extension that a positive assertion signed: only keys
 * listed in `openid.signed`, and in OpenID 2.0 only when the namespace
 * declaration itself is signed (else an attacker could re-point the alias).
 * This is what the consumer's `result.getSignedArgs(namespace)` returns.
 * @param signed the `openid.signed` list, without `openid.` (e.g. `['mode', 'ns.sreg', 'sreg.email']`)
 * @see OpenID 2.0 §10.1, §12
 */
export function signedExtensionArgs(message: Message, signed: readonly string[] | ReadonlySet<string>, namespace: string): Record<string, string> {
  const covered = new Set(signed);
  const alias = message.aliases.aliasOf(namespace);
  if (alias === undefined) return {};
  if (message.isOpenID2() && !message.aliases.isImplicit(namespace) && !covered.has(`ns.${alias}`)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.getArgs(namespace))) {
    if (covered.has(key === '' ? alias : `${alias}.${key}`)) out[key] = value;
  }
  return out;
}

/** The signed arguments of a namespace from a success result, or from a message and its `openid.signed` list. */
export function signedArgsFrom(source: SignedSource, namespace: string): Record<string, string> {
  if ('getSignedArgs' in source) return source.getSignedArgs(namespace);
  return signedExtensionArgs(source.message, source.signed, namespace);
}
