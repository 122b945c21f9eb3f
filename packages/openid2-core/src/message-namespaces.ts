/**
 * Extension namespace aliases of a message.
 * @see OpenID 2.0 §12
 */
import { MessageError } from './errors.js';

/** Aliases §12 forbids: they would collide with OpenID's own fields. */
export const RESERVED_ALIASES: ReadonlySet<string> = new Set([
  'assoc_handle', 'assoc_type', 'claimed_id', 'contact', 'delegate', 'dh_consumer_public', 'dh_gen',
  'dh_modulus', 'error', 'identity', 'invalidate_handle', 'mode', 'ns', 'op_endpoint', 'openid',
  'realm', 'reference', 'response_nonce', 'return_to', 'server', 'session_type', 'sig', 'signed',
  'trust_root',
  // error_code is no alias in the §12 list, but is an OpenID field (§5.1.2.2).
  'error_code',
]);

/** A two-way map between aliases and extension type URIs. */
export class NamespaceAliases {
  readonly #byAlias = new Map<string, string>();
  readonly #byUri = new Map<string, string>();
  readonly #implicit = new Set<string>();

  /**
   * Declares `alias` for `uri`. An alias names one namespace and a namespace
   * has one alias per message (§12); implicit aliases (OpenID 1.x `sreg`) are
   * not written out when the message is encoded.
   */
  add(uri: string, alias: string, implicit = false): void {
    if (alias.length === 0) throw new MessageError('A namespace alias must not be empty');
    if (alias.includes('.')) throw new MessageError(`The namespace alias ${JSON.stringify(alias)} contains a period`);
    if (RESERVED_ALIASES.has(alias)) throw new MessageError(`The namespace alias ${JSON.stringify(alias)} is reserved by OpenID`);
    if (uri.length === 0) throw new MessageError(`The namespace alias ${JSON.stringify(alias)} names an empty URI`);
    const existing = this.#byAlias.get(alias);
    if (existing !== undefined && existing !== uri) {
      throw new MessageError(`The namespace alias ${JSON.stringify(alias)} is declared for two URIs`);
    }
    const other = this.#byUri.get(uri);
    if (other !== undefined && other !== alias) {
      throw new MessageError(`The namespace ${uri} has two aliases, ${JSON.stringify(other)} and ${JSON.stringify(alias)}`);
    }
    this.#byAlias.set(alias, uri);
    this.#byUri.set(uri, alias);
    if (implicit) this.#implicit.add(uri);
  }

  /** The type URI an alias is declared for, or undefined. */
  uriOf(alias: string): string | undefined {
    return this.#byAlias.get(alias);
  }

  /** The alias declared for a type URI, or undefined. */
  aliasOf(uri: string): string | undefined {
    return this.#byUri.get(uri);
  }

  /** Whether a type URI's alias is implicit (OpenID 1.x `sreg`): used on the wire but never declared with `openid.ns.<alias>`. */
  isImplicit(uri: string): boolean {
    return this.#implicit.has(uri);
  }

  /** `[alias, uri]` pairs in declaration order. */
  entries(): Array<[string, string]> {
    return [...this.#byAlias.entries()];
  }
}

/**
 * Maps a namespace key to the id arguments are kept under: the OpenID
 * namespace URI itself stands for the OpenID namespace.
 */
export function namespaceIdOf(ns: symbol | string, openidNamespace: string, openidId: symbol): symbol | string {
  if (typeof ns === 'symbol') return ns;
  if (ns === openidNamespace) return openidId;
  if (ns.length === 0) throw new MessageError('A namespace URI must not be empty');
  return ns;
}
