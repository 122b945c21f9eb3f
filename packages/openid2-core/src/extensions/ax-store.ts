/**
 * Attribute Exchange 1.0: store requests and responses.
 * @see openid-attribute-exchange-1_0.txt §6
 */
import { AX_1_0_NS } from '../constants.js';
import type { Message } from '../message.js';
import { checkAlias, checkMode, checkTypeUri, checkValue, decodeValues, encodeValues, freeAlias } from './ax-values.js';
import { addExtensionToMessage, ExtensionError, quote, signedArgsFrom, type Extension, type SignedSource } from './extension.js';

/** A store request (§6.1): attribute values the RP asks the OP to keep. */
export class AXStoreRequest implements Extension {
  readonly namespace = AX_1_0_NS;
  readonly preferredAlias = 'ax';
  readonly #values = new Map<string, string[]>();
  readonly #aliases = new Map<string, string>();

  /** Values by type URI. */
  get values(): ReadonlyMap<string, readonly string[]> {
    return this.#values;
  }

  /**
   * Sets the values of an attribute; a store request sends at least one (§6.1).
   * @throws ExtensionError `invalid_type_uri`, `invalid_value`, `invalid_count`
   */
  setValues(typeUri: string, values: readonly string[], alias?: string): this {
    checkTypeUri(typeUri);
    if (values.length === 0) throw new ExtensionError('ax', 'invalid_count', `A store request sends at least one value of ${quote(typeUri)} (§6.1)`);
    for (const value of values) checkValue(value, typeUri);
    if (alias !== undefined) {
      const owner = [...this.#aliases].find(([uri, used]) => used === alias && uri !== typeUri);
      if (owner !== undefined) throw new ExtensionError('ax', 'duplicate_attribute', `The alias ${quote(alias)} is already used for ${quote(owner[0])}`);
      this.#aliases.set(typeUri, checkAlias(alias));
    }
    this.#values.set(typeUri, [...values]);
    return this;
  }

  /** The values to store for an attribute, or undefined when it has none. */
  get(typeUri: string): readonly string[] | undefined {
    return this.#values.get(typeUri);
  }

  /** The arguments, without the `openid.<alias>.` prefix (the {@link Extension} shape); computed on each read. */
  get args(): Record<string, string> {
    const taken = new Set(this.#aliases.values());
    const entries = [...this.#values].map(([typeUri, values]) => {
      let alias = this.#aliases.get(typeUri);
      if (alias === undefined) taken.add((alias = freeAlias(taken)));
      return { typeUri, alias, values, countForm: false };
    });
    return { mode: 'store_request', ...encodeValues(entries) };
  }

  /** Adds the arguments to a message, under this extension's namespace and preferred alias (OpenID 2.0 §12). */
  toMessage(message: Message): void {
    addExtensionToMessage(message, this.namespace, this.preferredAlias, this.args);
  }

  /**
   * Reads store request arguments (counts, if sent, are greater than zero and match the values).
   * @throws ExtensionError
   */
  static fromArgs(args: Readonly<Record<string, string>>): AXStoreRequest {
    checkMode(args, 'store_request');
    const decoded = decodeValues(args, { zeroCount: false });
    const request = new AXStoreRequest();
    for (const [typeUri, values] of decoded.values) request.setValues(typeUri, values, decoded.aliases.get(typeUri));
    return request;
  }

  /** The store request of a checkid message; undefined when it carries none. */
  static fromMessage(message: Message): AXStoreRequest | undefined {
    const args = message.getArgs(AX_1_0_NS);
    if (args.mode !== 'store_request') return undefined;
    return AXStoreRequest.fromArgs(args);
  }
}

/** A store response (§6.2): success, or failure with an optional reason for the user. */
export class AXStoreResponse implements Extension {
  readonly namespace = AX_1_0_NS;
  readonly preferredAlias = 'ax';
  readonly succeeded: boolean;
  /** Why storing failed, to show to the user (failures only). */
  readonly error: string | undefined;

  constructor(succeeded: boolean, error?: string) {
    if (succeeded && error !== undefined) throw new ExtensionError('ax', 'invalid_value', 'A successful store response carries no error');
    if (error !== undefined) checkValue(error, 'error');
    this.succeeded = succeeded;
    this.error = error;
  }

  /** The arguments, without the `openid.<alias>.` prefix (the {@link Extension} shape); computed on each read. */
  get args(): Record<string, string> {
    if (this.succeeded) return { mode: 'store_response_success' };
    return { mode: 'store_response_failure', ...(this.error === undefined ? {} : { error: this.error }) };
  }

  /** Adds the arguments to a message, under this extension's namespace and preferred alias (OpenID 2.0 §12). */
  toMessage(message: Message): void {
    addExtensionToMessage(message, this.namespace, this.preferredAlias, this.args);
  }

  /**
   * Reads a store response from signed arguments.
   * @throws ExtensionError `wrong_mode`
   */
  static fromSignedArgs(args: Readonly<Record<string, string>>): AXStoreResponse {
    if (args.mode === 'store_response_success') return new AXStoreResponse(true);
    if (args.mode === 'store_response_failure') return new AXStoreResponse(false, args.error);
    const got = args.mode === undefined ? 'missing' : quote(args.mode);
    throw new ExtensionError('ax', 'wrong_mode', `openid.ax.mode is ${got}, expected store_response_success or store_response_failure`);
  }

  /** The signed store response of a success result; undefined when it has none. */
  static fromSuccess(result: SignedSource): AXStoreResponse | undefined {
    const args = signedArgsFrom(result, AX_1_0_NS);
    if (args.mode !== 'store_response_success' && args.mode !== 'store_response_failure') return undefined;
    return AXStoreResponse.fromSignedArgs(args);
  }
}

