/**
 * The relying party: begin a login, complete it, verifying every assertion
 * fully before it counts.
 * @see OpenID 2.0 §7, §8, §9, §11
 */
import { randomBytes } from 'node:crypto';
import { OPENID_IDP_2_0_TYPE } from '../constants.js';
import { discover } from '../discovery/discover.js';
import type { DiscoveryCache } from '../discovery/cache.js';
import { ServiceEndpoint } from '../discovery/endpoint.js';
import { MessageError, OpenIDConfigError, StoreError } from '../errors.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { Message, OPENID_NS, type MessageArgs } from '../message.js';
import { sanitizeErrorText } from '../server/response.js';
import type { OpenIDStore } from '../store/store.js';
import { AuthRequest } from './auth-request.js';
import { Negotiator, type AssociationPreference } from './negotiator.js';
import { failure, type CompletionResult, type FailureResult, type SuccessResult } from './result.js';
import { saveTransaction, takeTransaction, transactionOf, TRANSACTION_PARAM, TRANSACTION_TTL_MS, type ConsumerSessionStore, type Transaction } from './session.js';
import { checkAuthentication } from './verify/check-authentication.js';
import { checkDiscovered } from './verify/discovered.js';
import { checkFields, signedSet } from './verify/fields.js';
import { checkNonce } from './verify/nonce.js';
import { checkReturnTo } from './verify/return-to.js';

export interface ConsumerOptions {
  /** The user's session (express-session's `req.session` through `objectSession`). */
  session: ConsumerSessionStore;
  /** Associations and nonces; without one the consumer is stateless (check_authentication). */
  store?: OpenIDStore | undefined;
  /** @default createFetcher() */
  fetcher?: Fetcher;
  discoveryCache?: DiscoveryCache;
  xriProxy?: string;
  /** @default HMAC-SHA256 over DH-SHA256, then HMAC-SHA1 over DH-SHA1 */
  associationPreferences?: readonly AssociationPreference[];
  /**
   * Accept assertions that no login in this session started. Off by default:
   * they allow login CSRF (an attacker signs the victim in as the attacker).
   * @default false
   */
  allowUnsolicitedAssertions?: boolean;
  /** Extra headers for check_authentication (Steam wants Origin and Referer). */
  checkAuthenticationHeaders?: Record<string, string>;
  /** A last check of a verified success (presets use it); return a failure message to refuse. */
  acceptSuccess?: (result: SuccessResult) => SuccessResult | string;
  /** Nonce window in seconds. @default 5 h */
  skewSeconds?: number;
  now?: () => number;
}

export class Consumer {
  readonly #options: ConsumerOptions;
  readonly #fetcher: Fetcher;
  readonly #now: () => number;

  constructor(options: ConsumerOptions) {
    if (options?.session === undefined || typeof options.session.get !== 'function') {
      throw new OpenIDConfigError('a session with get, set and delete is required (express-session: objectSession(req.session))', 'session');
    }
    this.#options = options;
    this.#fetcher = options.fetcher ?? createFetcher();
    this.#now = options.now ?? Date.now;
  }

  /** Normalizes and discovers the identifier, associates, and starts a transaction. @throws DiscoveryError */
  async begin(userInput: string): Promise<AuthRequest> {
    const found = await discover(userInput, { fetcher: this.#fetcher, cache: this.#options.discoveryCache, xriProxy: this.#options.xriProxy });
    return this.beginWithEndpoints(found.endpoints);
  }

  /** Starts at an OP Identifier ("Sign in with X" buttons) without discovery. */
  beginWithOPEndpoint(serverUrl: string): Promise<AuthRequest> {
    return this.beginWithEndpoints([new ServiceEndpoint({ serverUrl, typeUris: [OPENID_IDP_2_0_TYPE] })]);
  }

  /** Starts with known endpoints: the first one an association can be made with, else the first, stateless. */
  async beginWithEndpoints(endpoints: readonly ServiceEndpoint[]): Promise<AuthRequest> {
    const first = endpoints[0];
    if (first === undefined) throw new OpenIDConfigError('at least one endpoint is needed', 'endpoints');
    let chosen = first;
    let association;
    if (this.#options.store !== undefined) {
      const negotiator = new Negotiator({ store: this.#options.store, fetcher: this.#fetcher, now: this.#now, ...(this.#options.associationPreferences === undefined ? {} : { preferences: this.#options.associationPreferences }) });
      for (const endpoint of endpoints) {
        association = await negotiator.associate(endpoint);
        if (association !== undefined) {
          chosen = endpoint;
          break;
        }
      }
    }
    const id = randomBytes(24).toString('base64url');
    await saveTransaction(this.#options.session, transactionOf(id, chosen, this.#now()));
    return new AuthRequest(chosen, association, id);
  }

  /**
   * Completes a login from the OP's answer: the query (GET) or the form body
   * (POST), and the URL the answer arrived at. One verification path for both.
   */
  async complete(args: MessageArgs, currentUrl: string): Promise<CompletionResult> {
    let message: Message;
    let transactionId: string | null;
    try {
      message = Message.fromPostArgs(args);
      transactionId = new URL(currentUrl).searchParams.get(TRANSACTION_PARAM);
    } catch (cause) {
      if (cause instanceof MessageError || cause instanceof TypeError) return failure('invalid_message', `The response is malformed: ${(cause as Error).message}`, cause);
      throw cause;
    }
    // One-time state leaves the session before anything is verified.
    const transaction = await takeTransaction(this.#options.session, transactionId);
    const mode = message.getArg(OPENID_NS, 'mode');
    if (mode === 'cancel') return { status: 'cancel' };
    if (mode === 'error') return failure('provider_error', `The OP answered with an error: ${sanitizeErrorText(message.getArg(OPENID_NS, 'error') ?? '(no text)')}`);
    if (mode === 'setup_needed' && message.isOpenID2()) return { status: 'setup_needed', setupUrl: undefined };
    if (mode === 'id_res' && message.isOpenID1() && message.hasKey(OPENID_NS, 'user_setup_url')) {
      return { status: 'setup_needed', setupUrl: message.getArg(OPENID_NS, 'user_setup_url') };
    }
    if (mode !== 'id_res') return failure('invalid_message', `Unexpected openid.mode ${JSON.stringify(mode ?? '(none)')}`);
    if (transaction === undefined && this.#options.allowUnsolicitedAssertions !== true) {
      return failure('unsolicited_assertion', 'No login was started in this session for this response (unsolicited assertions are refused to prevent login CSRF)');
    }
    if (transaction !== undefined && this.#now() - transaction.created > TRANSACTION_TTL_MS) {
      return failure('transaction_expired', 'The login took too long; please start again');
    }
    try {
      return await this.#verify(message, currentUrl, transaction);
    } catch (cause) {
      if (cause instanceof StoreError) return failure('store_error', `The store failed: ${cause.message}`, cause);
      throw cause;
    }
  }

  async #verify(message: Message, currentUrl: string, transaction: Transaction | undefined): Promise<CompletionResult> {
    const early = checkFields(message) ?? checkReturnTo(message, currentUrl);
    if (early !== undefined) return early;
    const store = this.#options.store;
    const serverUrl = message.isOpenID2() ? (message.getArg(OPENID_NS, 'op_endpoint') as string) : transaction?.serverUrl;
    if (serverUrl === undefined) return failure('unsolicited_assertion', 'An OpenID 1.x assertion can only be verified against the request that started it');
    const handle = message.getArg(OPENID_NS, 'assoc_handle') as string;
    const association = store === undefined ? undefined : await store.getAssociation(serverUrl, handle);
    const discoverOptions = { fetcher: this.#fetcher, cache: this.#options.discoveryCache, xriProxy: this.#options.xriProxy };
    let discovered;
    if (association !== undefined) {
      // With a stored association the signature is checked first: nothing the
      // assertion says triggers a request before it is known to be genuine.
      if (!association.verifyMessage(message)) return failure('signature_mismatch', 'The signature does not match (the response was altered, or signed with another key)');
      discovered = await checkDiscovered(message, transaction, discoverOptions);
      if (!('ok' in discovered)) return discovered;
    } else {
      // Without one, discovery comes first, so check_authentication only goes to a verified endpoint.
      discovered = await checkDiscovered(message, transaction, discoverOptions);
      if (!('ok' in discovered)) return discovered;
      const checked = await checkAuthentication(message, discovered.endpoint.serverUrl, this.#fetcher, this.#options.checkAuthenticationHeaders);
      if (!('ok' in checked)) return checked;
      if (checked.invalidateHandle !== undefined && store !== undefined) await store.removeAssociation(serverUrl, checked.invalidateHandle);
    }
    const nonce = await checkNonce(message, serverUrl, store, { now: this.#now, ...(this.#options.skewSeconds === undefined ? {} : { skewSeconds: this.#options.skewSeconds }) });
    if (nonce !== undefined) return nonce;
    return this.#success(message, discovered.endpoint);
  }

  #success(message: Message, endpoint: ServiceEndpoint): SuccessResult | FailureResult {
    const signed = signedSet(message);
    const result: SuccessResult = {
      status: 'success',
      claimedId: endpoint.claimedId as string,
      displayIdentifier: endpoint.displayIdentifier ?? (endpoint.claimedId as string),
      identity: message.getArg(OPENID_NS, 'identity') as string,
      endpoint,
      signedFields: [...signed],
      message,
      getSignedArgs: (namespace) => signedArgs(message, signed, namespace),
    };
    const accepted = this.#options.acceptSuccess?.(result) ?? result;
    return typeof accepted === 'string' ? failure('rejected_by_policy', accepted) : accepted;
  }
}

/** The arguments of one extension that the signature covers (with its namespace declaration, in 2.0). */
function signedArgs(message: Message, signed: Set<string>, namespace: string): Record<string, string> {
  const alias = message.aliases.aliasOf(namespace);
  if (alias === undefined) return {};
  if (message.isOpenID2() && !message.aliases.isImplicit(namespace) && !signed.has(`ns.${alias}`)) return {};
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(message.getArgs(namespace))) {
    if (signed.has(key === '' ? alias : `${alias}.${key}`)) out[key] = value;
  }
  return out;
}

export type { FailureResult };
