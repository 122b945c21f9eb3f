/**
 * Options of the provider middleware, validated when it is created.
 */
import type { Request, RequestHandler } from 'express';
import { OpenIDConfigError, Server, type CheckIDRequest, type Extension, type Fetcher, type OpenIDEvent, type OpenIDStore, type Profile, type ProfileField, type ReturnToVerification } from 'openid2-core';

/** What the decision hook learns about a checkid request. */
export interface DecisionContext {
  req: Request;
  request: CheckIDRequest;
  /** The realm, verified to contain return_to and sane. */
  realm: string;
  /**
   * Whether relying party discovery publishes this return_to (§9.2.1); warn
   * the user when false. The realm is fetched only when this is called (so a
   * hook that answers without it makes no request), once per realm while the
   * server's return_to cache keeps the answer.
   * @see OpenID 2.0 §9.2.1, §13
   */
  returnToVerified(): Promise<boolean>;
  /**
   * The same discovery with the reason a return_to is not verified:
   * `{ verified: true }` or `{ verified: false, reason: 'not_published' |
   * 'fetch_failed' | 'mismatch' }`, so a consent page can explain its warning.
   * @example const { verified, reason } = await returnToVerification()
   */
  returnToVerification(): Promise<ReturnToVerification>;
  /** Profile fields the relying party asked for (SREG and AX together). */
  requested: { required: ProfileField[]; optional: ProfileField[] };
  /** PAPE policies the relying party prefers, if it asked. */
  pape: { preferredPolicies: string[]; maxAuthAge: number | undefined } | undefined;
}

/** A positive answer: what to assert, and the extension data to sign in. */
export interface AllowDecision {
  type: 'allow';
  /** The OP-local identifier; required for identifier select, else it must equal `request.identity` if given. */
  identity?: string;
  /** The claimed identifier (identifier select; defaults to `identity`). */
  claimedId?: string;
  /** Released profile values, signed into the answer as SREG and/or AX (as the request asked). */
  profile?: Profile;
  /** PAPE answer: policies met, and when the user authenticated. */
  pape?: { policies: string[]; authTime?: Date };
  /** Any other extension responses to sign in (`{ namespace, args }`, or an SREG/AX/PAPE response object). */
  extensions?: readonly Extension[];
}

/**
 * The app's decision. `interact` keeps the request and sends the user to the
 * app's page (`url`, or the `interactionUrl` option) with the interaction id;
 * an immediate request that needs interaction is answered "setup needed".
 */
export type Decision = AllowDecision | { type: 'deny' } | { type: 'interact'; url?: string };

/** Options of {@link openidProvider}. */
export interface ProviderOptions {
  /** A configured server; or give `opEndpoint` and `store` and one is made with default settings. @default undefined (made from `opEndpoint`, `store` and `fetcher`) */
  server?: Server;
  /** The OP endpoint URL, where this router is mounted (used when `server` is not given). @default undefined (required without `server`) */
  opEndpoint?: string;
  /** Associations and check_authentication nonces (used when `server` is not given). @default undefined (required without `server`) */
  store?: OpenIDStore;
  /** For relying party discovery (used when `server` is not given). @default createFetcher() */
  fetcher?: Fetcher;
  /** Decides checkid requests: allow, deny, or interact (log in, consent). */
  decide(context: DecisionContext): Promise<Decision>;
  /**
   * The app's login/consent page: a path or URL, to which `?interaction=<id>`
   * is added, or a function of the interaction id. Needed only by a `decide`
   * that ever returns `interact` without a `url`: whether it does is known
   * only when it answers, so a missing one is reported then (the relying
   * party gets an error answer, `onEvent` a `request_failed` event with the
   * reason `interaction_url_missing`, and without `onEvent` a process warning).
   * @default none
   */
  interactionUrl?: string | ((interactionId: string) => string);
  /**
   * The session middleware (`session({...})` of express-session), run by the
   * router for indirect requests (checkid) only: direct requests
   * (associate, check_authentication) come from relying parties' servers,
   * without cookies, and then make no session at all. Give it here instead
   * of mounting it before the router (your login pages mount it themselves).
   * @example openidProvider({ session: session({ secret, resave: false, saveUninitialized: false }), ... })
   * @default none (req.session comes from a middleware mounted before the router)
   */
  session?: RequestHandler;
  /**
   * Receives one structured event per answer: `association_made` /
   * `association_refused`, `signature_checked` (reason `valid` or
   * `invalid`), `assertion_issued`, `assertion_denied`,
   * `interaction_started`, `setup_needed`, `request_failed` (reason, cause
   * chain). Never secrets (no handles, keys, signatures or URL queries).
   * @example onEvent: (event) => logger.info(event)
   * @default none
   */
  onEvent?: (event: OpenIDEvent) => void;
  /** How long a pending interaction lives, in milliseconds. @default 600000 (10 minutes) */
  interactionTtlMs?: number;
  /** Size limit of POSTed requests (a byte count or a string such as '64kb'). @default '64kb' */
  bodyLimit?: string | number;
  /** Clock in milliseconds, for interaction expiry. @default Date.now */
  now?: () => number;
}

/** The options in force. */
export interface ResolvedOptions {
  server: Server;
  decide: ProviderOptions['decide'];
  /** The interaction page's URL, or undefined when neither the option nor the decision gives one. */
  interactionUrl: (interactionId: string, base?: string) => string | undefined;
  /** Whether the interactionUrl option is set (else only an interact decision's own url can be used). */
  hasInteractionUrl: boolean;
  session: RequestHandler | undefined;
  onEvent: ((event: OpenIDEvent) => void) | undefined;
  interactionTtlMs: number;
  bodyLimit: string | number;
  now: () => number;
}

function withInteraction(base: string, id: string): string {
  return `${base}${base.includes('?') ? '&' : '?'}interaction=${encodeURIComponent(id)}`;
}

function resolveServer(options: ProviderOptions): Server {
  if (options.server !== undefined) {
    if (typeof (options.server as Partial<Server> | null)?.decodeRequest !== 'function') throw new OpenIDConfigError('must be a Server from openid2-core', 'server');
    return options.server;
  }
  if (options.opEndpoint === undefined) throw new OpenIDConfigError('give either server, or opEndpoint and store', 'opEndpoint');
  if (options.store === undefined) throw new OpenIDConfigError('give either server, or opEndpoint and store', 'store');
  return new Server({ opEndpoint: options.opEndpoint, store: options.store, ...(options.fetcher === undefined ? {} : { fetcher: options.fetcher }) });
}

/** Checks the options and applies defaults. @throws OpenIDConfigError naming the option at fault */
export function resolveOptions(options: ProviderOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') throw new OpenIDConfigError('options are required');
  if (typeof options.decide !== 'function') throw new OpenIDConfigError('must be a function returning a Promise of a decision', 'decide');
  const server = resolveServer(options);
  const { interactionUrl } = options;
  if (interactionUrl !== undefined && !(typeof interactionUrl === 'string' && interactionUrl !== '') && typeof interactionUrl !== 'function') {
    throw new OpenIDConfigError('must be a URL path or a function of the interaction id', 'interactionUrl');
  }
  for (const name of ['session', 'onEvent'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') throw new OpenIDConfigError(name === 'session' ? 'must be a middleware such as session({...}) of express-session' : 'must be a function', name);
  }
  const ttl = options.interactionTtlMs ?? 10 * 60 * 1000;
  if (!Number.isSafeInteger(ttl) || ttl <= 0) throw new OpenIDConfigError('must be a positive number of milliseconds', 'interactionTtlMs');
  const bodyLimit = options.bodyLimit ?? '64kb';
  if (!(typeof bodyLimit === 'string' && bodyLimit !== '') && !(Number.isSafeInteger(bodyLimit) && (bodyLimit as number) > 0)) {
    throw new OpenIDConfigError("must be a positive byte count or a size such as '64kb'", 'bodyLimit');
  }
  if (options.now !== undefined && typeof options.now !== 'function') throw new OpenIDConfigError('must be a function returning milliseconds', 'now');
  return {
    server,
    decide: options.decide,
    interactionUrl: (id, base) => {
      if (base !== undefined) return withInteraction(base, id);
      if (interactionUrl === undefined) return undefined;
      return typeof interactionUrl === 'function' ? interactionUrl(id) : withInteraction(interactionUrl, id);
    },
    hasInteractionUrl: interactionUrl !== undefined,
    session: options.session,
    onEvent: options.onEvent,
    interactionTtlMs: ttl,
    bodyLimit,
    now: options.now ?? Date.now,
  };
}

/** Checks what the decision hook (or `resume`) was given, so an app's mistake is named rather than a crash. */
export function checkDecision(decision: unknown, allowInteract: boolean): Decision {
  const type = (decision as { type?: unknown } | null | undefined)?.type;
  if (type === 'allow' || type === 'deny') return decision as Decision;
  if (type === 'interact' && allowInteract) {
    const url = (decision as { url?: unknown }).url;
    if (url === undefined || (typeof url === 'string' && url !== '')) return decision as Decision;
    throw new OpenIDConfigError('an interact decision\'s url must be a non-empty string', 'decision.url');
  }
  const expected = allowInteract ? "{ type: 'allow' | 'deny' | 'interact' }" : "{ type: 'allow' | 'deny' }";
  throw new OpenIDConfigError(`must be ${expected}, not ${JSON.stringify(decision)?.slice(0, 100)}`, 'decision');
}
