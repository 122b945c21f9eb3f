/**
 * Authentication requests (`checkid_setup`, `checkid_immediate`) and the
 * answers to them.
 * @see OpenID 2.0 §9, §10; OpenID 1.1 §4.2
 */
import { IDENTIFIER_SELECT, OPENID2_NS } from '../constants.js';
import { ProtocolError, RealmError, UrlError } from '../errors.js';
import { BARE_NS, Message, OPENID_NS } from '../message.js';
import { makeNonce } from '../nonce.js';
import { normalizeUrl } from '../normalize-url.js';
import { Realm, returnToMatches } from '../realm.js';
import type { OpenIDResponse } from './response.js';

/** Extension arguments to add to (and sign in) a positive assertion. */
export interface ExtensionArgs {
  namespace: string;
  args: Readonly<Record<string, string>>;
}

export interface AllowOptions {
  /** The OP-local identifier to assert; required for identifier select. */
  identity?: string;
  /** The claimed identifier; defaults to `identity` for identifier select. */
  claimedId?: string;
  extensions?: readonly ExtensionArgs[];
}

/** What a CheckIDRequest needs from the server. */
export interface CheckIDContext {
  endpoint: string;
  now: () => number;
  sign(response: Message, requestedHandle: string | undefined, fields: readonly string[]): Promise<void>;
  discoverReturnTos(realm: string): Promise<string[]>;
}

function validUrl(value: string): boolean {
  try {
    normalizeUrl(value, { keepFragment: true });
    return true;
  } catch (error) {
    if (error instanceof UrlError) return false;
    throw error;
  }
}

export class CheckIDRequest {
  readonly mode: 'checkid_setup' | 'checkid_immediate';
  readonly message: Message;
  readonly namespace: string;
  /** `openid.identity` (the OP-local identifier), or IDENTIFIER_SELECT. */
  readonly identity: string;
  /** `openid.claimed_id` (equal to identity in OpenID 1.x). */
  readonly claimedId: string;
  readonly returnTo: string;
  /** The realm (`trust_root` in 1.x), defaulting to return_to. */
  readonly realm: Realm;
  readonly assocHandle: string | undefined;
  readonly #context: CheckIDContext;

  private constructor(message: Message, context: CheckIDContext, fields: { identity: string; claimedId: string; returnTo: string; realm: Realm }) {
    this.message = message;
    this.namespace = message.namespace;
    this.mode = message.getArg(OPENID_NS, 'mode') as 'checkid_setup' | 'checkid_immediate';
    this.identity = fields.identity;
    this.claimedId = fields.claimedId;
    this.returnTo = fields.returnTo;
    this.realm = fields.realm;
    this.assocHandle = message.getArg(OPENID_NS, 'assoc_handle');
    this.#context = context;
  }

  /**
   * Reads and checks a checkid request. Errors carry `returnTo` only when
   * return_to is a valid URL inside the realm: only then may the error be
   * sent back to it; otherwise the user sees an error page.
   */
  static fromMessage(message: Message, context: CheckIDContext): CheckIDRequest {
    const namespace = message.namespace;
    const fail = (text: string, returnTo?: string): ProtocolError => new ProtocolError(text, { namespace, returnTo });
    const returnTo = message.getArg(OPENID_NS, 'return_to');
    if (returnTo === undefined) throw fail('openid.return_to is missing: this provider only answers requests that return the user');
    if (!validUrl(returnTo)) throw fail('openid.return_to is not a valid http or https URL');
    const realmText = message.getArg(OPENID_NS, message.isOpenID2() ? 'realm' : 'trust_root') ?? returnTo;
    let realm: Realm;
    try {
      realm = Realm.parse(realmText);
    } catch (error) {
      if (error instanceof RealmError) throw fail(`The realm is invalid: ${error.message}`);
      throw error;
    }
    if (!realm.matches(returnTo)) throw fail(`openid.return_to ${returnTo} is not within the realm ${realm.toString()}`);
    // From here on return_to is safe to send errors to.
    if (!realm.isSane()) throw fail(`The realm ${realm.toString()} covers too much (a wildcard over a public suffix)`, returnTo);
    const identity = message.getArg(OPENID_NS, 'identity');
    const claimed = message.isOpenID2() ? message.getArg(OPENID_NS, 'claimed_id') : identity;
    if (identity === undefined || claimed === undefined) {
      const text = message.isOpenID2() && (identity === undefined) !== (claimed === undefined)
        ? 'openid.claimed_id and openid.identity must be both present or both absent'
        : 'openid.identity is missing: this provider answers only requests about an identifier';
      throw fail(text, returnTo);
    }
    if ((identity === IDENTIFIER_SELECT) !== (claimed === IDENTIFIER_SELECT)) {
      throw fail('Identifier select needs both openid.claimed_id and openid.identity set to identifier_select', returnTo);
    }
    return new CheckIDRequest(message, context, { identity, claimedId: claimed, returnTo, realm });
  }

  get immediate(): boolean {
    return this.mode === 'checkid_immediate';
  }

  /** Whether the user should pick the identifier here (§9.1 identifier select). */
  get idSelect(): boolean {
    return this.identity === IDENTIFIER_SELECT;
  }

  /** Whether return_to lies within the realm (checked when the request was read). */
  trustRootValid(): boolean {
    return this.realm.matches(this.returnTo);
  }

  /**
   * Relying party discovery (§9.2.1, §13): whether the realm publishes this
   * return_to. False when it publishes none, or discovery fails.
   */
  async returnToVerified(): Promise<boolean> {
    try {
      return returnToMatches(await this.#context.discoverReturnTos(this.realm.toString()), this.returnTo);
    } catch {
      return false;
    }
  }

  #response(mode: string): Message {
    const response = new Message(this.namespace, { implicit: this.message.isImplicitNamespace });
    response.setArg(OPENID_NS, 'mode', mode);
    return response;
  }

  /**
   * The answer to the request: a signed positive assertion when `allow`;
   * otherwise setup needed for immediate requests and cancel for setup ones.
   */
  async answer(allow: boolean, options: AllowOptions = {}): Promise<OpenIDResponse> {
    if (!allow) return this.immediate ? this.setupNeeded() : this.cancel();
    const { identity, claimedId } = this.#identifiers(options);
    const response = this.#response('id_res');
    if (response.isOpenID2()) {
      response.setArg(OPENID_NS, 'op_endpoint', this.#context.endpoint);
      response.setArg(OPENID_NS, 'claimed_id', claimedId);
    }
    response.setArg(OPENID_NS, 'identity', identity);
    response.setArg(OPENID_NS, 'return_to', this.returnTo);
    if (response.isOpenID2()) response.setArg(OPENID_NS, 'response_nonce', makeNonce(this.#context.now()));
    for (const extension of options.extensions ?? []) {
      for (const [key, value] of Object.entries(extension.args)) response.setArg(extension.namespace, key, value);
    }
    // Everything is signed: the fields §10.1 requires, extension arguments
    // and their namespace declarations, and the mode.
    await this.#context.sign(response, this.assocHandle, [...response.openIDKeys(), 'assoc_handle']);
    return { kind: 'indirect', message: response, returnTo: this.returnTo };
  }

  #identifiers(options: AllowOptions): { identity: string; claimedId: string } {
    const fail = (text: string): ProtocolError => new ProtocolError(text);
    if (this.idSelect) {
      if (options.identity === undefined) throw fail('Identifier select: answer(true, { identity }) must name the identifier the user chose');
      return { identity: options.identity, claimedId: options.claimedId ?? options.identity };
    }
    if (options.identity !== undefined && options.identity !== this.identity) {
      throw fail(`The request is for ${this.identity}; it cannot be answered for ${options.identity}`);
    }
    return { identity: this.identity, claimedId: this.claimedId };
  }

  /** Negative assertion: the user cancelled or refused (§10.2.2). */
  cancel(): OpenIDResponse {
    return { kind: 'indirect', message: this.#response('cancel'), returnTo: this.returnTo };
  }

  /**
   * Negative assertion to an immediate request (§10.2.1): `setup_needed` in
   * 2.0; in 1.x `id_res` with a `user_setup_url` that repeats the request in
   * setup mode.
   */
  setupNeeded(): OpenIDResponse {
    if (this.message.isOpenID2()) return { kind: 'indirect', message: this.#response('setup_needed'), returnTo: this.returnTo };
    const response = this.#response('id_res');
    const setup = Message.fromPostArgs(Object.entries(this.message.toPostArgs()));
    setup.setArg(OPENID_NS, 'mode', 'checkid_setup');
    for (const key of Object.keys(setup.getArgs(BARE_NS))) setup.delArg(BARE_NS, key);
    response.setArg(OPENID_NS, 'user_setup_url', setup.toURL(this.#context.endpoint));
    return { kind: 'indirect', message: response, returnTo: this.returnTo };
  }

  /** The request as a URL to this OP (to resume it after an interaction). */
  encodeToURL(): string {
    return this.message.toURL(this.#context.endpoint);
  }

  /** Whether the request uses OpenID 2.0. */
  isOpenID2(): boolean {
    return this.namespace === OPENID2_NS;
  }
}
