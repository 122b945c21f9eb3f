/**
 * An authentication request on its way to the OP.
 * @see OpenID 2.0 §9
 */
import type { Association } from '../association.js';
import { IDENTIFIER_SELECT, OPENID1_NS, OPENID2_NS } from '../constants.js';
import type { ServiceEndpoint } from '../discovery/endpoint.js';
import { Message, OPENID_NS, type FormMarkupOptions, type IndirectEncoding } from '../message.js';
import { TRANSACTION_PARAM } from './session.js';

export class AuthRequest {
  readonly endpoint: ServiceEndpoint;
  readonly association: Association | undefined;
  /** The transaction id carried in return_to. */
  readonly transactionId: string;
  readonly #extensions: Array<{ namespace: string; args: Record<string, string> }> = [];

  constructor(endpoint: ServiceEndpoint, association: Association | undefined, transactionId: string) {
    this.endpoint = endpoint;
    this.association = association;
    this.transactionId = transactionId;
  }

  /** Adds extension arguments (SREG, AX, PAPE, ...) to the request. */
  addExtensionArgs(namespace: string, args: Readonly<Record<string, string>>): this {
    this.#extensions.push({ namespace, args: { ...args } });
    return this;
  }

  /** return_to with the transaction id, which ties the answer to this browser's session. */
  returnToWithTransaction(returnTo: string): string {
    const url = new URL(returnTo);
    url.searchParams.set(TRANSACTION_PARAM, this.transactionId);
    return url.href;
  }

  /** The request message (§9.1), in the OP's protocol version. */
  getMessage(realm: string, returnTo: string, immediate = false): Message {
    const v2 = this.endpoint.isOpenID2();
    const message = new Message(v2 ? OPENID2_NS : OPENID1_NS);
    message.setArg(OPENID_NS, 'mode', immediate ? 'checkid_immediate' : 'checkid_setup');
    if (this.endpoint.isOPIdentifier) {
      message.setArg(OPENID_NS, 'claimed_id', IDENTIFIER_SELECT);
      message.setArg(OPENID_NS, 'identity', IDENTIFIER_SELECT);
    } else {
      if (v2) message.setArg(OPENID_NS, 'claimed_id', this.endpoint.claimedId as string);
      message.setArg(OPENID_NS, 'identity', this.endpoint.getLocalId() as string);
    }
    message.setArg(OPENID_NS, 'return_to', this.returnToWithTransaction(returnTo));
    message.setArg(OPENID_NS, v2 ? 'realm' : 'trust_root', realm);
    if (this.association !== undefined) message.setArg(OPENID_NS, 'assoc_handle', this.association.handle);
    for (const { namespace, args } of this.#extensions) message.updateArgs(namespace, args);
    return message;
  }

  /** The URL to redirect the user to. */
  redirectUrl(realm: string, returnTo: string, options: { immediate?: boolean } = {}): string {
    return this.getMessage(realm, returnTo, options.immediate).toURL(this.endpoint.serverUrl);
  }

  /** A redirect, or for OpenID 2.0 requests too long for a URL, an auto-submitting form (§5.2). */
  indirect(realm: string, returnTo: string, options: { immediate?: boolean } & FormMarkupOptions = {}): IndirectEncoding {
    return this.getMessage(realm, returnTo, options.immediate).toIndirect(this.endpoint.serverUrl, options);
  }

  /** A `<form>` posting the request to the OP. */
  formMarkup(realm: string, returnTo: string, options: { immediate?: boolean } & FormMarkupOptions = {}): string {
    return this.getMessage(realm, returnTo, options.immediate).toFormMarkup(this.endpoint.serverUrl, options);
  }

  /** A whole page that posts the request to the OP. */
  htmlMarkup(realm: string, returnTo: string, options: { immediate?: boolean } & FormMarkupOptions = {}): string {
    return this.getMessage(realm, returnTo, options.immediate).toHTMLAutoSubmit(this.endpoint.serverUrl, options);
  }
}
