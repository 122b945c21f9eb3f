/**
 * The relying party: begin a login, complete it, verifying every assertion
 * fully before it counts.
 * @see OpenID 2.0 §7, §8, §9, §11
 */
import { randomBytes } from 'node:crypto';
import { OPENID_IDP_2_0_TYPE } from '../constants.js';
import { discover, type DiscoverOptions } from '../discovery/discover.js';
import type { DiscoveryCache } from '../discovery/cache.js';
import { ServiceEndpoint } from '../discovery/endpoint.js';
import { DiscoveryError, FetchError, MessageError, OpenIDConfigError, StoreError, UrlError } from '../errors.js';
import { signedExtensionArgs } from '../extensions/extension.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { Message, OPENID_NS, type MessageArgs } from '../message.js';
import type { OpenIDStore } from '../store/store.js';
import { AuthRequest } from './auth-request.js';
import type { AssociationFlights } from './association-flights.js';
import { MAX_ASSOCIATE_REQUESTS, MAX_ENDPOINTS_TRIED, requestBudget, resolveBeginTimeout, withBeginDeadline } from './begin-deadline.js';
import { Negotiator, type AssociationPreference } from './negotiator.js';
import { failure, type AssertionClaims, type CompletionResult, type FailureResult, type SuccessResult } from './result.js';
import { hasTransaction, saveTransaction, takeTransaction, transactionOf, TRANSACTION_PARAM, TRANSACTION_TTL_MS, type ConsumerSessionStore, type Transaction } from './session.js';
import { checkAuthentication } from './verify/check-authentication.js';
import { checkDiscovered, openID1Transaction } from './verify/discovered.js';
import { checkFields, signedSet } from './verify/fields.js';
import { readMode } from './verify/mode.js';
import { checkNonce } from './verify/nonce.js';
import { checkReturnTo, parsedBase, splitCurrentUrl, type CurrentUrl } from './verify/return-to.js';
import { checkSignature, storedAssociation } from './verify/signature.js';

export interface ConsumerOptions {
  /** The user's session (express-session's `req.session` through `objectSession`). */
  session: ConsumerSessionStore;
  /**
   * Associations and nonces. Without one the consumer is stateless: every
   * assertion is verified with `check_authentication`, and replays are
   * caught only by the OP. Behind a load balancer, use a shared store.
   */
  store?: OpenIDStore | undefined;
  /** Never associate, even with a store (which then still records nonces). Presets for OPs with unusable associations set it. @default false */
  stateless?: boolean;
  /** Timeouts, size and redirect limits, private-address guard. @default createFetcher() */
  fetcher?: Fetcher;
  /** Discovery results by identifier. @default none */
  discoveryCache?: DiscoveryCache;
  /** An XRI proxy resolver (`https://xri.net/`); without one, XRIs are refused. */
  xriProxy?: string;
  /** @default HMAC-SHA256 over DH-SHA256, then HMAC-SHA1 over DH-SHA1 */
  associationPreferences?: readonly AssociationPreference[];
  /**
   * Shared by the consumers of a process, so that logins starting at once
   * make one associate request per endpoint (single flight), not one each.
   * The Express router and Passport strategy pass their own.
   * @default none
   */
  associationFlights?: AssociationFlights | undefined;
  /**
   * Accept assertions that no login in this session started. Off by default:
   * they allow login CSRF (an attacker signs the victim in as the attacker).
   * OpenID 1.x assertions are refused regardless (nothing verifies them).
   * @default false
   */
  allowUnsolicitedAssertions?: boolean;
  /** Extra headers for check_authentication (Steam wants Origin and Referer). */
  checkAuthenticationHeaders?: Record<string, string>;
  /**
   * Refuses assertions on what they claim, after the field and return_to
   * checks and before any request (discovery, check_authentication) is made
   * on their behalf. Presets pin their OP with it.
   */
  screenAssertion?: (claims: AssertionClaims) => FailureResult | undefined;
  /** A last look at a verified success: return it (possibly with more data), or a failure to refuse it. */
  acceptSuccess?: (result: SuccessResult) => SuccessResult | FailureResult;
  /** How far response nonces may lie from now, in seconds; the store's `skewSeconds` should be the same. @default DEFAULT_NONCE_SKEW_SECONDS (30 min) */
  skewSeconds?: number;
  /** How long a login may take between begin and complete. @default 1 h */
  transactionTtlMs?: number;
  /**
   * One deadline for starting a login: discovery and association together
   * (begin, beginWithEndpoints). Past it the start fails with a
   * DiscoveryError of reason `begin_timeout`. At most 3 OP endpoints are
   * tried within it, whatever the XRDS document lists.
   * @default 15000 (15 s)
   */
  beginTimeoutMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/** The endpoint a login starts at, with the association made with it (if any). */
interface ChosenEndpoint {
  endpoint: ServiceEndpoint;
  association: Awaited<ReturnType<Negotiator['associate']>>;
}

/** Begins logins and completes them; one instance per request (it holds the user's session). */
export class Consumer {
  readonly #options: ConsumerOptions;
  readonly #fetcher: Fetcher;
  readonly #now: () => number;
  readonly #beginTimeoutMs: number;

  constructor(options: ConsumerOptions) {
    const session = options?.session as Partial<ConsumerSessionStore> | undefined;
    if (typeof session?.get !== 'function' || typeof session.set !== 'function' || typeof session.delete !== 'function') {
      throw new OpenIDConfigError('must be a session with get, set and delete (express-session: objectSession(req.session))', 'session');
    }
    this.#options = options;
    this.#fetcher = options.fetcher ?? createFetcher();
    this.#now = options.now ?? Date.now;
    this.#beginTimeoutMs = resolveBeginTimeout(options.beginTimeoutMs);
  }

  get #discoverOptions(): DiscoverOptions {
    return { fetcher: this.#fetcher, cache: this.#options.discoveryCache, xriProxy: this.#options.xriProxy };
  }

  /** Discovery and association, under the one deadline of a start. */
  #underDeadline<T>(identifier: string, work: (fetcher: Fetcher) => Promise<T>): Promise<T> {
    return withBeginDeadline(this.#fetcher, this.#beginTimeoutMs, identifier, work);
  }

  /**
   * Normalizes and discovers what the user typed, associates, and starts a
   * transaction in the session, all within `beginTimeoutMs`.
   * @throws DiscoveryError when no endpoint is found, none can be reached (reason `endpoints_unreachable`) or the deadline passed (reason `begin_timeout`)
   * @see OpenID 2.0 §7
   */
  async begin(userInput: string): Promise<AuthRequest> {
    const chosen = await this.#underDeadline(String(userInput), async (fetcher) => {
      const found = await discover(userInput, { ...this.#discoverOptions, fetcher });
      return this.#chooseEndpoint(found.endpoints, fetcher);
    });
    return this.#start(chosen);
  }

  /** Starts at a known OP endpoint, identifier select, without discovery ("Sign in with X" buttons). */
  beginWithOPEndpoint(serverUrl: string): Promise<AuthRequest> {
    return this.beginWithEndpoints([new ServiceEndpoint({ serverUrl, typeUris: [OPENID_IDP_2_0_TYPE] })]);
  }

  /**
   * Starts with known endpoints, in order of preference: the first one an
   * association can be made with; else the first that answered; a store-less
   * consumer takes the first. At most {@link MAX_ENDPOINTS_TRIED} distinct
   * endpoint URLs are tried, with at most {@link MAX_ASSOCIATE_REQUESTS}
   * associate requests in all, within `beginTimeoutMs`.
   * @throws DiscoveryError when no endpoint can be reached (reason `endpoints_unreachable`) or the deadline passed (reason `begin_timeout`)
   */
  async beginWithEndpoints(endpoints: readonly ServiceEndpoint[]): Promise<AuthRequest> {
    if (endpoints.length === 0) throw new OpenIDConfigError('must list at least one endpoint', 'endpoints');
    for (const endpoint of endpoints) {
      if (!/^https?:\/\//i.test(endpoint.serverUrl)) throw new OpenIDConfigError(`must be http(s) URLs, not ${JSON.stringify(endpoint.serverUrl)}`, 'endpoints');
    }
    const first = endpoints[0] as ServiceEndpoint;
    return this.#start(await this.#underDeadline(first.serverUrl, (fetcher) => this.#chooseEndpoint(endpoints, fetcher)));
  }

  /** The transaction of a chosen endpoint, saved in the session, and the request to send. */
  async #start({ endpoint, association }: ChosenEndpoint): Promise<AuthRequest> {
    const id = randomBytes(24).toString('base64url');
    await saveTransaction(this.#options.session, transactionOf(id, endpoint, this.#now()), this.#ttl);
    return new AuthRequest(endpoint, association, id);
  }

  get #ttl(): number {
    return this.#options.transactionTtlMs ?? TRANSACTION_TTL_MS;
  }

  async #chooseEndpoint(endpoints: readonly ServiceEndpoint[], fetcher: Fetcher): Promise<ChosenEndpoint> {
    const first = endpoints[0] as ServiceEndpoint;
    const store = this.#options.store;
    if (store === undefined || this.#options.stateless === true) return { endpoint: first, association: undefined };
    const preferences = this.#options.associationPreferences;
    const budget = requestBudget(fetcher, MAX_ASSOCIATE_REQUESTS);
    const negotiator = new Negotiator({ store, fetcher: budget.fetcher, now: this.#now, flights: this.#options.associationFlights, ...(preferences === undefined ? {} : { preferences }) });
    let answered: ServiceEndpoint | undefined;
    let unreachable: FetchError | undefined;
    // Each URL once (another service at the same URL would get the same answer), only the first few, within a few requests.
    const tried = new Set<string>();
    for (const endpoint of endpoints) {
      if (tried.has(endpoint.serverUrl)) continue;
      if (tried.size >= MAX_ENDPOINTS_TRIED || budget.spent()) break;
      tried.add(endpoint.serverUrl);
      try {
        const association = await negotiator.associate(endpoint);
        if (association !== undefined) return { endpoint, association };
        answered ??= endpoint;
      } catch (error) {
        // An endpoint that cannot be reached: try the next one (§7.3: several endpoints, in priority order).
        if (!(error instanceof FetchError)) throw error;
        unreachable = error;
      }
    }
    if (answered !== undefined) return { endpoint: answered, association: undefined };
    throw new DiscoveryError(`No OP endpoint could be reached (${unreachable?.message ?? 'no answer'})`, first.serverUrl, { cause: unreachable, reason: 'endpoints_unreachable' });
  }

  /**
   * Whether the URL an answer arrived at names a login in progress in this
   * session (without taking it). The Express middleware uses it to spot a
   * cross-site POST that arrived without the session cookie.
   */
  async hasTransactionFor(currentUrl: string): Promise<boolean> {
    if (typeof currentUrl !== 'string' || !URL.canParse(currentUrl)) return false;
    return hasTransaction(this.#options.session, new URL(currentUrl).searchParams.get(TRANSACTION_PARAM));
  }

  /**
   * Completes a login from the OP's answer: the query (GET) or the form body
   * (POST, and then only the body), and the URL the answer arrived at. One
   * verification path for both. A failed login is a result, never an
   * exception (a store fault too comes back, as `store_error`).
   * @see OpenID 2.0 §11
   */
  async complete(args: MessageArgs, currentUrl: string): Promise<CompletionResult> {
    // The query cannot make a URL invalid: the part before it is what is checked here.
    const current = typeof currentUrl === 'string' ? splitCurrentUrl(currentUrl) : undefined;
    if (current === undefined || !isHttpUrl(current.base)) {
      return failure('invalid_message', 'The current URL is not an absolute http(s) URL (build it from the request, with trust proxy or a baseUrl)');
    }
    const transactionId = current.args.get(TRANSACTION_PARAM);
    if (args === null || typeof args !== 'object') return failure('invalid_message', 'The response arguments are not a set of key-value pairs');
    let message: Message;
    try {
      message = Message.fromPostArgs(args);
    } catch (cause) {
      if (cause instanceof MessageError) return failure('invalid_message', `The response is malformed: ${cause.message}`, cause);
      throw cause;
    }
    // One-time state leaves the session before anything is verified.
    const transaction = await takeTransaction(this.#options.session, transactionId);
    const mode = readMode(message);
    if (mode !== 'id_res') return mode;
    if (transaction === undefined && this.#options.allowUnsolicitedAssertions !== true) {
      return failure('unsolicited_assertion', 'No login was started in this session for this response (unsolicited assertions are refused to prevent login CSRF; did the session cookie reach the return URL?)');
    }
    if (transaction !== undefined && this.#now() - transaction.created > this.#ttl) {
      return failure('transaction_expired', 'The login took too long; please start again');
    }
    try {
      return await this.#verify(message, current, transaction);
    } catch (cause) {
      if (cause instanceof StoreError) return failure('store_error', `The store failed: ${cause.message}`, cause);
      throw cause;
    }
  }

  /** fields → return_to → pins → signature → discovered information → nonce, or without an association: discovered information first (§11). */
  async #verify(message: Message, current: CurrentUrl, transaction: Transaction | undefined): Promise<CompletionResult> {
    const signed = signedSet(message);
    const early = checkFields(message, signed) ?? checkReturnTo(message, current);
    if (early !== undefined) return early;
    const claims = claimsOf(message, transaction);
    if ('status' in claims) return claims;
    const screened = this.#options.screenAssertion?.(claims);
    if (screened !== undefined) return screened;
    const association = await storedAssociation(message, claims.opEndpoint, this.#options.store, this.#now());
    let discovered;
    if (association !== undefined) {
      // The signature is checked first: nothing the assertion says triggers a request before it is known to be genuine.
      const signature = checkSignature(message, association);
      if (signature !== undefined) return signature;
      discovered = await checkDiscovered(message, transaction, this.#discoverOptions);
      if (!('ok' in discovered)) return discovered;
    } else {
      // Discovery first, so check_authentication only ever goes to a verified endpoint.
      discovered = await checkDiscovered(message, transaction, this.#discoverOptions);
      if (!('ok' in discovered)) return discovered;
      const checked = await checkAuthentication(message, discovered.endpoint.serverUrl, this.#fetcher, this.#options.checkAuthenticationHeaders);
      if (!('ok' in checked)) return checked;
      if (checked.invalidateHandle !== undefined) await this.#options.store?.removeAssociation(discovered.endpoint.serverUrl, checked.invalidateHandle);
    }
    const skew = this.#options.skewSeconds;
    const nonce = await checkNonce(message, signed, claims.opEndpoint, this.#options.store, { now: this.#now, ...(skew === undefined ? {} : { skewSeconds: skew }) });
    if (nonce !== undefined) return nonce;
    return this.#success(message, discovered.endpoint, signed);
  }

  #success(message: Message, endpoint: ServiceEndpoint, signed: ReadonlySet<string>): SuccessResult | FailureResult {
    const result: SuccessResult = {
      status: 'success',
      claimedId: endpoint.claimedId as string,
      displayIdentifier: endpoint.displayIdentifier ?? (endpoint.claimedId as string),
      identity: message.getArg(OPENID_NS, 'identity') as string,
      endpoint,
      signedFields: Object.freeze([...signed]),
      getSignedArgs: (namespace) => signedExtensionArgs(message, signed, namespace),
    };
    return this.#options.acceptSuccess?.(result) ?? result;
  }
}

/** Whether the current URL's base is an absolute http(s) URL (parsed once per distinct value, as checkReturnTo reads it). */
function isHttpUrl(base: string): boolean {
  try {
    parsedBase(base);
    return true;
  } catch (cause) {
    if (cause instanceof UrlError) return false;
    throw cause;
  }
}

/** What the assertion claims; a failure for an OpenID 1.x assertion without its transaction. */
function claimsOf(message: Message, transaction: Transaction | undefined): AssertionClaims | FailureResult {
  const identity = message.getArg(OPENID_NS, 'identity') as string;
  if (message.isOpenID2()) {
    return { version: '2.0', opEndpoint: message.getArg(OPENID_NS, 'op_endpoint') as string, claimedId: message.getArg(OPENID_NS, 'claimed_id'), identity };
  }
  // OpenID 1.x names no endpoint: the request's own transaction does.
  const own = openID1Transaction(transaction);
  if ('status' in own) return own;
  return { version: '1.x', opEndpoint: own.serverUrl, claimedId: own.claimedId, identity };
}
