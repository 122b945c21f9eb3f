/**
 * Simple Registration 1.0 and 1.1: a few profile fields in one request.
 * OpenID 1.x messages use the fixed alias `sreg` without declaring it (the
 * 1.0 namespace); 2.0 messages use the 1.1 namespace unless the request used
 * the 1.0 one.
 * @see openid-simple-registration-extension-1_0.txt §3, §4
 */
import { SREG_1_0_NS, SREG_1_1_NS } from '../constants.js';
import { OpenIDConfigError } from '../errors.js';
import type { Message } from '../message.js';
import { addExtensionToMessage, ExtensionError, quote, signedArgsFrom, type Extension, type SignedSource } from './extension.js';
import { isSRegField, SREG_FIELDS, sregValueProblem, type SRegData, type SRegField } from './sreg-values.js';

export { isSRegField, SREG_FIELDS, sregValueProblem, isHttpUrl, type SRegData, type SRegField } from './sreg-values.js';

/** The SREG namespace a message uses (1.1 first, as python-openid does), if any. */
export function sregNamespaceOf(message: Message): string | undefined {
  if (message.aliases.aliasOf(SREG_1_1_NS) !== undefined) return SREG_1_1_NS;
  if (message.aliases.aliasOf(SREG_1_0_NS) !== undefined) return SREG_1_0_NS;
  return undefined;
}

/** Whether discovered type URIs (or a discovered endpoint) advertise SREG 1.0 or 1.1. */
export function supportsSReg(source: readonly string[] | { readonly typeUris: readonly string[] }): boolean {
  const typeUris = 'typeUris' in source ? source.typeUris : source;
  return typeUris.includes(SREG_1_1_NS) || typeUris.includes(SREG_1_0_NS);
}

/**
 * The namespace to ask in: 1.0 (implicit `sreg`) for OpenID 1.x; for 2.0 the
 * 1.1 namespace unless the provider advertises only 1.0.
 */
export function sregNamespaceFor(
  options: {
    /** An OpenID 1.x message: always the 1.0 namespace. @default false */
    openid1?: boolean;
    /** The endpoint's advertised type URIs. @default [] (nothing advertised: the 1.1 namespace) */
    typeUris?: readonly string[];
  } = {},
): string {
  if (options.openid1 === true) return SREG_1_0_NS;
  const typeUris = options.typeUris ?? [];
  return typeUris.includes(SREG_1_0_NS) && !typeUris.includes(SREG_1_1_NS) ? SREG_1_0_NS : SREG_1_1_NS;
}

function checkNamespace(namespace: string): string {
  if (namespace !== SREG_1_0_NS && namespace !== SREG_1_1_NS) {
    throw new OpenIDConfigError(`${namespace} is not a Simple Registration namespace (${SREG_1_1_NS} or ${SREG_1_0_NS})`, 'namespace');
  }
  return namespace;
}

/** The namespace to write in a message: OpenID 1.x knows only the implicit 1.0 alias. */
function namespaceIn(message: Message, namespace: string): string {
  return message.isOpenID1() ? SREG_1_0_NS : namespace;
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
}

/** Options of {@link SRegRequest}: the fields asked for, the policy URL, and the namespace. */
export interface SRegRequestOptions {
  /** Fields the relying party needs (SREG §3 `required`); the user may still refuse them. @default [] */
  required?: readonly string[];
  /** Fields it would use if given (SREG §3 `optional`). @default [] */
  optional?: readonly string[];
  /** Where the user can read how the data will be used (an http or https URL). @default undefined (none sent) */
  policyUrl?: string | undefined;
  /** The SREG namespace to ask in: SREG_1_1_NS, or SREG_1_0_NS for a provider that advertises only 1.0 (OpenID 1.x messages always use 1.0). @default SREG_1_1_NS */
  namespace?: string;
  /** Unknown field names are an error (true) or ignored (false). @default true */
  strict?: boolean;
}

/** A Simple Registration request (SREG §3). */
export class SRegRequest implements Extension {
  readonly preferredAlias = 'sreg';
  readonly required: SRegField[] = [];
  readonly optional: SRegField[] = [];
  policyUrl: string | undefined;
  namespace: string;

  constructor(options: SRegRequestOptions = {}) {
    this.namespace = checkNamespace(options.namespace ?? SREG_1_1_NS);
    const strict = options.strict ?? true;
    for (const name of options.required ?? []) this.requestField(name, true, strict);
    for (const name of options.optional ?? []) this.requestField(name, false, strict);
    if (options.policyUrl !== undefined) {
      const problem = sregValueProblem('policy_url', options.policyUrl);
      if (problem !== undefined) throw new ExtensionError('sreg', 'invalid_value', `policy_url ${problem}`);
      this.policyUrl = options.policyUrl;
    }
  }

  /**
   * Asks for a field. A field asked for as both required and optional is
   * required; asking twice is harmless.
   * @throws ExtensionError (`unknown_field`) for a name SREG §4 does not define, when strict
   */
  requestField(name: string, required: boolean, strict = true): this {
    if (!isSRegField(name)) {
      if (strict) throw new ExtensionError('sreg', 'unknown_field', `${quote(name)} is not a Simple Registration field (${SREG_FIELDS.join(', ')})`);
      return this;
    }
    if (this.required.includes(name)) return this;
    const index = this.optional.indexOf(name);
    if (index >= 0) {
      if (!required) return this;
      this.optional.splice(index, 1);
    }
    (required ? this.required : this.optional).push(name);
    return this;
  }

  /** Every requested field, required ones first. */
  get fields(): SRegField[] {
    return [...this.required, ...this.optional];
  }

  /** Whether a field is requested, required or optional. */
  has(field: string): boolean {
    return this.fields.includes(field as SRegField);
  }

  /** SREG §3: at least one of `required` and `optional` must be given for the request to mean anything. */
  wereFieldsRequested(): boolean {
    return this.fields.length > 0;
  }

  /** The arguments, without the `openid.<alias>.` prefix (the {@link Extension} shape); computed on each read. */
  get args(): Record<string, string> {
    const args: Record<string, string> = {};
    if (this.required.length > 0) args.required = this.required.join(',');
    if (this.optional.length > 0) args.optional = this.optional.join(',');
    if (this.policyUrl !== undefined) args.policy_url = this.policyUrl;
    return args;
  }

  /** Adds the request to a message: OpenID 1.x gets the implicit `sreg` alias (1.0 namespace). */
  toMessage(message: Message): void {
    addExtensionToMessage(message, namespaceIn(message, this.namespace), this.preferredAlias, this.args);
  }

  /**
   * Reads request arguments. Lenient by default, as providers should be:
   * unknown field names and a policy_url that is no http(s) URL are ignored.
   */
  static fromArgs(args: Readonly<Record<string, string>>, options: { namespace?: string; strict?: boolean } = {}): SRegRequest {
    const strict = options.strict ?? false;
    const policyUrl = args.policy_url;
    const usable = policyUrl !== undefined && (strict || sregValueProblem('policy_url', policyUrl) === undefined);
    return new SRegRequest({
      required: splitList(args.required),
      optional: splitList(args.optional),
      ...(usable ? { policyUrl } : {}),
      namespace: options.namespace ?? SREG_1_1_NS,
      strict,
    });
  }

  /** The SREG request of a checkid message, in whichever namespace and alias it came; undefined without one. */
  static fromMessage(message: Message, options: { strict?: boolean } = {}): SRegRequest | undefined {
    const namespace = sregNamespaceOf(message);
    if (namespace === undefined) return undefined;
    return SRegRequest.fromArgs(message.getArgs(namespace), { namespace, ...options });
  }
}

function checkedData(data: Readonly<Record<string, string | undefined>>): SRegData {
  const out: SRegData = {};
  for (const [field, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (!isSRegField(field)) throw new ExtensionError('sreg', 'unknown_field', `${quote(field)} is not a Simple Registration field`);
    const problem = sregValueProblem(field, value);
    if (problem !== undefined) throw new ExtensionError('sreg', 'invalid_value', `The ${field} value ${problem}`);
    out[field] = value;
  }
  return out;
}

/** A Simple Registration response (SREG §4). */
export class SRegResponse implements Extension {
  readonly preferredAlias = 'sreg';
  readonly data: Readonly<SRegData>;
  readonly namespace: string;
  /** Fields whose received values were invalid and were left out (when read leniently). */
  readonly invalid: readonly SRegField[];

  /**
   * A response with these values, as a provider builds it.
   * @throws ExtensionError `unknown_field` or `invalid_value` (SREG §4 formats)
   */
  constructor(data: Readonly<Record<string, string | undefined>> = {}, namespace: string = SREG_1_1_NS, invalid: readonly SRegField[] = []) {
    this.data = Object.freeze(checkedData(data));
    this.namespace = checkNamespace(namespace);
    this.invalid = Object.freeze([...invalid]);
  }

  /** The value sent for a field, or undefined. */
  get(field: SRegField): string | undefined {
    return this.data[field];
  }

  /**
   * The provider's answer to a request: only the requested fields, in the
   * request's namespace. Absent and empty values are left out; an invalid
   * value is refused.
   * @throws ExtensionError `invalid_value`
   */
  static extractResponse(request: SRegRequest, values: Readonly<Record<string, string | undefined>>): SRegResponse {
    const data: SRegData = {};
    for (const field of request.fields) {
      const value = values[field];
      if (value !== undefined && value !== '') data[field] = value;
    }
    return new SRegResponse(data, request.namespace);
  }

  /**
   * Reads a response from the arguments a relying party verified as signed
   * (`result.getSignedArgs(namespace)`), never from the raw message. Unknown
   * keys are ignored; invalid values are left out (listed in `invalid`), or
   * refused when `strict`.
   */
  static fromSignedArgs(args: Readonly<Record<string, string>>, options: { namespace?: string; strict?: boolean } = {}): SRegResponse {
    const data: SRegData = {};
    const invalid: SRegField[] = [];
    for (const field of SREG_FIELDS) {
      const value = args[field];
      if (value === undefined) continue;
      const problem = sregValueProblem(field, value);
      if (problem === undefined) data[field] = value;
      else if (options.strict === true) throw new ExtensionError('sreg', 'invalid_value', `The signed ${field} value ${problem}`);
      else invalid.push(field);
    }
    return new SRegResponse(data, options.namespace ?? SREG_1_1_NS, invalid);
  }

  /** The signed SREG response of a success result (1.1 namespace first, then 1.0); undefined when nothing was signed. */
  static fromSuccess(result: SignedSource, options: { strict?: boolean } = {}): SRegResponse | undefined {
    for (const namespace of [SREG_1_1_NS, SREG_1_0_NS]) {
      const args = signedArgsFrom(result, namespace);
      if (Object.keys(args).length > 0) return SRegResponse.fromSignedArgs(args, { namespace, ...options });
    }
    return undefined;
  }

  /** The arguments, without the `openid.<alias>.` prefix (the {@link Extension} shape); computed on each read. */
  get args(): Record<string, string> {
    const args: Record<string, string> = {};
    for (const field of SREG_FIELDS) {
      const value = this.data[field];
      if (value !== undefined) args[field] = value;
    }
    return args;
  }

  /** Adds the response to a message: OpenID 1.x gets the implicit `sreg` alias (1.0 namespace). */
  toMessage(message: Message): void {
    addExtensionToMessage(message, namespaceIn(message, this.namespace), this.preferredAlias, this.args);
  }
}
