/**
 * Attribute Exchange 1.0: fetch requests and responses.
 * @see openid-attribute-exchange-1_0.txt §5
 */
import { AX_1_0_NS } from '../constants.js';
import { RealmError } from '../errors.js';
import { OPENID_NS, type Message } from '../message.js';
import { Realm } from '../realm.js';
import { checkAlias, checkMode, checkTypeUri, checkValue, decodeValues, encodeValues, freeAlias, parseCount } from './ax-values.js';
import { addExtensionToMessage, ExtensionError, quote, signedArgsFrom, type Extension, type SignedSource } from './extension.js';
import { isHttpUrl } from './sreg-values.js';

export { axAliasProblem } from './ax-values.js';
export { AXStoreRequest, AXStoreResponse } from './ax-store.js';

/** One requested attribute. */
export interface AXRequestedAttribute {
  readonly typeUri: string;
  readonly alias: string;
  /** How many values the RP wants: a positive number or `unlimited`. @default 1 */
  readonly count: number | 'unlimited';
  /** `required` (true) or `if_available` (false). @default false */
  readonly required: boolean;
}

function checkUpdateUrl(url: string): string {
  if (!isHttpUrl(url)) throw new ExtensionError('ax', 'invalid_value', `openid.ax.update_url ${quote(url)} is not an absolute http or https URL`);
  return url;
}

function listed(args: Readonly<Record<string, string>>, name: 'required' | 'if_available'): string[] {
  const text = args[name];
  return text === undefined || text === '' ? [] : text.split(',');
}

/** A fetch request (§5.1). */
export class AXFetchRequest implements Extension {
  readonly namespace = AX_1_0_NS;
  readonly preferredAlias = 'ax';
  readonly #attributes: AXRequestedAttribute[] = [];
  /** Where the OP may post updates later (§5.1); must lie within the realm. */
  readonly updateUrl: string | undefined;

  constructor(
    options: {
      /** Where the OP may post updates later (§5.1): an absolute http(s) URL within the realm. @default undefined (no updates) */
      updateUrl?: string | undefined;
    } = {},
  ) {
    if (options.updateUrl !== undefined) this.updateUrl = checkUpdateUrl(options.updateUrl);
  }

  /** The requested attributes, in request order. */
  get attributes(): readonly AXRequestedAttribute[] {
    return this.#attributes;
  }

  /**
   * Asks for an attribute. Without an alias one is chosen (`ext0`, ...).
   * @throws ExtensionError `invalid_type_uri`, `invalid_alias`, `invalid_count`, `duplicate_attribute`
   */
  add(typeUri: string, options: { alias?: string; count?: number | 'unlimited'; required?: boolean } = {}): this {
    checkTypeUri(typeUri);
    const alias = checkAlias(options.alias ?? freeAlias(new Set(this.#attributes.map((a) => a.alias))));
    const count = options.count ?? 1;
    if (count !== 'unlimited' && !(Number.isSafeInteger(count) && count > 0)) {
      throw new ExtensionError('ax', 'invalid_count', `The count of ${quote(typeUri)} must be a positive integer or "unlimited"`);
    }
    if (this.#attributes.some((a) => a.typeUri === typeUri || a.alias === alias)) {
      throw new ExtensionError('ax', 'duplicate_attribute', `The attribute ${quote(typeUri)} or the alias ${quote(alias)} is requested twice`);
    }
    this.#attributes.push(Object.freeze({ typeUri, alias, count, required: options.required ?? false }));
    return this;
  }

  /** The requested attribute with this type URI, or undefined. */
  get(typeUri: string): AXRequestedAttribute | undefined {
    return this.#attributes.find((a) => a.typeUri === typeUri);
  }

  /** Whether an attribute with this type URI is requested. */
  has(typeUri: string): boolean {
    return this.get(typeUri) !== undefined;
  }

  /** Type URIs of the required attributes. */
  get requiredTypes(): string[] {
    return this.#attributes.filter((a) => a.required).map((a) => a.typeUri);
  }

  /** The arguments, without the `openid.<alias>.` prefix (the {@link Extension} shape); computed on each read. */
  get args(): Record<string, string> {
    const args: Record<string, string> = { mode: 'fetch_request' };
    for (const { typeUri, alias, count } of this.#attributes) {
      args[`type.${alias}`] = typeUri;
      if (count !== 1) args[`count.${alias}`] = String(count);
    }
    const required = this.#attributes.filter((a) => a.required).map((a) => a.alias);
    const optional = this.#attributes.filter((a) => !a.required).map((a) => a.alias);
    if (required.length > 0) args.required = required.join(',');
    if (optional.length > 0) args.if_available = optional.join(',');
    if (this.updateUrl !== undefined) args.update_url = this.updateUrl;
    return args;
  }

  /** Adds the arguments to a message, under this extension's namespace and preferred alias (OpenID 2.0 §12). */
  toMessage(message: Message): void {
    addExtensionToMessage(message, this.namespace, this.preferredAlias, this.args);
  }

  /**
   * Reads and validates fetch request arguments: every listed alias has a
   * type, every type is listed, counts are positive or `unlimited`, and at
   * least one attribute is asked for (§5.1).
   */
  static fromArgs(args: Readonly<Record<string, string>>): AXFetchRequest {
    checkMode(args, 'fetch_request');
    const required = listed(args, 'required');
    const optional = listed(args, 'if_available');
    if (required.length === 0 && optional.length === 0) throw new ExtensionError('ax', 'no_attributes', 'A fetch request needs openid.ax.required or openid.ax.if_available (§5.1)');
    const all = new Set([...required, ...optional]);
    for (const key of Object.keys(args)) {
      const alias = key.startsWith('type.') ? key.slice(5) : key.startsWith('count.') ? key.slice(6) : undefined;
      if (alias !== undefined && !all.has(alias)) {
        throw new ExtensionError('ax', 'unlisted_attribute', `openid.ax.${key} names ${quote(alias)}, which is neither required nor if_available`);
      }
    }
    const request = new AXFetchRequest(args.update_url === undefined ? {} : { updateUrl: args.update_url });
    for (const alias of all) {
      checkAlias(alias);
      const typeUri = args[`type.${alias}`];
      if (typeUri === undefined) throw new ExtensionError('ax', 'missing_type', `The attribute alias ${quote(alias)} is listed but openid.ax.type.${alias} is missing (§5.1)`);
      const countText = args[`count.${alias}`];
      const count = countText === undefined ? 1 : parseCount(countText, alias, { zero: false, unlimited: true });
      // An alias listed as both required and if_available is required.
      request.add(typeUri, { alias, count, required: required.includes(alias) });
    }
    return request;
  }

  /**
   * The fetch request of a checkid message, whatever alias the RP chose;
   * undefined when the message has no AX arguments or carries a store
   * request. `update_url` must match the realm (§5.1).
   * @throws ExtensionError for a malformed request
   */
  static fromMessage(message: Message): AXFetchRequest | undefined {
    const args = message.getArgs(AX_1_0_NS);
    if (Object.keys(args).length === 0 || args.mode === 'store_request') return undefined;
    const request = AXFetchRequest.fromArgs(args);
    if (request.updateUrl !== undefined) checkUpdateUrlInRealm(message, request.updateUrl);
    return request;
  }
}

function checkUpdateUrlInRealm(message: Message, updateUrl: string): void {
  const realm = message.getArg(OPENID_NS, 'realm') ?? message.getArg(OPENID_NS, 'trust_root') ?? message.getArg(OPENID_NS, 'return_to');
  let matches = false;
  try {
    matches = realm !== undefined && Realm.parse(realm).matches(updateUrl);
  } catch (error) {
    if (!(error instanceof RealmError)) throw error;
  }
  if (!matches) throw new ExtensionError('ax', 'update_url_mismatch', `openid.ax.update_url ${quote(updateUrl)} is not within the realm (§5.1)`);
}

type FetchData = Readonly<Record<string, string | readonly string[] | undefined>> | ((typeUri: string, attribute: AXRequestedAttribute) => string | readonly string[] | undefined);

/** A fetch response (§5.2). */
export class AXFetchResponse implements Extension {
  readonly namespace = AX_1_0_NS;
  readonly preferredAlias = 'ax';
  /** The request answered (provider side): its aliases are reused and its counts enforced. */
  readonly request: AXFetchRequest | undefined;
  /** The request's update_url, echoed (§5.2). */
  readonly updateUrl: string | undefined;
  readonly #values = new Map<string, string[]>();
  readonly #aliases = new Map<string, string>();

  constructor(
    options: {
      /** The request answered: values are then limited to its attributes and counts. @default undefined (values are not checked against a request) */
      request?: AXFetchRequest | undefined;
      /** The update_url to echo (§5.2). @default the request's `updateUrl` */
      updateUrl?: string | undefined;
    } = {},
  ) {
    this.request = options.request;
    const updateUrl = options.updateUrl ?? options.request?.updateUrl;
    if (updateUrl !== undefined) this.updateUrl = checkUpdateUrl(updateUrl);
  }

  /** Values by type URI. */
  get values(): ReadonlyMap<string, readonly string[]> {
    return this.#values;
  }

  /**
   * Sets the values of an attribute.
   * @throws ExtensionError `not_requested` or `too_many_values` when answering a request; `invalid_value` for a newline
   */
  setValues(typeUri: string, values: readonly string[]): this {
    checkTypeUri(typeUri);
    for (const value of values) checkValue(value, typeUri);
    if (this.request !== undefined) {
      const attribute = this.request.get(typeUri);
      if (attribute === undefined) throw new ExtensionError('ax', 'not_requested', `The attribute ${quote(typeUri)} was not requested`);
      if (attribute.count !== 'unlimited' && values.length > attribute.count) {
        throw new ExtensionError('ax', 'too_many_values', `${values.length} values of ${quote(typeUri)} were given; ${attribute.count} requested (§5.1)`);
      }
    }
    this.#values.set(typeUri, [...values]);
    return this;
  }

  /** Adds one value to an attribute's values, with the checks of {@link AXFetchResponse.setValues}. */
  addValue(typeUri: string, value: string): this {
    return this.setValues(typeUri, [...(this.#values.get(typeUri) ?? []), value]);
  }

  /** The values of an attribute; undefined when the response does not mention it, [] when it sent none. */
  get(typeUri: string): readonly string[] | undefined {
    return this.#values.get(typeUri);
  }

  /**
   * The one value of an attribute, or undefined.
   * @throws ExtensionError `too_many_values` when several were sent
   */
  getSingle(typeUri: string): string | undefined {
    const values = this.#values.get(typeUri) ?? [];
    if (values.length > 1) throw new ExtensionError('ax', 'too_many_values', `${values.length} values of ${quote(typeUri)} were sent, one expected`);
    return values[0];
  }

  /** The alias the sender used for an attribute (responses read from arguments). */
  aliasOf(typeUri: string): string | undefined {
    return this.#aliases.get(typeUri) ?? this.request?.get(typeUri)?.alias;
  }

  /**
   * The provider's answer to a request: only requested attributes, never
   * more values than requested (extra ones are cut), `update_url` echoed.
   */
  static fromRequest(request: AXFetchRequest, data: FetchData): AXFetchResponse {
    const response = new AXFetchResponse({ request });
    for (const attribute of request.attributes) {
      const found = typeof data === 'function' ? data(attribute.typeUri, attribute) : data[attribute.typeUri];
      if (found === undefined) continue;
      const values = typeof found === 'string' ? [found] : found;
      response.setValues(attribute.typeUri, attribute.count === 'unlimited' ? values : values.slice(0, attribute.count));
    }
    return response;
  }

  /** The arguments, without the `openid.<alias>.` prefix (the {@link Extension} shape); computed on each read. */
  get args(): Record<string, string> {
    const taken = new Set(this.request?.attributes.map((a) => a.alias) ?? []);
    const entries: Array<{ typeUri: string; alias: string; values: readonly string[]; countForm: boolean }> = [];
    // Every requested attribute is answered, with count 0 when there is no value (§5.2; python-openid needs it).
    for (const attribute of this.request?.attributes ?? []) {
      const values = this.#values.get(attribute.typeUri) ?? [];
      entries.push({ typeUri: attribute.typeUri, alias: attribute.alias, values, countForm: attribute.count !== 1 });
    }
    for (const [typeUri, values] of this.#values) {
      if (this.request?.has(typeUri) === true) continue;
      const alias = this.#aliases.get(typeUri) ?? freeAlias(taken);
      taken.add(alias);
      entries.push({ typeUri, alias, values, countForm: false });
    }
    return { mode: 'fetch_response', ...encodeValues(entries), ...(this.updateUrl === undefined ? {} : { update_url: this.updateUrl }) };
  }

  /** Adds the arguments to a message, under this extension's namespace and preferred alias (OpenID 2.0 §12). */
  toMessage(message: Message): void {
    addExtensionToMessage(message, this.namespace, this.preferredAlias, this.args);
  }

  /**
   * Reads a fetch response from the arguments a relying party verified as
   * signed (`result.getSignedArgs(AX_1_0_NS)`), never from the raw message.
   * Counts must match the values; with `request`, only requested attributes
   * and counts are accepted.
   * @throws ExtensionError
   */
  static fromSignedArgs(args: Readonly<Record<string, string>>, options: { request?: AXFetchRequest } = {}): AXFetchResponse {
    checkMode(args, 'fetch_response');
    const decoded = decodeValues(args, { zeroCount: true });
    const response = new AXFetchResponse({ request: options.request, updateUrl: args.update_url });
    for (const [typeUri, values] of decoded.values) {
      response.setValues(typeUri, values);
      response.#aliases.set(typeUri, decoded.aliases.get(typeUri) as string);
    }
    return response;
  }

  /** The signed fetch response of a success result; undefined without signed AX arguments or for a store response. */
  static fromSuccess(result: SignedSource, options: { request?: AXFetchRequest } = {}): AXFetchResponse | undefined {
    const args = signedArgsFrom(result, AX_1_0_NS);
    if (Object.keys(args).length === 0 || args.mode === 'store_response_success' || args.mode === 'store_response_failure') return undefined;
    return AXFetchResponse.fromSignedArgs(args, options);
  }
}
