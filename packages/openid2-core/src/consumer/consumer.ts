/**
 * The relying party: begin a login, complete it, verifying every assertion
 * fully before it counts.
 * @see OpenID 2.0 §7, §8, §9, §11
 */
import { randomBytes } from 'node:crypto';
import { OPENID_IDP_2_0_TYPE } from '../constants.js';
import { discover, type DiscoverOptions } from '../discovery/discover.js';
import { ServiceEndpoint } from '../discovery/endpoint.js';
import { DiscoveryError, FetchError, MessageError, OpenIDConfigError, StoreError, UrlError } from '../errors.js';
import { signedExtensionArgs } from '../extensions/extension.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { Message, OPENID_NS, type MessageArgs } from '../message.js';
import { AuthRequest } from './auth-request.js';
import { MAX_ASSOCIATE_REQUESTS, MAX_ENDPOINTS_TRIED, requestBudget, withBeginDeadline } from './begin-deadline.js';
import { checkPerLogin, checkSession, resolveConsumerConfig, type ConsumerConfig, type ConsumerOptions, type PerLoginOptions } from './consumer-config.js';
import { Negotiator } from './negotiator.js';
import { extendSuccess, screenClaims } from './preset.js';
import { failure, type AssertionClaims, type CompletionResult, type FailureResult, type SuccessResult } from './result.js';
import { hasTransaction, saveTransaction, takeTransaction, transactionOf, TRANSACTION_PARAM, type ConsumerSessionStore, type Transaction } from './session.js';
import { checkAuthentication } from './verify/check-authentication.js';
import { checkDiscovered, openID1Transaction } from './verify/discovered.js';
import { checkFields, signedSet } from './verify/fields.js';
import { readMode } from './verify/mode.js';
import { checkNonce } from './verify/nonce.js';
import { checkReturnTo, parsedBase, splitCurrentUrl, type CurrentUrl } from './verify/return-to.js';
import { checkSignature, storedAssociation } from './verify/signature.js';

/** The endpoint a login starts at, with the association made with it (if any). */
interface ChosenEndpoint {
  endpoint: ServiceEndpoint;
  association: Awaited<ReturnType<Negotiator['associate']>>;
  /** Whether this login made the association (rather than reused one). */
  associationMade: boolean;
}

/**
 * Begins logins and completes them. Create one per application: its
 * options are checked once, here, and the user's session is passed with
 * each call, so one instance serves every request.
 * @example
 * const consumer = new Consumer({ store });
 * const auth = await consumer.begin(objectSession(req.session), identifier);
 * const result = await consumer.complete(objectSession(req.session), args, currentUrl);
 */
export class Consumer {
  readonly #config: ConsumerConfig;

  /** @throws OpenIDConfigError naming the option, for any option of the wrong type or out of range, or an unknown one */
  constructor(options: ConsumerOptions = {}) {
    this.#config = resolveConsumerConfig(options);
  }

  get #discoverOptions(): DiscoverOptions {
    return { fetcher: this.#config.fetcher, cache: this.#config.discoveryCache, xriProxy: this.#config.xriProxy };
  }

  /** Discovery and association, under the one deadline of a start. */
  #underDeadline<T>(identifier: string, work: (fetcher: Fetcher) => Promise<T>): Promise<T> {
    return withBeginDeadline(this.#config.fetcher, this.#config.beginTimeoutMs, identifier, work);
  }

  /**
   * Normalizes and discovers what the user typed, associates, and starts a
   * transaction in the session, all within `beginTimeoutMs`.
   * @param session the user's session (`objectSession(req.session)`)
   * @param perLogin this login's own choices (`{ stateless }`), over the consumer's settings
   * @throws DiscoveryError when no endpoint is found, none can be reached (reason `endpoints_unreachable`) or the deadline passed (reason `begin_timeout`)
   * @throws OpenIDConfigError for a missing session or bad `perLogin`
   * @see OpenID 2.0 §7
   */
  async begin(session: ConsumerSessionStore, userInput: string, perLogin?: PerLoginOptions): Promise<AuthRequest> {
    const checked = checkSession(session);
    const stateless = this.#statelessFor(perLogin);
    const chosen = await this.#underDeadline(String(userInput), async (fetcher) => {
      const found = await discover(userInput, { ...this.#discoverOptions, fetcher });
      return this.#chooseEndpoint(found.endpoints, fetcher, stateless);
    });
    return this.#start(checked, chosen);
  }

  /** Starts at a known OP endpoint, identifier select, without discovery ("Sign in with X" buttons). */
  beginWithOPEndpoint(session: ConsumerSessionStore, opEndpoint: string, perLogin?: PerLoginOptions): Promise<AuthRequest> {
    return this.beginWithEndpoints(session, [new ServiceEndpoint({ opEndpoint, typeUris: [OPENID_IDP_2_0_TYPE] })], perLogin);
  }

  /**
   * Starts with known endpoints, in order of preference: the first one an
   * association can be made with; else the first that answered; a store-less
   * consumer takes the first. At most {@link MAX_ENDPOINTS_TRIED} distinct
   * endpoint URLs are tried, with at most {@link MAX_ASSOCIATE_REQUESTS}
   * associate requests in all, within `beginTimeoutMs`.
   * @throws DiscoveryError when no endpoint can be reached (reason `endpoints_unreachable`) or the deadline passed (reason `begin_timeout`)
   * @throws OpenIDConfigError for a missing session, bad `perLogin`, or no or non-http(s) endpoints
   */
  async beginWithEndpoints(session: ConsumerSessionStore, endpoints: readonly ServiceEndpoint[], perLogin?: PerLoginOptions): Promise<AuthRequest> {
    const checked = checkSession(session);
    const stateless = this.#statelessFor(perLogin);
    if (endpoints.length === 0) throw new OpenIDConfigError('must list at least one endpoint', 'endpoints');
    for (const endpoint of endpoints) {
      if (!/^https?:\/\//i.test(endpoint.opEndpoint)) throw new OpenIDConfigError(`must be http(s) URLs, not ${JSON.stringify(endpoint.opEndpoint)}`, 'endpoints');
    }
    const first = endpoints[0] as ServiceEndpoint;
    return this.#start(checked, await this.#underDeadline(first.opEndpoint, (fetcher) => this.#chooseEndpoint(endpoints, fetcher, stateless)));
  }

  /** Whether a login associates: its own choice, else the consumer's setting. */
  #statelessFor(perLogin: PerLoginOptions | undefined): boolean {
    return checkPerLogin(perLogin).stateless ?? this.#config.stateless;
  }

  /** The transaction of a chosen endpoint, saved in the session, and the request to send. */
  async #start(session: ConsumerSessionStore, { endpoint, association, associationMade }: ChosenEndpoint): Promise<AuthRequest> {
    const id = randomBytes(24).toString('base64url');
    await saveTransaction(session, transactionOf(id, endpoint, this.#config.now()), this.#config.transactionTtlMs);
    return new AuthRequest(endpoint, association, id, associationMade);
  }

  async #chooseEndpoint(endpoints: readonly ServiceEndpoint[], fetcher: Fetcher, stateless: boolean): Promise<ChosenEndpoint> {
    const first = endpoints[0] as ServiceEndpoint;
    const { store, associationPreferences: preferences, associationFlights: flights, now } = this.#config;
    if (store === undefined || stateless) return { endpoint: first, association: undefined, associationMade: false };
    const budget = requestBudget(fetcher, MAX_ASSOCIATE_REQUESTS);
    const negotiator = new Negotiator({ store, fetcher: budget.fetcher, now, flights, preferences });
    let answered: ServiceEndpoint | undefined;
    let unreachable: FetchError | undefined;
    // Each URL once (another service at the same URL would get the same answer), only the first few, within a few requests.
    const tried = new Set<string>();
    for (const endpoint of endpoints) {
      if (tried.has(endpoint.opEndpoint)) continue;
      if (tried.size >= MAX_ENDPOINTS_TRIED || budget.spent()) break;
      tried.add(endpoint.opEndpoint);
      try {
        const association = await negotiator.associate(endpoint);
        if (association !== undefined) return { endpoint, association, associationMade: negotiator.made(association) };
        answered ??= endpoint;
      } catch (error) {
        // An endpoint that cannot be reached: try the next one (§7.3: several endpoints, in priority order).
        if (!(error instanceof FetchError)) throw error;
        unreachable = error;
      }
    }
    if (answered !== undefined) return { endpoint: answered, association: undefined, associationMade: false };
    throw new DiscoveryError(`No OP endpoint could be reached (${unreachable?.message ?? 'no answer'})`, first.opEndpoint, { cause: unreachable, reason: 'endpoints_unreachable' });
  }

  /**
   * Whether the URL an answer arrived at names a login in progress in this
   * session (without taking it). The Express middleware uses it to spot a
   * cross-site POST that arrived without the session cookie.
   * @throws OpenIDConfigError for a missing session
   */
  async hasTransactionFor(session: ConsumerSessionStore, currentUrl: string): Promise<boolean> {
    const checked = checkSession(session);
    if (typeof currentUrl !== 'string' || !URL.canParse(currentUrl)) return false;
    return hasTransaction(checked, new URL(currentUrl).searchParams.get(TRANSACTION_PARAM));
  }

  /**
   * Completes a login from the OP's answer: the query (GET) or the form body
   * (POST, and then only the body), and the URL the answer arrived at. One
   * verification path for both. A failed login is a result, never an
   * exception (a store fault too comes back, as `store_error`).
   * @param session the user's session, the one `begin` saved the login in
   * @throws OpenIDConfigError for a missing session (a programming error, not a failed login)
   * @see OpenID 2.0 §11
   */
  async complete(session: ConsumerSessionStore, args: MessageArgs, currentUrl: string): Promise<CompletionResult> {
    const checked = checkSession(session);
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
    const transaction = await takeTransaction(checked, transactionId);
    const mode = readMode(message);
    if (mode !== 'id_res') return mode;
    if (transaction === undefined && !this.#config.allowUnsolicitedAssertions) {
      return failure('unsolicited_assertion', 'No login was started in this session for this response (unsolicited assertions are refused to prevent login CSRF; did the session cookie reach the return URL?)');
    }
    if (transaction !== undefined && this.#config.now() - transaction.created > this.#config.transactionTtlMs) {
      return failure('transaction_expired', 'The login took too long; please start again');
    }
    try {
      return await this.#verify(message, current, transaction);
    } catch (cause) {
      if (cause instanceof StoreError) return failure('store_error', `The store failed: ${cause.message}`, cause);
      throw cause;
    }
  }

  /** fields → return_to → preset screening → signature → discovered information → nonce, or without an association: discovered information first (§11). */
  async #verify(message: Message, current: CurrentUrl, transaction: Transaction | undefined): Promise<CompletionResult> {
    const signed = signedSet(message);
    const early = checkFields(message, signed) ?? checkReturnTo(message, current);
    if (early !== undefined) return early;
    const claims = claimsOf(message, transaction);
    if ('status' in claims) return claims;
    const screened = screenClaims(this.#config.preset, claims);
    if (screened !== undefined) return screened;
    const association = await storedAssociation(message, claims.opEndpoint, this.#config.store, this.#config.now());
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
      const checked = await checkAuthentication(message, discovered.endpoint.opEndpoint, this.#config.fetcher, this.#config.checkAuthenticationHeaders);
      if (!('ok' in checked)) return checked;
      if (checked.invalidateHandle !== undefined) await this.#config.store?.removeAssociation(discovered.endpoint.opEndpoint, checked.invalidateHandle);
    }
    const { store, now, nonceSkewSeconds } = this.#config;
    const nonce = await checkNonce(message, signed, claims.opEndpoint, store, { now, skewSeconds: nonceSkewSeconds });
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
    return extendSuccess(this.#config.preset, result);
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
  return { version: '1.x', opEndpoint: own.opEndpoint, claimedId: own.claimedId, identity };
}
