/**
 * An authentication request on its way to the OP.
 * @see OpenID 2.0 §9
 */
import type { Association } from '../association.js';
import { IDENTIFIER_SELECT, OPENID1_NS, OPENID2_NS } from '../constants.js';
import type { ServiceEndpoint } from '../discovery/endpoint.js';
import { OpenIDConfigError, RealmError } from '../errors.js';
import { addExtensionToMessage, type Extension } from '../extensions/extension.js';
import { Message, OPENID_NS, type FormMarkupOptions, type IndirectEncoding } from '../message.js';
import { Realm } from '../realm.js';
import { TRANSACTION_PARAM } from './session.js';

export interface RequestOptions {
  /** checkid_immediate: the OP answers without showing anything (§9.3). @default false */
  immediate?: boolean;
}

/** What `begin()` returns: render it as a redirect or an auto-submitting form. */
export class AuthRequest {
  /** The OP endpoint the request goes to (its claimed identifier is undefined for identifier select). */
  readonly endpoint: ServiceEndpoint;
  /** The association the OP will sign with, or undefined (stateless). */
  readonly association: Association | undefined;
  /** The transaction id carried in return_to. */
  readonly transactionId: string;
  /**
   * Whether this login made `association` (an associate request answered
   * and stored), rather than reused one from the store or from a concurrent
   * login's request. False without an association.
   */
  readonly associationMade: boolean;
  readonly #extensions: Array<{ namespace: string; args: Record<string, string>; preferredAlias: string | undefined }> = [];

  constructor(endpoint: ServiceEndpoint, association: Association | undefined, transactionId: string, associationMade = false) {
    this.endpoint = endpoint;
    this.association = association;
    this.transactionId = transactionId;
    this.associationMade = association !== undefined && associationMade;
  }

  /**
   * Adds extension arguments (without `openid.<alias>.`) under a namespace
   * URI; the message picks the alias (the well-known one when free, `sreg`
   * without declaration in OpenID 1.x).
   * @see OpenID 2.0 §12
   */
  addExtensionArgs(namespace: string, args: Readonly<Record<string, string>>, preferredAlias?: string): this {
    if (typeof namespace !== 'string' || namespace === '') throw new OpenIDConfigError('must be a namespace URI', 'namespace');
    this.#extensions.push({ namespace, args: { ...args }, preferredAlias });
    return this;
  }

  /** Adds an extension request (`new SRegRequest(...)`, an AX fetch request, `profileRequest(...).extensions`, or `{ namespace, args }`). */
  addExtension(extension: Extension): this {
    return this.addExtensionArgs(extension.namespace, extension.args, extension.preferredAlias);
  }

  /** return_to with the transaction id, which ties the answer to this browser's session. */
  returnToWithTransaction(returnTo: string): string {
    let url: URL;
    try {
      url = new URL(returnTo);
    } catch {
      throw new OpenIDConfigError(`must be an absolute URL, not ${JSON.stringify(returnTo)}`, 'returnTo');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OpenIDConfigError('must be an http(s) URL', 'returnTo');
    url.hash = '';
    url.searchParams.set(TRANSACTION_PARAM, this.transactionId);
    return url.href;
  }

  /**
   * The request message (§9.1), in the OP's protocol version.
   * @throws OpenIDConfigError when the realm is invalid or does not cover returnTo (the OP would refuse it)
   */
  getMessage(realm: string, returnTo: string, options: RequestOptions = {}): Message {
    const target = this.returnToWithTransaction(returnTo);
    checkRealm(realm, target);
    const v2 = this.endpoint.isOpenID2();
    const message = new Message(v2 ? OPENID2_NS : OPENID1_NS);
    message.setArg(OPENID_NS, 'mode', options.immediate === true ? 'checkid_immediate' : 'checkid_setup');
    if (this.endpoint.isOPIdentifier) {
      message.setArg(OPENID_NS, 'claimed_id', IDENTIFIER_SELECT);
      message.setArg(OPENID_NS, 'identity', IDENTIFIER_SELECT);
    } else {
      if (v2) message.setArg(OPENID_NS, 'claimed_id', this.endpoint.claimedId as string);
      message.setArg(OPENID_NS, 'identity', this.endpoint.getLocalId() as string);
    }
    message.setArg(OPENID_NS, 'return_to', target);
    message.setArg(OPENID_NS, v2 ? 'realm' : 'trust_root', realm);
    if (this.association !== undefined) message.setArg(OPENID_NS, 'assoc_handle', this.association.handle);
    for (const { namespace, args, preferredAlias } of this.#extensions) {
      if (preferredAlias === undefined) message.updateArgs(namespace, args);
      else addExtensionToMessage(message, namespace, preferredAlias, args);
    }
    return message;
  }

  /** The URL to redirect the user to (§5.2.1). */
  redirectUrl(realm: string, returnTo: string, options: RequestOptions = {}): string {
    return this.getMessage(realm, returnTo, options).toURL(this.endpoint.opEndpoint);
  }

  /** A redirect, or for OpenID 2.0 requests too long for a URL, an auto-submitting form (§5.2). */
  indirect(realm: string, returnTo: string, options: RequestOptions & FormMarkupOptions = {}): IndirectEncoding {
    return this.getMessage(realm, returnTo, options).toIndirect(this.endpoint.opEndpoint, options);
  }

  /** A `<form>` posting the request to the OP (§5.2.2). */
  formMarkup(realm: string, returnTo: string, options: RequestOptions & FormMarkupOptions = {}): string {
    return this.getMessage(realm, returnTo, options).toFormMarkup(this.endpoint.opEndpoint, options);
  }

  /** A whole page that posts the request to the OP (with a button when scripts are off). */
  htmlMarkup(realm: string, returnTo: string, options: RequestOptions & FormMarkupOptions = {}): string {
    return this.getMessage(realm, returnTo, options).toHTMLAutoSubmit(this.endpoint.opEndpoint, options);
  }
}

function checkRealm(realm: string, returnTo: string): void {
  let parsed: Realm;
  try {
    parsed = Realm.parse(realm);
  } catch (cause) {
    if (cause instanceof RealmError) throw new OpenIDConfigError(cause.message, 'realm');
    throw cause;
  }
  if (!parsed.matches(returnTo)) throw new OpenIDConfigError(`${realm} does not cover the return URL ${returnTo}`, 'realm');
}
