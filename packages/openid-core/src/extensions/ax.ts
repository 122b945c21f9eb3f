/**
 * Attribute Exchange 1.0: fetch and store messages.
 * @see openid-attribute-exchange-1_0.txt §5, §6
 */
import { AX_1_0_NS } from '../constants.js';
import { MessageError } from '../errors.js';
import type { Message } from '../message.js';

export interface AXRequestedAttribute {
  typeUri: string;
  alias: string;
  /** Values wanted: a positive number or 'unlimited'. @default 1 */
  count: number | 'unlimited';
  required: boolean;
}

/** Aliases must not contain commas, periods, colons or newlines (§5.1). */
export function validAXAlias(alias: string): boolean {
  return /^[^,.:\r\n\s]{1,64}$/.test(alias);
}

function checkAlias(alias: string): void {
  if (!validAXAlias(alias)) throw new MessageError(`${JSON.stringify(alias)} is not a valid attribute alias`);
}

function parseCount(text: string | undefined, allowZero: boolean): number | 'unlimited' {
  if (text === undefined) return 1;
  if (text === 'unlimited') return 'unlimited';
  if (!/^\d{1,6}$/.test(text) || (!allowZero && Number(text) === 0)) throw new MessageError(`${JSON.stringify(text)} is not a valid attribute count`);
  return Number(text);
}

function modeOf(args: Readonly<Record<string, string>>, expected: string): void {
  if (args.mode !== expected) throw new MessageError(`openid.ax.mode is ${JSON.stringify(args.mode)}, expected ${expected}`);
}

export class FetchRequest {
  readonly attributes: AXRequestedAttribute[] = [];
  updateUrl: string | undefined;

  add(typeUri: string, options: { alias?: string; count?: number | 'unlimited'; required?: boolean } = {}): this {
    const alias = options.alias ?? `a${this.attributes.length}`;
    checkAlias(alias);
    if (this.attributes.some((a) => a.alias === alias || a.typeUri === typeUri)) throw new MessageError(`The attribute ${typeUri} (${alias}) is requested twice`);
    this.attributes.push({ typeUri, alias, count: options.count ?? 1, required: options.required ?? false });
    return this;
  }

  toArgs(): Record<string, string> {
    const args: Record<string, string> = { mode: 'fetch_request' };
    for (const attribute of this.attributes) {
      args[`type.${attribute.alias}`] = attribute.typeUri;
      if (attribute.count !== 1) args[`count.${attribute.alias}`] = String(attribute.count);
    }
    const required = this.attributes.filter((a) => a.required).map((a) => a.alias);
    const optional = this.attributes.filter((a) => !a.required).map((a) => a.alias);
    if (required.length > 0) args.required = required.join(',');
    if (optional.length > 0) args.if_available = optional.join(',');
    if (this.updateUrl !== undefined) args.update_url = this.updateUrl;
    return args;
  }

  toMessage(message: Message): void {
    message.updateArgs(AX_1_0_NS, this.toArgs());
  }

  /** Reads a fetch request; undefined when the message has no AX fetch request. */
  static fromMessage(message: Message): FetchRequest | undefined {
    const args = message.getArgs(AX_1_0_NS);
    if (args.mode !== 'fetch_request') return undefined;
    const request = new FetchRequest();
    const listed = (name: string): string[] => (args[name] ?? '').split(',').filter((alias) => alias !== '');
    const required = new Set(listed('required'));
    for (const alias of [...required, ...listed('if_available')]) {
      const typeUri = args[`type.${alias}`];
      if (typeUri === undefined) throw new MessageError(`The attribute alias ${JSON.stringify(alias)} has no type`);
      if (request.attributes.some((a) => a.alias === alias)) continue;
      request.add(typeUri, { alias, count: parseCount(args[`count.${alias}`], false), required: required.has(alias) });
    }
    request.updateUrl = args.update_url;
    return request;
  }
}

export class FetchResponse {
  /** Values by type URI. */
  readonly values = new Map<string, string[]>();
  updateUrl: string | undefined;

  set(typeUri: string, values: readonly string[]): this {
    for (const value of values) if (/[\r\n]/.test(value)) throw new MessageError('Attribute values must not contain newlines (AX §3.3)');
    this.values.set(typeUri, [...values]);
    return this;
  }

  get(typeUri: string): string[] {
    return this.values.get(typeUri) ?? [];
  }

  /** The provider's answer to a request: never more values than requested, only requested attributes. */
  static answer(request: FetchRequest, values: (typeUri: string) => readonly string[] | undefined): FetchResponse {
    const response = new FetchResponse();
    for (const attribute of request.attributes) {
      const found = values(attribute.typeUri);
      if (found === undefined) continue;
      response.set(attribute.typeUri, attribute.count === 'unlimited' ? found : found.slice(0, attribute.count));
    }
    response.updateUrl = request.updateUrl;
    return response;
  }

  toArgs(request?: FetchRequest): Record<string, string> {
    const args: Record<string, string> = { mode: 'fetch_response' };
    let n = 0;
    for (const [typeUri, values] of this.values) {
      const alias = request?.attributes.find((a) => a.typeUri === typeUri)?.alias ?? `a${(n += 1)}`;
      args[`type.${alias}`] = typeUri;
      if (values.length === 1) args[`value.${alias}`] = values[0] as string;
      else {
        args[`count.${alias}`] = String(values.length);
        values.forEach((value, index) => {
          args[`value.${alias}.${index + 1}`] = value;
        });
      }
    }
    if (this.updateUrl !== undefined) args.update_url = this.updateUrl;
    return args;
  }

  /** Reads a fetch response from signed arguments only; counts must match the values (§5.2). */
  static fromSignedArgs(args: Readonly<Record<string, string>>): FetchResponse {
    modeOf(args, 'fetch_response');
    const response = new FetchResponse();
    for (const [key, typeUri] of Object.entries(args)) {
      if (!key.startsWith('type.')) continue;
      const alias = key.slice(5);
      checkAlias(alias);
      const count = args[`count.${alias}`];
      if (count === undefined) {
        const value = args[`value.${alias}`];
        if (value !== undefined) response.set(typeUri, [value]);
        continue;
      }
      const n = parseCount(count, true);
      if (n === 'unlimited') throw new MessageError('A fetch response count must be a number');
      const values: string[] = [];
      for (let i = 1; i <= n; i += 1) {
        const value = args[`value.${alias}.${i}`];
        if (value === undefined) throw new MessageError(`openid.ax.value.${alias}.${i} is missing (count is ${n})`);
        values.push(value);
      }
      response.set(typeUri, values);
    }
    response.updateUrl = args.update_url;
    return response;
  }
}

/** A store request (§6.1): attributes for the OP to keep. */
export class StoreRequest {
  readonly values = new Map<string, string[]>();

  set(typeUri: string, values: readonly string[]): this {
    this.values.set(typeUri, [...values]);
    return this;
  }

  toArgs(): Record<string, string> {
    const response = new FetchResponse();
    for (const [typeUri, values] of this.values) response.set(typeUri, values);
    return { ...response.toArgs(), mode: 'store_request' };
  }

  static fromMessage(message: Message): StoreRequest | undefined {
    const args = message.getArgs(AX_1_0_NS);
    if (args.mode !== 'store_request') return undefined;
    const parsed = FetchResponse.fromSignedArgs({ ...args, mode: 'fetch_response' });
    const request = new StoreRequest();
    for (const [typeUri, values] of parsed.values) request.set(typeUri, values);
    return request;
  }
}

/** A store response (§6.2): success, or failure with an error text. */
export class StoreResponse {
  constructor(readonly succeeded: boolean, readonly error?: string) {}

  toArgs(): Record<string, string> {
    if (this.succeeded) return { mode: 'store_response_success' };
    return { mode: 'store_response_failure', ...(this.error === undefined ? {} : { error: this.error.replace(/[\r\n]+/g, ' ') }) };
  }

  static fromSignedArgs(args: Readonly<Record<string, string>>): StoreResponse {
    if (args.mode === 'store_response_success') return new StoreResponse(true);
    if (args.mode === 'store_response_failure') return new StoreResponse(false, args.error);
    throw new MessageError(`openid.ax.mode ${JSON.stringify(args.mode)} is not a store response`);
  }
}
