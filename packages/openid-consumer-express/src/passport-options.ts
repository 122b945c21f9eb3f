/**
 * Options of the Passport strategy, checked when it is created with the
 * router's checks (option-checks.ts, extension-checks.ts) and its consumer
 * made as the router's is (relying-party-consumer.ts).
 */
import type { Request } from 'express';
import { OpenIDConfigError, type Consumer, type ConsumerPreset, type DiscoveryCache, type Fetcher, type OpenIDEvent, type OpenIDStore, type SuccessResult } from 'openid2-core';
import type { ExtensionData } from './extensions.js';
import { checkPape, checkProfileFields } from './extension-checks.js';
import { LOGIN_CSRF_FIELD } from './login-csrf.js';
import { checkBooleans, checkFunctions, checkKnownKeys, checkRealm, checkSecureUrl, checkUrl } from './option-checks.js';
import type { ConsumerMiddlewareOptions } from './options.js';
import { relyingPartyConsumer } from './relying-party-consumer.js';

/** What `verify` gets: the verified identity and its signed extension answers, as the router keeps them in `req.session.openid`. */
export interface OpenIDVerifyInput extends ExtensionData {
  /** The verified claimed identifier: the key to the user's account. */
  identifier: string;
  /** The whole success (endpoint, signed fields, `getSignedArgs`). */
  result: SuccessResult;
  req: Request;
}

/**
 * Options of `OpenIDStrategy`, checked when it is made (an unknown
 * key, a wrong type or value throws an OpenIDConfigError naming the option).
 */
export interface OpenIDStrategyOptions {
  /** The absolute URL Passport's callback route answers at (GET and POST). */
  returnURL: string;
  /** The realm users are asked to trust; must cover returnURL. @default the origin of returnURL */
  realm?: string;
  /**
   * Profile fields to ask for, as the router's `profile` (SREG and AX as the
   * endpoint advertises them); `true` asks for email, nickname, full name,
   * first and last name. The signed answer is `profile` in verify's input.
   * @default false
   */
  profile?: boolean | { required?: readonly string[]; optional?: readonly string[] };
  /** PAPE policies to ask for, as the router's `pape`; the signed answer is `pape` in verify's input. @default none */
  pape?: { policies?: readonly string[]; maxAuthAge?: number };
  /**
   * Never associate: every assertion is checked with the OP
   * (check_authentication). A `store` still records nonces, so a replayed
   * assertion is refused even when the OP confirms it twice; without a
   * store nothing records nonces, and replay protection rests on the OP alone.
   * @default false
   */
  stateless?: boolean;
  /**
   * Associations and nonces. Without one the strategy is stateless and
   * nothing records nonces: a replay is caught only by an OP that answers
   * check_authentication once. Use a shared store behind a load balancer.
   * @default none
   */
  store?: OpenIDStore;
  /** The HTTP client for discovery and direct requests. @default createFetcher() (timeouts, size limits, private-address guard), with `allowLoopback` when set */
  fetcher?: Fetcher;
  /** Local development only: let the default fetcher reach OPs on loopback addresses (as the router's `allowLoopback`). @default false */
  allowLoopback?: boolean;
  /** Discovery results by identifier. @default a MemoryDiscoveryCache (1000 identifiers, 4 MiB, 5 minutes) per strategy */
  discoveryCache?: DiscoveryCache;
  /** Allow a plain-http returnURL on a host other than localhost (session cookies and assertions in the clear). @default false */
  allowInsecureHttp?: boolean;
  /** Used when the request names no identifier: a "Sign in with X" button (an OP identifier URL). @default the preset's `opIdentifier`, else none */
  providerURL?: string;
  /**
   * A provider preset (`steamPreset({ origin })` of openid2-core, or any
   * `ConsumerPreset`), as the router's `preset` option: it pins its OP
   * before any request is made for an answer, a refusal fails with reason
   * `preset_refused`, and the data it adds is `result.presetData` in
   * `verify` (`steamIdOf(result)` for Steam).
   * @default none
   */
  preset?: ConsumerPreset;
  /**
   * Form field holding the identifier. It must be posted from the app's own
   * page with the login token (`loginCsrfField(req)`), as with the router.
   * @default 'openid_identifier'
   */
  identifierField?: string;
  /** Resolves to the user, or false to refuse. */
  verify: (input: OpenIDVerifyInput) => Promise<unknown>;
  /**
   * Receives one structured event per step, as the router's `onEvent`:
   * `login_started`, `discovery_succeeded`, `association_made` /
   * `association_reused`, `login_succeeded`, and `login_failed` /
   * `login_cancelled` / `login_setup_needed` / `request_refused` with the
   * reason code and the cause chain (`rejected_by_application` when verify
   * refuses). Never secrets.
   * @example onEvent: (event) => logger.info(event)
   * @default none
   */
  onEvent?: (event: OpenIDEvent) => void;
}

/** The checked options, defaults filled in, and the strategy's one consumer. */
export interface ResolvedStrategyOptions {
  returnURL: string;
  /** The origin of returnURL: where login forms must come from, and where answers arrive. */
  origin: string;
  realm: string;
  profile: ConsumerMiddlewareOptions['profile'];
  pape: ConsumerMiddlewareOptions['pape'];
  providerURL: string | undefined;
  identifierField: string;
  verify: OpenIDStrategyOptions['verify'];
  onEvent: OpenIDStrategyOptions['onEvent'];
  consumer: Consumer;
}

const KNOWN_OPTIONS = new Set([
  'returnURL', 'realm', 'profile', 'pape', 'stateless', 'store', 'fetcher', 'allowLoopback', 'discoveryCache', 'allowInsecureHttp',
  'providerURL', 'identifierField', 'verify', 'preset', 'onEvent',
]);

/** `profile: true`: the fields passport-openid asked for. */
const DEFAULT_PROFILE = { optional: ['email', 'nickname', 'fullname', 'firstName', 'lastName'] } as const;

function checkIdentifierField(field: unknown): string {
  if (field === undefined) return 'openid_identifier';
  if (typeof field !== 'string' || field === '' || field.startsWith('openid.') || field === LOGIN_CSRF_FIELD) {
    throw new OpenIDConfigError(`must be a form field name (not empty, not an openid.* argument, not ${LOGIN_CSRF_FIELD})`, 'identifierField');
  }
  return field;
}

function profileOf(profile: unknown): ConsumerMiddlewareOptions['profile'] {
  if (profile === undefined || profile === false) return undefined;
  if (profile === true) return DEFAULT_PROFILE;
  checkProfileFields(profile as ConsumerMiddlewareOptions['profile'], 'profile');
  return profile as ConsumerMiddlewareOptions['profile'];
}

/**
 * Checks the strategy's options and makes its consumer.
 * @throws OpenIDConfigError naming the option at fault
 */
export function resolveStrategyOptions(options: OpenIDStrategyOptions): ResolvedStrategyOptions {
  if (options === null || typeof options !== 'object') throw new OpenIDConfigError('must be an object', 'options');
  checkKnownKeys(options, KNOWN_OPTIONS, 'OpenIDStrategy');
  if (typeof options.verify !== 'function') throw new OpenIDConfigError('must be an async function ({ identifier, profile }) => user | false', 'verify');
  checkBooleans(options, ['allowLoopback', 'allowInsecureHttp']);
  checkFunctions(options, ['onEvent']);
  const returnURL = checkUrl(options.returnURL, 'returnURL');
  checkSecureUrl(returnURL, 'returnURL', options.allowInsecureHttp);
  if (options.realm !== undefined) checkRealm(options.realm, returnURL);
  const providerURL = options.providerURL === undefined ? options.preset?.opIdentifier : checkUrl(options.providerURL, 'providerURL');
  checkPape(options.pape, 'pape');
  const { store, fetcher, discoveryCache, allowLoopback, stateless, preset } = options;
  return {
    returnURL,
    origin: new URL(returnURL).origin,
    realm: options.realm ?? `${new URL(returnURL).origin}/`,
    profile: profileOf(options.profile),
    pape: options.pape,
    providerURL,
    identifierField: checkIdentifierField(options.identifierField),
    verify: options.verify,
    onEvent: options.onEvent,
    // stateless is core's (never associate); the store stays, for nonces. Core checks store, fetcher, discoveryCache and stateless.
    consumer: relyingPartyConsumer({ store, fetcher, discoveryCache, allowLoopback, preset, consumer: { stateless } }),
  };
}
