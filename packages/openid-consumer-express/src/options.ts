/**
 * Options of the relying-party middleware, validated when it is created:
 * a typo, an off-site redirect, a realm that does not cover the return URL
 * or an insecure setting fails at start-up, not at the first login.
 */
import type { Request, Response } from 'express';
import { checkPape, checkProfileFields } from './extension-checks.js';
import type { LoginChoices } from './login-options.js';
import { checkBooleans, checkFunctions, checkKnownKeys, checkRealm, checkSecureUrl, checkUrl } from './option-checks.js';
import { relyingPartyConsumer } from './relying-party-consumer.js';
import {
  isOpenIDStore,
  OpenIDConfigError,
  type Consumer,
  type AuthRequest,
  type CancelResult,
  type ConsumerOptions,
  type ConsumerPreset,
  type DiscoveryCache,
  type DiscoveryFailureReason,
  type OpenIDEvent,
  type FailureResult,
  type Fetcher,
  type OpenIDStore,
  type SetupNeededResult,
  type SuccessResult,
} from 'openid2-core';

/** A login that could not start: nothing to discover, or nothing found. */
export interface LoginFailure {
  status: 'failure';
  /**
   * `missing_identifier`, `invalid_return_to`, `invalid_login_options`,
   * `store_error` (the store failed while the login associated), or why
   * discovery failed, as far as the user can act on it:
   * `private_address`, `no_openid_service`, `unreachable`, `timeout`,
   * `xri_unsupported`, `invalid_identifier`, else `discovery_failed`.
   */
  reason: 'missing_identifier' | 'invalid_return_to' | 'invalid_login_options' | 'store_error' | DiscoveryFailureReason;
  /** A sentence for the user (it never quotes the error; the cause holds it). */
  message: string;
  /** The DiscoveryError or StoreError behind the failure (for logs, never for users). */
  cause?: unknown;
}

/**
 * A request refused before any login work: a login form from elsewhere or
 * without this session's token (`csrf_failed`), or a body that cannot be
 * read. `httpStatus` is set on the response before `onFailure` is called.
 */
export interface RefusedRequest {
  status: 'failure';
  reason: 'csrf_failed' | 'body_too_large' | 'too_many_parameters' | 'unsupported_charset' | 'unsupported_encoding' | 'malformed_body';
  message: string;
  /** 403 for `csrf_failed`; the parser's 4xx (413, 415, 400) for a body. */
  httpStatus: number;
}

/** What `onFailure` gets: the consumer's cancel, setup-needed or failure result, a login that could not start, or a refused request. */
export type ConsumerFailure = CancelResult | SetupNeededResult | FailureResult | LoginFailure | RefusedRequest;

/** What `onSetupNeeded` learns: the OP's answer and the login it belongs to. */
export interface SetupNeededContext {
  result: SetupNeededResult;
  /** What the user typed (or the OP identifier) for the immediate request. */
  identifier: string | undefined;
  /** The checked local path the login was started with, if any. */
  returnTo: string | undefined;
}

/**
 * Options of `openidConsumer()`, checked when it is called (an unknown key,
 * a wrong type or value throws an OpenIDConfigError naming the option).
 */
export interface ConsumerMiddlewareOptions {
  /**
   * The absolute URL where the router is mounted (`https://rp.example/openid`).
   * Without it, URLs are built from the request: behind a proxy, set
   * Express's `trust proxy` so the scheme and host are right.
   * @default from the request
   */
  baseUrl?: string;
  /** The realm users are asked to trust; must cover `<baseUrl>/return`. @default the origin of baseUrl (or of the request) */
  realm?: string;
  /**
   * Associations and nonces. Without one the relying party is stateless and
   * nothing records nonces: a replayed assertion is caught only by an OP
   * that answers check_authentication once. Use a shared store behind a
   * load balancer.
   * @default none
   */
  store?: OpenIDStore;
  /** The HTTP client for discovery and direct requests. @default createFetcher() (timeouts, size limits, private-address guard), with `allowLoopback` when set */
  fetcher?: Fetcher;
  /**
   * Local development only: let the default fetcher reach OPs on loopback
   * addresses (127.0.0.0/8, `::1`), e.g. the example provider on
   * 127.0.0.1. Every other private address stays refused. Refused when
   * `NODE_ENV=production`, and together with `fetcher` (set it there).
   * @example openidConsumer({ allowLoopback: process.env.NODE_ENV !== 'production' })
   * @default false
   */
  allowLoopback?: boolean;
  /** Discovery results by identifier. @default a MemoryDiscoveryCache (1000 identifiers, 4 MiB, 5 minutes) per router */
  discoveryCache?: DiscoveryCache;
  /** Used when /login gets no `openid_identifier`: a "Sign in with X" button (an OP identifier URL). @default the preset's `opIdentifier`, else none */
  opIdentifier?: string;
  /**
   * A provider preset (`steamPreset({ origin })` of openid2-core, or any
   * `ConsumerPreset`): the router's consumer screens every answer with it,
   * `/login` without an identifier begins at its `opIdentifier`, and the
   * fields it adds to a success are kept as `req.session.openid.presetData`
   * (Steam: `steamIdOf(req.session.openid)`). Its refusals fail with
   * `openid_error=preset_refused`; the event names the preset and its code.
   * @example openidConsumer({ baseUrl: 'https://rp.example/steam', preset: steamPreset({ origin: 'https://rp.example' }) })
   * @default none
   */
  preset?: ConsumerPreset;
  /**
   * Where to go after a successful login, unless `onSuccess` answers or the
   * login carried a `returnTo` (a form field or query argument of /login: a
   * same-origin path, kept in the session with the login, never in a URL).
   * A local path. @default '/'
   */
  successRedirect?: string;
  /** Where to go after cancel, setup needed or failure (with `?openid_error=<reason>`), unless `onFailure` answers. A local path. @default '/' */
  failureRedirect?: string;
  /**
   * Called after the session was regenerated and `req.session.openid` set;
   * answer the request. `returnTo` is the checked local path the login was
   * started with (the `returnTo` field of /login), if any.
   * @default redirect to returnTo, else successRedirect
   */
  onSuccess?: (req: Request, res: Response, result: SuccessResult, context: { returnTo: string | undefined }) => unknown;
  /**
   * Called for cancel, setup needed and failures; answer the request. For a
   * refused request (`httpStatus` set: a forged login form, an unreadable
   * body) the response status is already that status.
   * @default redirect to failureRedirect; a refused request gets its status and a page linking there
   */
  onFailure?: (req: Request, res: Response, result: ConsumerFailure) => unknown;
  /**
   * Profile fields to ask for, mapped to SREG and AX (AX in OpenID 2.0 only);
   * the signed answer appears as `req.session.openid.profile`.
   * @default none
   */
  profile?: { required?: readonly string[]; optional?: readonly string[] };
  /** PAPE policies to ask for; the signed answer appears as `req.session.openid.pape`. @default none */
  pape?: { policies?: readonly string[]; maxAuthAge?: number };
  /**
   * Per-login choices, asked before each login leaves for the OP:
   * `{ immediate, stateless, profile, pape, extensions, returnTo }`, each
   * left out keeping the router's setting. An answer that does not fit is a
   * failed login (`invalid_login_options`), not a 500.
   * @example loginOptions: (req) => ({ immediate: req.body?.silent === '1' })
   * @default none (the router's settings, checkid_setup)
   */
  loginOptions?: (req: Request) => LoginChoices | undefined | Promise<LoginChoices | undefined>;
  /**
   * Called when the OP answers an immediate request with "setup needed"
   * (§10.2.1): the user must see the OP. Typically answer with the sign-in
   * form again, posting `identifier` without `immediate` (checkid_setup).
   * `result.setupUrl` is unverified (show it as a link at most).
   * @default onFailure, else a redirect to failureRedirect with `openid_error=setup_needed`
   */
  onSetupNeeded?: (req: Request, res: Response, context: SetupNeededContext) => unknown;
  /**
   * Receives one structured event per step: `login_started`,
   * `discovery_succeeded`, `association_made` / `association_reused`,
   * `login_succeeded`, `login_failed` / `login_cancelled` /
   * `login_setup_needed` / `request_refused` with the reason code and the
   * cause chain. Plain objects for pino or winston; never secrets (no
   * association handles or keys, no signatures, no URLs' queries).
   * @example onEvent: (event) => logger.info(event)
   * @default none
   */
  onEvent?: (event: OpenIDEvent) => void;
  /** Adds further extension arguments to each request (`authRequest.addExtension(...)`). @default none */
  extendRequest?: (authRequest: AuthRequest, req: Request) => unknown;
  /** Extra result data to keep in `req.session.openid`. @default none */
  sessionData?: (result: SuccessResult) => Record<string, unknown>;
  /** Accept logins no /login in this session started. They allow login CSRF. @default false */
  allowUnsolicitedAssertions?: boolean;
  /** Allow a plain-http baseUrl on a host other than localhost (session cookies and assertions in the clear). @default false */
  allowInsecureHttp?: boolean;
  /**
   * Further consumer settings (`ConsumerOptions` of openid2-core), checked
   * as `new Consumer()` checks them when the router is made. The router's
   * own `store`, `fetcher`, `discoveryCache` and `allowUnsolicitedAssertions`
   * (when true) win over the same ones here; a preset is the router's
   * `preset` option, not one of these.
   * @default none
   */
  consumer?: Omit<ConsumerOptions, 'preset'>;
}

export interface ResolvedConsumerOptions extends Omit<ConsumerMiddlewareOptions, 'consumer'> {
  successRedirect: string;
  failureRedirect: string;
  /** The router's one consumer, its settings checked when the router was made; the routes pass each request's session. */
  consumer: Consumer;
  /** The XRI proxy resolver of the consumer settings, if any (to word a discovery failure). */
  xriProxy: string | undefined;
}

const KNOWN_OPTIONS = new Set([
  'baseUrl', 'realm', 'store', 'fetcher', 'discoveryCache', 'opIdentifier', 'successRedirect', 'failureRedirect', 'onSuccess', 'onFailure',
  'profile', 'pape', 'extendRequest', 'sessionData', 'allowUnsolicitedAssertions', 'allowInsecureHttp', 'consumer',
  'loginOptions', 'onSetupNeeded', 'onEvent', 'allowLoopback', 'preset',
]);

function checkBaseUrl(options: ConsumerMiddlewareOptions): string | undefined {
  if (options.baseUrl === undefined) return undefined;
  const baseUrl = checkUrl(options.baseUrl, 'baseUrl').replace(/\/$/, '');
  const url = new URL(baseUrl);
  if (url.search !== '' || url.hash !== '') throw new OpenIDConfigError('must not have a query or fragment', 'baseUrl');
  checkSecureUrl(baseUrl, 'baseUrl', options.allowInsecureHttp);
  return baseUrl;
}

function checkTypes(options: ConsumerMiddlewareOptions): void {
  checkFunctions(options, ['onSuccess', 'onFailure', 'onSetupNeeded', 'extendRequest', 'sessionData', 'loginOptions', 'onEvent']);
  checkBooleans(options, ['allowUnsolicitedAssertions', 'allowInsecureHttp', 'allowLoopback']);
  if (options.store !== undefined && !isOpenIDStore(options.store)) {
    throw new OpenIDConfigError('must be an OpenIDStore (storeAssociation, getAssociation, removeAssociation, useNonce)', 'store');
  }
  if (options.fetcher !== undefined && typeof options.fetcher?.fetch !== 'function') throw new OpenIDConfigError('must be a Fetcher (createFetcher())', 'fetcher');
  if (options.consumer !== undefined && (options.consumer === null || typeof options.consumer !== 'object' || Array.isArray(options.consumer))) {
    throw new OpenIDConfigError('must be an object of consumer options', 'consumer');
  }
  if ((options.consumer as ConsumerOptions | undefined)?.preset !== undefined) throw new OpenIDConfigError("is the router's own option: openidConsumer({ preset })", 'consumer.preset');
}

function checkExtensions(options: ConsumerMiddlewareOptions): void {
  // Unknown field names are refused here, not at the first login.
  checkProfileFields(options.profile, 'profile');
  checkPape(options.pape, 'pape');
}

/** Checks the options and fills in defaults. @throws OpenIDConfigError naming the option */
export function resolveOptions(options: ConsumerMiddlewareOptions = {}): ResolvedConsumerOptions {
  if (options === null || typeof options !== 'object') throw new OpenIDConfigError('must be an object', 'options');
  checkKnownKeys(options, KNOWN_OPTIONS, 'openidConsumer');
  checkTypes(options);
  const baseUrl = checkBaseUrl(options);
  if (options.realm !== undefined) checkRealm(options.realm, baseUrl === undefined ? undefined : `${baseUrl}/return`);
  if (options.opIdentifier !== undefined) checkUrl(options.opIdentifier, 'opIdentifier');
  for (const name of ['successRedirect', 'failureRedirect'] as const) {
    const value = options[name];
    // eslint-disable-next-line no-control-regex
    if (value !== undefined && (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\') || /[\u0000-\u001f\u007f]/.test(value))) {
      throw new OpenIDConfigError('must be a path on this site (starting with a single /)', name);
    }
  }
  checkExtensions(options);
  const { consumer, ...rest } = options;
  const opIdentifier = options.opIdentifier ?? options.preset?.opIdentifier;
  return {
    ...rest,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    ...(opIdentifier === undefined ? {} : { opIdentifier }),
    successRedirect: options.successRedirect ?? '/',
    failureRedirect: options.failureRedirect ?? '/',
    consumer: relyingPartyConsumer(options),
    xriProxy: consumer?.xriProxy,
  };
}
