/**
 * Authentication requests (`checkid_setup`, `checkid_immediate`) and the
 * answers to them.
 * @see OpenID 2.0 §9, §10; OpenID 1.1 §4.2
 */
import { IDENTIFIER_SELECT, OPENID1_NAMESPACES, OPENID2_NS } from '../constants.js';
import { AnswerError, ProtocolError, RealmError, UrlError } from '../errors.js';
import { isValidHandle } from '../association.js';
import { BARE_NS, Message, OPENID_NS } from '../message.js';
import { makeNonce } from '../nonce.js';
import { normalizeUrl } from '../normalize-url.js';
import { Realm, returnToMatches } from '../realm.js';
import type { Extension } from '../extensions/extension.js';
import type { OpenIDResponse } from './response.js';

/** What a positive assertion asserts. */
export interface AllowOptions {
  /**
   * The OP-local identifier to assert. Required for identifier select;
   * otherwise it may be left out, and must equal the requested one if given.
   * @default the request's `openid.identity`
   */
  identity?: string;
  /**
   * The claimed identifier (OpenID 2.0). For identifier select it defaults
   * to `identity`; otherwise it may be left out, and must equal the
   * requested one if given.
   * @default `identity` for identifier select, else the request's `openid.claimed_id`
   */
  claimedId?: string;
  /** Extension responses (`new SRegResponse(...)`, `answerProfile(...)`, or `{ namespace, args }`), all signed (§10.1). Values are UTF-8 text without line breaks. @default [] (none) */
  extensions?: readonly Extension[];
}

/** What a CheckIDRequest needs from the server. */
export interface CheckIDContext {
  opEndpoint: string;
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

/**
 * Longest identifier, return_to or realm accepted. Identifiers are URLs (or
 * XRIs) a relying party fetches; none is near this long, and the bound keeps
 * a hostile request from having the OP sign and send a huge assertion (an
 * OpenID 1.x answer, which can only be a redirect, carries return_to twice).
 */
const MAX_IDENTIFIER_LENGTH = 4096;

/** A non-empty identifier, without control characters, that key-value form (and so a signature) can carry. */
function isIdentifier(value: unknown): value is string {
  // eslint-disable-next-line no-control-regex
  return typeof value === 'string' && value !== '' && value.length <= MAX_IDENTIFIER_LENGTH && !/[\u0000-\u001f\u007f]/.test(value);
}

/** Where an AnswerError sends the relying party: the request's namespace and return_to. */
interface AnswerTo {
  namespace: string;
  returnTo: string;
}

/** An extension key fits a signed list and key-value form: printable ASCII, no comma or colon. */
const EXTENSION_KEY = /^[\x21-\x2b\x2d-\x39\x3b-\x7e]*$/;

/**
 * Checks extension arguments before anything is signed: a value key-value
 * form cannot carry (a line break) would otherwise fail in the middle of
 * signing. These come from the application at answer time, so a fault is an
 * AnswerError: the relying party gets an error answer, never a 500.
 */
function checkExtensions(extensions: readonly Extension[], request: AnswerTo): void {
  extensions.forEach((extension, index) => {
    const where = `extensions[${index}]`;
    const { namespace, args } = extension ?? {};
    if (typeof namespace !== 'string' || !/^[^\s\u0000-\u001f\u007f]+$/.test(namespace) || namespace === OPENID2_NS || OPENID1_NAMESPACES.includes(namespace)) {
      throw new AnswerError('must be an extension namespace URI (not an OpenID namespace)', `${where}.namespace`, request);
    }
    if (args === null || typeof args !== 'object') throw new AnswerError('must be an object of string arguments', `${where}.args`, request);
    for (const [key, value] of Object.entries(args)) {
      if (!EXTENSION_KEY.test(key)) throw new AnswerError('must be printable ASCII without a comma or colon', `${where}.args[${JSON.stringify(key)}]`, request);
      if (typeof value !== 'string' || /[\r\n\0]/.test(value)) {
        throw new AnswerError('must be a string without line breaks or NUL', `${where}.args.${key}`, request);
      }
    }
  });
}

/** The outcome of relying party discovery for a request's return_to (§9.2.1). */
export type ReturnToVerification =
  | { verified: true }
  | { verified: false; reason: 'not_published' | 'mismatch' }
  | { verified: false; reason: 'fetch_failed'; cause: unknown };

/**
 * A `checkid_setup` or `checkid_immediate` request. When it was decoded,
 * return_to was checked to be a well-formed http(s) URL inside a valid,
 * sane realm; the app decides whether the user allows it.
 */
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
  #returnToVerified: Promise<ReturnToVerification> | undefined;

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
    if (returnTo.length > MAX_IDENTIFIER_LENGTH) throw fail(`openid.return_to is longer than ${MAX_IDENTIFIER_LENGTH} characters`);
    if (!validUrl(returnTo)) throw fail('openid.return_to is not a valid http or https URL');
    const realmText = message.getArg(OPENID_NS, message.isOpenID2() ? 'realm' : 'trust_root') ?? returnTo;
    if (realmText.length > MAX_IDENTIFIER_LENGTH) throw fail(`The realm is longer than ${MAX_IDENTIFIER_LENGTH} characters`);
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
    // Checked here, not when signing: these values go into the signed answer.
    for (const [field, value] of [['identity', identity], ['claimed_id', claimed]] as const) {
      if (!isIdentifier(value)) throw fail(`openid.${field} is not an identifier (control characters, or over ${MAX_IDENTIFIER_LENGTH} characters)`, returnTo);
    }
    const handle = message.getArg(OPENID_NS, 'assoc_handle');
    if (handle !== undefined && !isValidHandle(handle)) {
      throw fail('openid.assoc_handle is not an association handle (1 to 255 printable ASCII characters, §8.2.1)', returnTo);
    }
    return new CheckIDRequest(message, context, { identity, claimedId: claimed, returnTo, realm });
  }

  /** Whether this is `checkid_immediate`: the user cannot be asked anything, so the answer is an assertion or "setup needed" (§9.3). */
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
   * return_to. False when it publishes none, or discovery fails (the fetcher
   * refuses private addresses unless configured otherwise). Nothing is
   * fetched until this is called: decoding a request never makes the OP
   * fetch anything. Discovery runs once per request object, and once per
   * realm while the server's return_to cache keeps the answer.
   */
  returnToVerified(): Promise<boolean> {
    return this.returnToVerification().then((verification) => verification.verified);
  }

  /**
   * {@link returnToVerified} with the reason it is false, for a consent page
   * that explains its warning: `not_published` (the realm publishes no
   * return_to URL), `fetch_failed` (its discovery failed; `cause` holds the
   * error), `mismatch` (it publishes others, not this one). The same single
   * discovery serves both methods.
   * @see OpenID 2.0 §9.2.1, §13
   */
  returnToVerification(): Promise<ReturnToVerification> {
    this.#returnToVerified ??= this.#context.discoverReturnTos(this.realm.toString()).then(
      (allowed): ReturnToVerification => {
        if (allowed.length === 0) return { verified: false, reason: 'not_published' };
        return returnToMatches(allowed, this.returnTo) ? { verified: true } : { verified: false, reason: 'mismatch' };
      },
      (cause: unknown): ReturnToVerification => ({ verified: false, reason: 'fetch_failed', cause }),
    );
    return this.#returnToVerified;
  }

  #response(mode: string): Message {
    const response = new Message(this.namespace, { implicit: this.message.isImplicitNamespace });
    response.setArg(OPENID_NS, 'mode', mode);
    return response;
  }

  /**
   * The answer to the request: a signed positive assertion when `allow`;
   * otherwise setup needed for immediate requests and cancel for setup ones.
   * @throws AnswerError (a ProtocolError, for `Server.encodeError`) when
   *   the options name another identity or hold extension arguments that
   *   key-value form cannot carry; nothing is signed then
   */
  async answer(allow: boolean, options: AllowOptions = {}): Promise<OpenIDResponse> {
    if (!allow) return this.immediate ? this.setupNeeded() : this.cancel();
    const { identity, claimedId } = this.#identifiers(options);
    checkExtensions(options.extensions ?? [], this);
    const response = this.#response('id_res');
    if (response.isOpenID2()) {
      response.setArg(OPENID_NS, 'op_endpoint', this.#context.opEndpoint);
      response.setArg(OPENID_NS, 'claimed_id', claimedId);
    }
    response.setArg(OPENID_NS, 'identity', identity);
    response.setArg(OPENID_NS, 'return_to', this.returnTo);
    // 1.1 defines no nonce; one is signed in all the same (as python-openid's
    // provider does), so a 1.x relying party that checks it can refuse replays.
    response.setArg(OPENID_NS, 'response_nonce', makeNonce(this.#context.now()));
    for (const extension of options.extensions ?? []) {
      for (const [key, value] of Object.entries(extension.args)) response.setArg(extension.namespace, key, value);
    }
    // Everything is signed: the fields §10.1 requires, extension arguments
    // and their namespace declarations, and the mode.
    await this.#context.sign(response, this.assocHandle, [...response.openIDKeys(), 'assoc_handle']);
    return { kind: 'indirect', message: response, returnTo: this.returnTo };
  }

  /** The identifiers to assert; a mismatch is the application's mistake, not the user's (an AnswerError). */
  #identifiers(options: AllowOptions): { identity: string; claimedId: string } {
    if (this.idSelect) {
      if (!isIdentifier(options.identity)) {
        throw new AnswerError('identifier select: answer(true, { identity }) must name the identifier the user chose', 'identity', this);
      }
      if (options.claimedId !== undefined && !isIdentifier(options.claimedId)) {
        throw new AnswerError('must be an identifier without line breaks', 'claimedId', this);
      }
      return { identity: options.identity, claimedId: options.claimedId ?? options.identity };
    }
    if (options.identity !== undefined && options.identity !== this.identity) {
      throw new AnswerError(`the request is for ${this.identity}; it cannot be answered for ${options.identity}`, 'identity', this);
    }
    // OpenID 1.x carries no claimed identifier: the relying party keeps it.
    if (this.isOpenID2() && options.claimedId !== undefined && options.claimedId !== this.claimedId) {
      throw new AnswerError(`the request is for ${this.claimedId}; it cannot be answered for ${options.claimedId}`, 'claimedId', this);
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
    response.setArg(OPENID_NS, 'user_setup_url', setup.toURL(this.#context.opEndpoint));
    return { kind: 'indirect', message: response, returnTo: this.returnTo };
  }

  /** The request as a URL to this OP (to resume it after an interaction). */
  encodeToURL(): string {
    return this.message.toURL(this.#context.opEndpoint);
  }

  /** Whether the request uses OpenID 2.0. */
  isOpenID2(): boolean {
    return this.namespace === OPENID2_NS;
  }
}
