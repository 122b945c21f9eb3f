/**
 * Simple Registration 1.0 and 1.1: a few profile fields in one request.
 * OpenID 1.x messages use the fixed alias `sreg` (SREG 1.0 §3); 2.0
 * messages use the 1.1 namespace unless the request used 1.0.
 * @see openid-simple-registration-extension-1_0.txt §3, §4
 */
import { SREG_1_0_NS, SREG_1_1_NS } from '../constants.js';
import { MessageError } from '../errors.js';
import type { Message } from '../message.js';

export const SREG_FIELDS = ['nickname', 'email', 'fullname', 'dob', 'gender', 'postcode', 'country', 'language', 'timezone'] as const;
export type SRegField = (typeof SREG_FIELDS)[number];

export function isSRegField(name: string): name is SRegField {
  return (SREG_FIELDS as readonly string[]).includes(name);
}

const VALIDATORS: Partial<Record<SRegField, RegExp>> = {
  email: /^[^\s@]+@[^\s@]+$/,
  dob: /^\d{4}-\d{2}-\d{2}$/,
  gender: /^[MF]$/,
  country: /^[A-Za-z]{2}$/,
  language: /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/,
  timezone: /^[A-Za-z0-9_+\-/]+$/,
};

/** Whether an SREG value is well-formed for its field (§4). */
export function validSRegValue(field: SRegField, value: string): boolean {
  if (value.length > 1024 || /[\r\n]/.test(value)) return false;
  return VALIDATORS[field]?.test(value) ?? true;
}

/** The SREG namespace a message uses, if any. */
export function sregNamespaceOf(message: Message): string | undefined {
  if (message.aliases.aliasOf(SREG_1_1_NS) !== undefined) return SREG_1_1_NS;
  if (message.aliases.aliasOf(SREG_1_0_NS) !== undefined) return SREG_1_0_NS;
  return undefined;
}

/** Whether discovered type URIs advertise SREG. */
export function supportsSReg(typeUris: readonly string[]): boolean {
  return typeUris.includes(SREG_1_1_NS) || typeUris.includes(SREG_1_0_NS);
}

function splitList(value: string | undefined): string[] {
  return (value ?? '').split(',').map((name) => name.trim()).filter((name) => name !== '');
}

export class SRegRequest {
  readonly required: SRegField[] = [];
  readonly optional: SRegField[] = [];
  policyUrl: string | undefined;
  namespace: string;

  constructor(options: { required?: readonly string[]; optional?: readonly string[]; policyUrl?: string; namespace?: string; strict?: boolean } = {}) {
    this.namespace = options.namespace ?? SREG_1_1_NS;
    this.policyUrl = options.policyUrl;
    const strict = options.strict ?? true;
    for (const [list, names] of [[this.required, options.required ?? []], [this.optional, options.optional ?? []]] as const) {
      for (const name of names) {
        if (!isSRegField(name)) {
          if (strict) throw new MessageError(`${JSON.stringify(name)} is not a Simple Registration field`);
          continue;
        }
        if (!this.required.includes(name) && !list.includes(name)) list.push(name);
      }
    }
    // A field both required and optional is required.
    for (const name of this.required) {
      const index = this.optional.indexOf(name);
      if (index >= 0) this.optional.splice(index, 1);
    }
  }

  /** The request of a checkid message (lenient about unknown fields, as §4 asks of OPs). */
  static fromMessage(message: Message): SRegRequest | undefined {
    const namespace = sregNamespaceOf(message);
    if (namespace === undefined) return undefined;
    const args = message.getArgs(namespace);
    return new SRegRequest({ required: splitList(args.required), optional: splitList(args.optional), ...(args.policy_url === undefined ? {} : { policyUrl: args.policy_url }), namespace, strict: false });
  }

  get fields(): SRegField[] {
    return [...this.required, ...this.optional];
  }

  toArgs(): Record<string, string> {
    const args: Record<string, string> = {};
    if (this.required.length > 0) args.required = this.required.join(',');
    if (this.optional.length > 0) args.optional = this.optional.join(',');
    if (this.policyUrl !== undefined) args.policy_url = this.policyUrl;
    return args;
  }

  /** Adds the request to a message; OpenID 1.x messages get the 1.0 namespace (implicit `sreg`). */
  toMessage(message: Message): void {
    message.updateArgs(message.isOpenID1() ? SREG_1_0_NS : this.namespace, this.toArgs());
  }
}

export class SRegResponse {
  readonly data: Partial<Record<SRegField, string>>;
  readonly namespace: string;

  constructor(data: Partial<Record<SRegField, string>>, namespace: string = SREG_1_1_NS) {
    this.data = data;
    this.namespace = namespace;
  }

  /** The provider's answer: only requested fields, only valid values (invalid ones are refused). */
  static extractResponse(request: SRegRequest, values: Readonly<Record<string, string | undefined>>): SRegResponse {
    const data: Partial<Record<SRegField, string>> = {};
    for (const field of request.fields) {
      const value = values[field];
      if (value === undefined) continue;
      if (!validSRegValue(field, value)) throw new MessageError(`The ${field} value is not valid Simple Registration data`);
      data[field] = value;
    }
    return new SRegResponse(data, request.namespace);
  }

  /** Reads a response from signed arguments only (the consumer's `getSignedArgs`). Invalid values are dropped. */
  static fromSignedArgs(args: Readonly<Record<string, string>>, namespace: string = SREG_1_1_NS): SRegResponse {
    const data: Partial<Record<SRegField, string>> = {};
    for (const [key, value] of Object.entries(args)) if (isSRegField(key) && validSRegValue(key, value)) data[key] = value;
    return new SRegResponse(data, namespace);
  }

  toArgs(): Record<string, string> {
    return Object.fromEntries(Object.entries(this.data).filter((entry): entry is [string, string] => entry[1] !== undefined));
  }
}
