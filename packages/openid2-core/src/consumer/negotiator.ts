/**
 * Association negotiation: get a shared association with an OP, reusing a
 * stored one until it expires.
 * @see OpenID 2.0 §8
 */
import { Association, isAssociationType, isValidHandle, type AssociationType } from '../association.js';
import { assocTypeMatchesSession, createConsumerSession, isSessionType, type SessionType } from '../association-session.js';
import { OPENID1_NS, OPENID2_NS } from '../constants.js';
import type { ServiceEndpoint } from '../discovery/endpoint.js';
import { FetchError, OpenIDConfigError, StoreError } from '../errors.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { Message, OPENID_NS } from '../message.js';
import type { OpenIDStore } from '../store/store.js';
import type { AssociationFlights } from './association-flights.js';

/** An association type with the session type that carries its key. */
export interface AssociationPreference {
  assocType: AssociationType;
  sessionType: SessionType;
}

/** HMAC-SHA256 over DH-SHA256 first, then HMAC-SHA1 over DH-SHA1. */
export const DEFAULT_ASSOCIATION_PREFERENCES: readonly AssociationPreference[] = Object.freeze([
  { assocType: 'HMAC-SHA256', sessionType: 'DH-SHA256' },
  { assocType: 'HMAC-SHA1', sessionType: 'DH-SHA1' },
] as const);

/**
 * The `associationPreferences` option, checked: a non-empty list of known
 * pairs, each association type one its session type can carry. Returned as
 * a frozen copy.
 * @throws OpenIDConfigError naming `associationPreferences`
 */
export function checkAssociationPreferences(value: unknown): readonly AssociationPreference[] {
  if (!Array.isArray(value) || value.length === 0) throw new OpenIDConfigError('must be a non-empty list of { assocType, sessionType }', 'associationPreferences');
  return Object.freeze(
    value.map((pair: unknown, index) => {
      const { assocType, sessionType } = (pair ?? {}) as Record<string, unknown>;
      if (!isAssociationType(assocType) || !isSessionType(sessionType) || !assocTypeMatchesSession(assocType, sessionType)) {
        throw new OpenIDConfigError(`${JSON.stringify(pair)} is not a known pair (such as { assocType: 'HMAC-SHA256', sessionType: 'DH-SHA256' })`, `associationPreferences[${index}]`);
      }
      return Object.freeze({ assocType, sessionType });
    }),
  );
}

/** An association is reused only while it has at least this long to live. */
const MIN_REMAINING_SECONDS = 60;

class UnsupportedType extends Error {
  constructor(readonly suggestion: AssociationPreference | undefined) {
    super('unsupported-type');
  }
}

/** Options of {@link Negotiator}; {@link Consumer} fills them from its own options. */
export interface NegotiatorOptions {
  /** Where associations are found and kept, by OP endpoint. */
  store: OpenIDStore;
  /** Sends the `associate` requests (direct requests to the OP endpoint, OpenID 2.0 §8.1). */
  fetcher: Fetcher;
  /** In order of preference. @default DEFAULT_ASSOCIATION_PREFERENCES */
  preferences?: readonly AssociationPreference[];
  /** Clock in milliseconds: association expiry is measured against it. @default Date.now */
  now?: () => number;
  /** Shared with concurrent logins: one associate request per endpoint at a time. @default none (each negotiates its own) */
  flights?: AssociationFlights | undefined;
}

/** Finds or makes the association a relying party signs its checks with. */
export class Negotiator {
  readonly #options: NegotiatorOptions;
  readonly #preferences: readonly AssociationPreference[];
  /** The associations this negotiator made and stored (not found in the store, nor made by a concurrent login). */
  readonly #made = new WeakSet<Association>();

  constructor(options: NegotiatorOptions) {
    this.#options = options;
    this.#preferences = options.preferences ?? DEFAULT_ASSOCIATION_PREFERENCES;
  }

  /** Whether this negotiator made and stored the association (rather than found it, or waited for another login's request). */
  made(association: Association): boolean {
    return this.#made.has(association);
  }

  /** Whether our policy allows a pair with this endpoint. */
  allows(pair: AssociationPreference, endpoint: ServiceEndpoint): boolean {
    // No-encryption sends the MAC key in the clear: never over plain HTTP (§8.4.1).
    if (pair.sessionType === 'no-encryption' && !endpoint.opEndpoint.startsWith('https:')) return false;
    // OpenID 1.x knows HMAC-SHA1 only (OpenID 1.1 §4.1.1).
    if (!endpoint.isOpenID2() && (pair.assocType !== 'HMAC-SHA1' || pair.sessionType === 'DH-SHA256')) return false;
    return this.#preferences.some((p) => p.assocType === pair.assocType && p.sessionType === pair.sessionType);
  }

  /**
   * A usable association with the endpoint, or undefined when the OP
   * declines or answers badly (the login then goes stateless).
   * @throws FetchError when the endpoint cannot be reached; StoreError when the store fails
   */
  async associate(endpoint: ServiceEndpoint): Promise<Association | undefined> {
    const now = Math.floor((this.#options.now ?? Date.now)() / 1000);
    const existing = await this.#options.store.getAssociation(endpoint.opEndpoint);
    const usable = existing !== undefined && existing.expiresIn(now) > MIN_REMAINING_SECONDS && (endpoint.isOpenID2() || existing.assocType === 'HMAC-SHA1');
    if (usable) return existing;
    const flights = this.#options.flights;
    if (flights === undefined) return this.#negotiate(endpoint, now);
    return flights.run(`${endpoint.isOpenID2() ? 2 : 1} ${endpoint.opEndpoint}`, () => this.#negotiate(endpoint, now));
  }

  /** Asks the OP for an association: our first allowed pair, then once its suggestion. */
  async #negotiate(endpoint: ServiceEndpoint, now: number): Promise<Association | undefined> {
    const first = this.#preferences.find((pair) => this.allows(pair, endpoint));
    if (first === undefined) return undefined;
    try {
      return await this.#request(endpoint, first, now);
    } catch (error) {
      if (!(error instanceof UnsupportedType)) return passFaults(error);
      // Retry once with the OP's suggestion, only if our policy allows it.
      const suggestion = error.suggestion;
      if (suggestion === undefined || !this.allows(suggestion, endpoint)) return undefined;
      if (suggestion.assocType === first.assocType && suggestion.sessionType === first.sessionType) return undefined;
      return this.#request(endpoint, suggestion, now).catch(passFaults);
    }
  }

  async #request(endpoint: ServiceEndpoint, pair: AssociationPreference, now: number): Promise<Association> {
    const session = createConsumerSession(pair.sessionType);
    const request = new Message(endpoint.isOpenID2() ? OPENID2_NS : OPENID1_NS);
    request.setArg(OPENID_NS, 'mode', 'associate');
    request.setArg(OPENID_NS, 'assoc_type', pair.assocType);
    // OpenID 1.x leaves session_type out for no-encryption (OpenID 1.1 §4.1.1).
    if (endpoint.isOpenID2() || pair.sessionType !== 'no-encryption') request.setArg(OPENID_NS, 'session_type', pair.sessionType);
    request.updateArgs(OPENID_NS, session.requestArgs());
    const response = await this.#options.fetcher.fetch(endpoint.opEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: request.toURLEncoded(),
    });
    const reply = Message.fromKVForm(response.body, { strict: false });
    if (response.status === 400 && reply.getArg(OPENID_NS, 'error_code') === 'unsupported-type') throw new UnsupportedType(suggestionOf(reply));
    if (response.status !== 200) throw new Error(`associate answered HTTP ${response.status}`);
    const association = readAssociation(reply, pair, endpoint, (fields) => session.extractSecret(fields, pair.assocType), now);
    await this.#options.store.storeAssociation(endpoint.opEndpoint, association);
    this.#made.add(association);
    return association;
  }
}

/** Unreachable endpoints and store faults propagate; anything else means "no association". */
function passFaults(error: unknown): undefined {
  if (error instanceof FetchError || error instanceof StoreError) throw error;
  return undefined;
}

/** The OP's suggested pair in an unsupported-type error (§8.2.4), if it is a consistent one. */
function suggestionOf(reply: Message): AssociationPreference | undefined {
  const assocType = reply.getArg(OPENID_NS, 'assoc_type');
  const sessionType = reply.getArg(OPENID_NS, 'session_type');
  return isAssociationType(assocType) && isSessionType(sessionType) && assocTypeMatchesSession(assocType, sessionType) ? { assocType, sessionType } : undefined;
}

/** The association of a successful associate response (§8.2), checked against what was asked. */
function readAssociation(
  reply: Message,
  pair: AssociationPreference,
  endpoint: ServiceEndpoint,
  extractSecret: (fields: Record<string, string>) => Buffer,
  now: number,
): Association {
  const fields = reply.getArgs(OPENID_NS);
  const handle = fields.assoc_handle ?? '';
  const expiresIn = Number(fields.expires_in);
  if (fields.assoc_type !== pair.assocType || !isValidHandle(handle) || !Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
    throw new Error('malformed associate response');
  }
  // OpenID 1.x OPs may leave session_type out for no-encryption, never otherwise.
  const sessionType = fields.session_type ?? (endpoint.isOpenID2() ? undefined : 'no-encryption');
  if (sessionType !== pair.sessionType) throw new Error('associate response with another session type');
  return Association.fromExpiresIn(expiresIn, handle, extractSecret(fields), pair.assocType, now);
}
