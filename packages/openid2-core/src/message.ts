/**
 * OpenID protocol messages: OpenID 2.0 and 1.x, extension namespaces and
 * bare (non-`openid.`) arguments, read from and written to every encoding the
 * protocol uses.
 * @see OpenID 2.0 §4.1, §4.2, §5, §12
 */
import { MessageError } from './errors.js';
import { kvForm, type KVParseOptions } from './kv-form.js';
import {
  AX_1_0_NS,
  MAX_REDIRECT_URL_LENGTH,
  OPENID11_NS,
  OPENID1_NAMESPACES,
  OPENID1_NS,
  OPENID2_NS,
  PAPE_1_0_NS,
  SREG_1_0_NS,
  SREG_1_1_NS,
} from './constants.js';
import { formMarkup, autoSubmitHTML, type FormMarkupOptions } from './message-form.js';
import { namespaceIdOf, NamespaceAliases } from './message-namespaces.js';

export { NamespaceAliases, RESERVED_ALIASES } from './message-namespaces.js';
export type { FormMarkupOptions } from './message-form.js';

/** Stands for the message's own OpenID namespace (2.0 or 1.x) in argument look-ups. */
export const OPENID_NS: unique symbol = Symbol('openid namespace');
/** Stands for bare arguments: those without the `openid.` prefix. */
export const BARE_NS: unique symbol = Symbol('bare namespace');

/** A namespace to look arguments up in: the OpenID one, bare arguments, or an extension's type URI. */
export type NamespaceKey = typeof OPENID_NS | typeof BARE_NS | string;

/** Arguments as they arrive: a query, a parsed form body, or pairs. */
export type MessageArgs = URLSearchParams | Iterable<readonly [string, unknown]> | Readonly<Record<string, unknown>>;

/** How an indirect message travels (§5.2). */
export type IndirectEncoding = { kind: 'redirect'; url: string } | { kind: 'form'; action: string; html: string };

const PREFERRED_ALIASES: ReadonlyMap<string, string> = new Map([
  [SREG_1_1_NS, 'sreg'],
  [SREG_1_0_NS, 'sreg'],
  [AX_1_0_NS, 'ax'],
  [PAPE_1_0_NS, 'pape'],
]);

/** OpenID 1.x messages use the `sreg` alias without declaring it (SREG 1.0 §3). */
const OPENID1_IMPLICIT_ALIASES: ReadonlyMap<string, string> = new Map([['sreg', SREG_1_0_NS]]);

const OPENID_PREFIX = 'openid.';

function toEntries(args: MessageArgs): Iterable<readonly [string, unknown]> {
  if (args instanceof URLSearchParams) return args;
  if (Symbol.iterator in args) return args as Iterable<readonly [string, unknown]>;
  return Object.entries(args);
}

/** The name of what `checkText` refused, built only for the error. */
type Naming = () => string;

function checkText(what: Naming, text: string): void {
  // A NUL byte splits strings differently in other layers (databases, C
  // libraries): it was used to forge assertions through parameter pollution.
  if (text.includes('\0')) throw new MessageError(`${what()} contains a NUL character`);
  // String.prototype.isWellFormed (Node 20): false when a surrogate is unpaired.
  if (!(text as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new MessageError(`${what()} contains an unpaired surrogate (not valid Unicode)`);
  }
}

/**
 * Reads argument pairs, refusing duplicate keys and non-string values.
 * With `bare`, keys with the `openid.` prefix go to the returned map without
 * it and the others to `bare` (prefix removal is one-to-one, so duplicates
 * are found within each map).
 */
function readArgs(args: MessageArgs, bare?: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of toEntries(args)) {
    if (Array.isArray(value)) {
      throw new MessageError(`The argument ${JSON.stringify(key)} appears more than once`, { code: 'ERR_DUPLICATE_KEY' });
    }
    if (typeof value !== 'string') {
      throw new MessageError(`The argument ${JSON.stringify(key)} is not a plain string value`);
    }
    const prefixed = bare === undefined || key.startsWith(OPENID_PREFIX);
    const target = prefixed ? out : bare;
    const name = prefixed && bare !== undefined ? key.slice(OPENID_PREFIX.length) : key;
    if (target.has(name)) {
      throw new MessageError(`The argument ${JSON.stringify(key)} appears more than once`, { code: 'ERR_DUPLICATE_KEY' });
    }
    checkText(() => `The argument name ${JSON.stringify(key.slice(0, 64))}`, key);
    checkText(() => `The value of ${JSON.stringify(key)}`, value);
    target.set(name, value);
  }
  return out;
}

function openIDNamespaceOf(value: string | undefined): { namespace: string; implicit: boolean } {
  if (value === undefined) return { namespace: OPENID1_NS, implicit: true };
  if (value === OPENID2_NS || OPENID1_NAMESPACES.includes(value)) return { namespace: value, implicit: false };
  throw new MessageError(
    `Unsupported OpenID namespace ${JSON.stringify(value)}: expected ${OPENID2_NS} (OpenID 2.0) or none (OpenID 1.x)`,
  );
}

/**
 * An OpenID message.
 *
 * Arguments are addressed by namespace and key: `getArg(OPENID_NS, 'mode')`
 * is `openid.mode`, `getArg(SREG_1_1_NS, 'email')` is `openid.<alias>.email`
 * whatever alias the sender chose, `getArg(BARE_NS, 'x')` is a bare `x`.
 */
export class Message {
  #namespace: string;
  #implicit: boolean;
  readonly #aliases = new NamespaceAliases();
  /** Arguments by namespace (OPENID_NS, BARE_NS or a URI), in insertion order. */
  readonly #args = new Map<symbol | string, Map<string, string>>();
  #wire: Map<string, string> | undefined;
  /** The `openid.*` arguments exactly as received, until the message is changed. */
  #received: Map<string, string> | undefined;

  /**
   * @param namespace `OPENID2_NS` (default), `OPENID1_NS` or `OPENID11_NS`.
   * @param options.implicit for OpenID 1.x, whether `openid.ns` is left out
   *   when the message is encoded (the default for 1.x, as 1.x peers expect).
   */
  constructor(
    namespace: string = OPENID2_NS,
    options: {
      /** For OpenID 1.x, whether `openid.ns` is left out when the message is encoded (ignored for 2.0, which always sends it). @default true */
      implicit?: boolean;
    } = {},
  ) {
    const { namespace: ns } = openIDNamespaceOf(namespace);
    this.#namespace = ns;
    this.#implicit = ns !== OPENID2_NS && (options.implicit ?? true);
  }

  /** Builds a message from HTTP arguments (query or form body), with and without the `openid.` prefix. */
  static fromPostArgs(args: MessageArgs): Message {
    const bare = new Map<string, string>();
    const message = Message.#fromOpenIDMap(readArgs(args, bare));
    if (bare.size > 0) message.#args.set(BARE_NS, bare);
    return message;
  }

  /** Builds a message from `openid.*` arguments given without their prefix. */
  static fromOpenIDArgs(args: MessageArgs): Message {
    return Message.#fromOpenIDMap(readArgs(args));
  }

  /** Parses a direct response in key-value form (§4.1.1, §5.1.2). */
  static fromKVForm(text: string | Uint8Array, options?: KVParseOptions): Message {
    return Message.fromOpenIDArgs(Object.entries(kvForm.parse(text, options)));
  }

  static #fromOpenIDMap(args: Map<string, string>): Message {
    const { namespace, implicit } = openIDNamespaceOf(args.get('ns'));
    const message = new Message(namespace, { implicit });
    for (const [key, uri] of args) {
      if (!key.startsWith('ns.')) continue;
      const alias = key.slice(3);
      if (uri === namespace || uri === OPENID2_NS || OPENID1_NAMESPACES.includes(uri)) {
        throw new MessageError(`The alias ${JSON.stringify(alias)} must not name an OpenID namespace`);
      }
      message.#aliases.add(uri, alias);
    }
    for (const [key, value] of args) {
      if (key === 'ns' || key.startsWith('ns.')) continue;
      if (key.length === 0) throw new MessageError('An argument is named "openid." with nothing after the prefix');
      const [ns, name] = message.#split(key);
      message.#table(ns, true).set(name, value);
    }
    message.#received = args;
    return message;
  }

  /** Which namespace and key a wire key (without `openid.`) belongs to (§12). */
  #split(key: string): [symbol | string, string] {
    const dot = key.indexOf('.');
    const alias = dot < 0 ? key : key.slice(0, dot);
    const rest = dot < 0 ? '' : key.slice(dot + 1);
    const uri = this.#aliases.uriOf(alias);
    if (uri !== undefined) return [uri, rest];
    const implicitUri = this.isOpenID1() ? OPENID1_IMPLICIT_ALIASES.get(alias) : undefined;
    if (implicitUri !== undefined && this.#aliases.aliasOf(implicitUri) === undefined) {
      this.#aliases.add(implicitUri, alias, true);
      return [implicitUri, rest];
    }
    return [OPENID_NS, key];
  }

  /** The OpenID namespace URI: `OPENID2_NS`, `OPENID1_NS` or `OPENID11_NS`. */
  get namespace(): string {
    return this.#namespace;
  }

  /** Whether `openid.ns` is absent (OpenID 1.x messages only). */
  get isImplicitNamespace(): boolean {
    return this.#implicit;
  }

  /** Whether this is an OpenID 1.x message (compatibility mode, OpenID 2.0 §4.1.2). */
  isOpenID1(): boolean {
    return this.#namespace === OPENID1_NS || this.#namespace === OPENID11_NS;
  }

  /** Whether this is an OpenID 2.0 message. */
  isOpenID2(): boolean {
    return this.#namespace === OPENID2_NS;
  }

  /** The extension aliases of this message (alias ↔ type URI). */
  get aliases(): NamespaceAliases {
    return this.#aliases;
  }

  #resolve(ns: symbol | string): symbol | string {
    return namespaceIdOf(ns, this.#namespace, OPENID_NS);
  }

  #table(ns: symbol | string, create: true): Map<string, string>;
  #table(ns: symbol | string, create: false): Map<string, string> | undefined;
  #table(ns: symbol | string, create: boolean): Map<string, string> | undefined {
    const id = this.#resolve(ns);
    let table = this.#args.get(id);
    if (table === undefined && create) {
      table = new Map();
      this.#args.set(id, table);
    }
    return table;
  }

  /** One argument of a namespace (`getArg(OPENID_NS, 'mode')` is `openid.mode`), or undefined when absent. */
  getArg(ns: NamespaceKey, key: string): string | undefined {
    return this.#table(ns, false)?.get(key);
  }

  /** Like `getArg`, but a missing argument is a {@link MessageError} naming it. */
  requireArg(ns: NamespaceKey, key: string): string {
    const value = this.getArg(ns, key);
    if (value === undefined) throw new MessageError(`The message has no ${this.#describe(ns, key)} argument`);
    return value;
  }

  /** Whether a namespace has an argument `key`. */
  hasKey(ns: NamespaceKey, key: string): boolean {
    return this.getArg(ns, key) !== undefined;
  }

  /** All arguments of a namespace, as a fresh object. */
  getArgs(ns: NamespaceKey): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    for (const [key, value] of this.#table(ns, false) ?? []) out[key] = value;
    return out;
  }

  /**
   * Sets one argument; an extension type URI gets an alias on first use.
   * Namespace declarations (`ns`, `ns.*`) cannot be set this way.
   * @throws MessageError for a value with a NUL character or an unpaired surrogate
   */
  setArg(ns: NamespaceKey, key: string, value: string): void {
    checkText(() => `The value of ${this.#describe(ns, key)}`, value);
    const id = this.#resolve(ns);
    if (typeof id === 'string' && this.#aliases.aliasOf(id) === undefined) this.#assignAlias(id);
    if (id === OPENID_NS && (key === 'ns' || key.startsWith('ns.'))) {
      throw new MessageError('Namespace declarations are set through the constructor and extension URIs, not setArg');
    }
    this.#table(ns, true).set(key, value);
    this.#wire = undefined;
    this.#received = undefined;
  }

  /** Sets several arguments of one namespace, as {@link Message.setArg} does each. */
  updateArgs(ns: NamespaceKey, args: Readonly<Record<string, string>>): void {
    for (const [key, value] of Object.entries(args)) this.setArg(ns, key, value);
  }

  /** Removes an argument; returns whether it was there. */
  delArg(ns: NamespaceKey, key: string): boolean {
    const removed = this.#table(ns, false)?.delete(key) ?? false;
    if (removed) {
      this.#wire = undefined;
      this.#received = undefined;
    }
    return removed;
  }

  #assignAlias(uri: string): void {
    const implicit = this.isOpenID1() && (uri === SREG_1_0_NS || uri === SREG_1_1_NS);
    const preferred = PREFERRED_ALIASES.get(uri);
    if (preferred !== undefined && this.#aliases.uriOf(preferred) === undefined) {
      this.#aliases.add(uri, preferred, implicit);
      return;
    }
    let n = 0;
    while (this.#aliases.uriOf(`ext${n}`) !== undefined) n += 1;
    this.#aliases.add(uri, `ext${n}`);
  }

  #describe(ns: NamespaceKey, key: string): string {
    const id = this.#resolve(ns);
    if (id === BARE_NS) return JSON.stringify(key);
    if (id === OPENID_NS) return `openid.${key}`;
    const alias = this.#aliases.aliasOf(id as string);
    return alias === undefined ? `${key} (of ${String(id)})` : `openid.${alias}${key === '' ? '' : `.${key}`}`;
  }

  /** The `openid.*` arguments in wire form, without the prefix, in encoding order. */
  #wireArgs(): Map<string, string> {
    if (this.#wire !== undefined) return this.#wire;
    const wire = new Map<string, string>();
    if (!this.#implicit) wire.set('ns', this.#namespace);
    const used = [...this.#args.entries()].filter(([id, table]) => typeof id === 'string' && table.size > 0);
    for (const [uri] of used) {
      const alias = this.#aliases.aliasOf(uri as string);
      if (alias !== undefined && !this.#aliases.isImplicit(uri as string)) wire.set(`ns.${alias}`, uri as string);
    }
    for (const [key, value] of this.#args.get(OPENID_NS) ?? []) wire.set(key, value);
    for (const [uri, table] of used) {
      const alias = this.#aliases.aliasOf(uri as string) as string;
      for (const [key, value] of table) wire.set(key === '' ? alias : `${alias}.${key}`, value);
    }
    this.#wire = wire;
    return wire;
  }

  /**
   * The value of `openid.<name>` exactly as it is encoded on the wire, as
   * signatures cover it (§6.1): `mode`, `ns`, `ns.sreg`, `sreg.email`.
   */
  getSignedFieldValue(name: string): string | undefined {
    // A received message: the arguments as they came (§6.1 signs the wire values), without rebuilding them.
    return (this.#received ?? this.#wireArgs()).get(name);
  }

  /** The `openid.*` keys without their prefix, in wire form and encoding order. */
  openIDKeys(): string[] {
    return [...this.#wireArgs().keys()];
  }

  /** The `openid.*` arguments without their prefix. */
  toArgs(): Record<string, string> {
    return Object.fromEntries(this.#wireArgs());
  }

  /** Every argument as sent over HTTP: `openid.*` ones prefixed, then bare ones. */
  toPostArgs(): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    for (const [key, value] of this.#wireArgs()) out[`${OPENID_PREFIX}${key}`] = value;
    for (const [key, value] of this.#bareArgs()) out[key] = value;
    return out;
  }

  /** The bare arguments; one that uses the `openid.` prefix cannot be sent. */
  #bareArgs(): Map<string, string> {
    const bare = this.#args.get(BARE_NS) ?? new Map<string, string>();
    for (const key of bare.keys()) {
      if (key.startsWith(OPENID_PREFIX)) throw new MessageError(`The bare argument ${JSON.stringify(key)} uses the openid. prefix`);
    }
    return bare;
  }

  /** The `openid.*` arguments in key-value form (bare arguments have no place there). §5.1.2 */
  toKVForm(): string {
    return kvForm.serialize(this.#wireArgs());
  }

  /** {@link toPostArgs} as `application/x-www-form-urlencoded` text, as URLSearchParams writes it. */
  toURLEncoded(): string {
    const pairs: Array<[string, string]> = [];
    for (const [key, value] of this.#wireArgs()) pairs.push([`${OPENID_PREFIX}${key}`, value]);
    for (const pair of this.#bareArgs()) pairs.push(pair);
    return new URLSearchParams(pairs).toString();
  }

  /**
   * The message appended to the query of `base` (§5.2.1). The base must be
   * an absolute http(s) URL without control characters; its own query is kept
   * byte for byte, its fragment dropped.
   */
  toURL(base: string): string {
    const target = checkTarget(base, 'redirect');
    const hash = target.indexOf('#');
    const withoutFragment = asciiOnly(hash < 0 ? target : target.slice(0, hash));
    const query = this.toURLEncoded();
    if (query.length === 0) return withoutFragment;
    const joiner = !withoutFragment.includes('?') ? '?' : /[?&]$/.test(withoutFragment) ? '' : '&';
    return `${withoutFragment}${joiner}${query}`;
  }

  /** An HTML form that posts the message to `action` (§5.2.2). */
  toFormMarkup(action: string, options: FormMarkupOptions = {}): string {
    return formMarkup(checkTarget(action, 'form'), this.toPostArgs(), options);
  }

  /** A whole HTML page that posts the message to `action`, by script or by the button. */
  toHTMLAutoSubmit(action: string, options: FormMarkupOptions = {}): string {
    return autoSubmitHTML(this.toFormMarkup(action, options), options);
  }

  /**
   * Chooses how to send this message through the user agent: a redirect, or
   * for OpenID 2.0 messages whose URL would exceed 2047 characters, a form
   * POST (§5.2.1; OpenID 1.x knows only redirects).
   */
  toIndirect(base: string, options: FormMarkupOptions = {}): IndirectEncoding {
    const url = this.toURL(base);
    if (url.length <= MAX_REDIRECT_URL_LENGTH || this.isOpenID1()) return { kind: 'redirect', url };
    return { kind: 'form', action: base, html: this.toHTMLAutoSubmit(base, options) };
  }

  /** An independent copy: the same namespace, aliases and arguments (bare ones too), without re-reading them. */
  copy(): Message {
    const out = new Message(this.#namespace, { implicit: this.#implicit });
    for (const [alias, uri] of this.#aliases.entries()) out.#aliases.add(uri, alias, this.#aliases.isImplicit(uri));
    for (const [id, table] of this.#args) out.#args.set(id, new Map(table));
    // Never changed in place (a change drops it), so both messages can read it.
    out.#received = this.#received;
    return out;
  }
}

/**
 * Non-ASCII characters of a URL percent-encoded as UTF-8, as a browser does
 * before requesting it: a Location header can carry nothing else (an IRI
 * return_to, or one read with replacement characters, would otherwise make
 * the HTTP layer throw). ASCII is kept byte for byte.
 */
function asciiOnly(url: string): string {
  return url.replace(/[\u0080-\uffff]+/g, (text) => Array.from(Buffer.from(text, 'utf8'), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/** Refuses targets a browser must never be sent to: other schemes, control characters. */
function checkTarget(url: string, what: 'redirect' | 'form'): string {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f\\]/.test(url)) {
    throw new MessageError(`The ${what} target contains whitespace, a control character or a backslash`);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new MessageError(`The ${what} target ${JSON.stringify(url.slice(0, 200))} is not an absolute URL`, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new MessageError(`The ${what} target must be an http or https URL, not ${parsed.protocol}`);
  }
  return url;
}
