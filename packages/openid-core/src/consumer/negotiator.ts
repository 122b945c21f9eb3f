/**
 * Association negotiation: get a shared association with an OP, reusing a
 * stored one until it expires.
 * @see OpenID 2.0 §8
 */
import { Association, isValidHandle, type AssociationType } from '../association.js';
import { assocTypeMatchesSession, createConsumerSession, isSessionType, type SessionType } from '../association-session.js';
import type { ServiceEndpoint } from '../discovery/endpoint.js';
import { isAssociationType } from '../association.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { Message, OPENID_NS } from '../message.js';
import { OPENID1_NS, OPENID2_NS } from '../constants.js';
import type { OpenIDStore } from '../store/store.js';

export interface AssociationPreference {
  assocType: AssociationType;
  sessionType: SessionType;
}

/** HMAC-SHA256 over DH-SHA256 first, then HMAC-SHA1 over DH-SHA1. */
export const DEFAULT_ASSOCIATION_PREFERENCES: readonly AssociationPreference[] = [
  { assocType: 'HMAC-SHA256', sessionType: 'DH-SHA256' },
  { assocType: 'HMAC-SHA1', sessionType: 'DH-SHA1' },
];

class UnsupportedType extends Error {
  constructor(readonly suggestion: AssociationPreference | undefined) {
    super('unsupported-type');
  }
}

export interface NegotiatorOptions {
  store: OpenIDStore;
  fetcher: Fetcher;
  preferences?: readonly AssociationPreference[];
  now?: () => number;
}

export class Negotiator {
  readonly #options: NegotiatorOptions;
  readonly #preferences: readonly AssociationPreference[];

  constructor(options: NegotiatorOptions) {
    this.#options = options;
    this.#preferences = options.preferences ?? DEFAULT_ASSOCIATION_PREFERENCES;
  }

  #allowed(pair: AssociationPreference, serverUrl: string): boolean {
    // No-encryption sends the MAC key in the clear: never over plain HTTP (§8.4.1).
    if (pair.sessionType === 'no-encryption' && !serverUrl.startsWith('https:')) return false;
    return this.#preferences.some((p) => p.assocType === pair.assocType && p.sessionType === pair.sessionType);
  }

  /** A usable association with the endpoint, or undefined to go stateless. */
  async associate(endpoint: ServiceEndpoint): Promise<Association | undefined> {
    const now = Math.floor((this.#options.now ?? Date.now)() / 1000);
    const existing = await this.#options.store.getAssociation(endpoint.serverUrl);
    if (existing !== undefined && existing.expiresIn(now) > 60) return existing;
    const first = this.#preferences.find((pair) => this.#allowed(pair, endpoint.serverUrl));
    if (first === undefined) return undefined;
    try {
      return await this.#request(endpoint, first, now);
    } catch (error) {
      if (!(error instanceof UnsupportedType)) return undefined;
      // Retry once with the OP's suggestion, only if our policy allows it.
      const suggestion = error.suggestion;
      if (suggestion === undefined || !this.#allowed(suggestion, endpoint.serverUrl)) return undefined;
      if (suggestion.assocType === first.assocType && suggestion.sessionType === first.sessionType) return undefined;
      return this.#request(endpoint, suggestion, now).catch(() => undefined);
    }
  }

  async #request(endpoint: ServiceEndpoint, pair: AssociationPreference, now: number): Promise<Association> {
    const session = createConsumerSession(pair.sessionType);
    const request = new Message(endpoint.isOpenID2() ? OPENID2_NS : OPENID1_NS);
    request.setArg(OPENID_NS, 'mode', 'associate');
    request.setArg(OPENID_NS, 'assoc_type', pair.assocType);
    if (endpoint.isOpenID2() || pair.sessionType !== 'no-encryption') request.setArg(OPENID_NS, 'session_type', pair.sessionType);
    request.updateArgs(OPENID_NS, session.requestArgs());
    const response = await this.#options.fetcher.fetch(endpoint.serverUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: request.toURLEncoded(),
    });
    const reply = Message.fromKVForm(response.body, { strict: false });
    if (response.status === 400 && reply.getArg(OPENID_NS, 'error_code') === 'unsupported-type') {
      const assocType = reply.getArg(OPENID_NS, 'assoc_type');
      const sessionType = reply.getArg(OPENID_NS, 'session_type');
      const valid = isAssociationType(assocType) && isSessionType(sessionType) && assocTypeMatchesSession(assocType, sessionType);
      throw new UnsupportedType(valid ? { assocType, sessionType } : undefined);
    }
    if (response.status !== 200) throw new Error(`associate answered HTTP ${response.status}`);
    const fields = reply.getArgs(OPENID_NS);
    const handle = fields.assoc_handle ?? '';
    const expiresIn = Number(fields.expires_in);
    if (fields.assoc_type !== pair.assocType || !isValidHandle(handle) || !Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
      throw new Error('malformed associate response');
    }
    const sessionType = fields.session_type ?? (endpoint.isOpenID2() ? undefined : 'no-encryption');
    if (sessionType !== pair.sessionType) throw new Error('associate response with another session type');
    const association = Association.fromExpiresIn(expiresIn, handle, session.extractSecret(fields, pair.assocType), pair.assocType, now);
    await this.#options.store.storeAssociation(endpoint.serverUrl, association);
    return association;
  }
}
