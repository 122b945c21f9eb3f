/**
 * A Passport strategy over the consumer, with options close to
 * passport-openid's (`returnURL`, `realm`, `profile`, `stateless`), but a
 * promise-returning verify function and the real failure reason instead of
 * "Failed to verify assertion".
 */
import type { Request } from 'express';
import {
  AX_1_0_NS,
  AssociationFlights,
  Consumer,
  DiscoveryError,
  OpenIDConfigError,
  SREG_1_0_NS,
  SREG_1_1_NS,
  normalizeProfile,
  normalizeUrl,
  objectSession,
  profileRequest,
  type ConsumerSessionStore,
  type Fetcher,
  type OpenIDStore,
  type Profile,
  type SuccessResult,
} from 'openid2-core';
import { discoveryFailureReason, readFormPairs } from 'openid2-core/internals';
import { LOGIN_CSRF_FIELD, refuseForgedLogin } from './login-csrf.js';
import { checkProfileFields } from './extension-checks.js';

export interface OpenIDStrategyOptions {
  /** The absolute URL Passport's callback route answers at. */
  returnURL: string;
  /** @default the origin of returnURL */
  realm?: string;
  /** Ask for a profile (email, nickname, full name, first and last name) through SREG and AX. @default false */
  profile?: boolean | { required?: readonly string[]; optional?: readonly string[] };
  /** Without a store, verification uses check_authentication. @default true when no store is given */
  stateless?: boolean;
  store?: OpenIDStore;
  fetcher?: Fetcher;
  /** Used when the request names no identifier ("Sign in with X"). */
  providerURL?: string;
  /**
   * Form field holding the identifier. It must be posted from the app's own
   * page with the login token (`loginCsrfField(req)`), as with the router.
   * @default 'openid_identifier'
   */
  identifierField?: string;
  /** Resolves to the user, or false to refuse. */
  verify: (input: { identifier: string; profile: Profile; result: SuccessResult; req: Request }) => Promise<unknown>;
}

/** What Passport adds to the per-request strategy object. */
interface StrategyActions {
  success(user: unknown, info?: unknown): void;
  fail(challenge?: unknown, status?: number): void;
  redirect(url: string, status?: number): void;
  error(error: unknown): void;
}

/**
 * Passport calls strategies on a per-request `Object.create(strategy)`, so
 * state lives in ordinary properties reached through the prototype.
 */
export class OpenIDStrategy {
  readonly name = 'openid';
  private readonly settings: OpenIDStrategyOptions;
  private readonly realmUrl: string;
  /** The strategy's one consumer, its settings checked here; each request passes its session. */
  private readonly consumer: Consumer;

  constructor(options: OpenIDStrategyOptions) {
    if (typeof options?.verify !== 'function') throw new OpenIDConfigError('must be an async function ({ identifier, profile }) => user | false', 'verify');
    try {
      normalizeUrl(options.returnURL);
    } catch {
      throw new OpenIDConfigError('must be an absolute http or https URL', 'returnURL');
    }
    if (typeof options.profile === 'object') checkProfileFields(options.profile, 'profile');
    const field: unknown = options.identifierField;
    if (field !== undefined && (typeof field !== 'string' || field === '' || field.startsWith('openid.') || field === LOGIN_CSRF_FIELD)) {
      throw new OpenIDConfigError(`must be a form field name (not empty, not an openid.* argument, not ${LOGIN_CSRF_FIELD})`, 'identifierField');
    }
    this.settings = options;
    this.realmUrl = options.realm ?? `${new URL(options.returnURL).origin}/`;
    // One associate request per OP endpoint at a time, shared by this strategy's logins.
    const store = options.stateless === true ? undefined : options.store;
    this.consumer = new Consumer({ store, fetcher: options.fetcher, associationFlights: new AssociationFlights() });
  }

  private sessionOf(req: Request): ConsumerSessionStore {
    const session = (req as Request & { session?: Record<string, unknown> }).session;
    if (session === undefined) throw new OpenIDConfigError('req.session is missing: did you forget express-session?');
    return objectSession(session);
  }

  /**
   * Called by Passport with success/fail/redirect/error bound to `this`.
   * The `this` type names only those actions, which is what Passport's own
   * `Strategy` type promises, so `passport.use(new OpenIDStrategy(...))`
   * type-checks under `strict`; the object really is an
   * `Object.create(strategy)`, hence the narrowing below.
   */
  authenticate(this: StrategyActions, req: Request): void {
    const strategy = this as StrategyActions & OpenIDStrategy;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const mode = req.method === 'POST' ? body['openid.mode'] : req.query['openid.mode'];
    const work = mode === undefined ? strategy.beginLogin(req) : strategy.completeLogin(req);
    work.catch((error: unknown) => strategy.error(error));
  }

  private async beginLogin(this: OpenIDStrategy & StrategyActions, req: Request): Promise<void> {
    const field = this.settings.identifierField ?? 'openid_identifier';
    // The same rule as the router's /login (login CSRF), before anything is fetched.
    const forged = refuseForgedLogin(req, new URL(this.settings.returnURL).origin, field);
    if (forged !== undefined) return this.fail({ reason: forged.reason, message: forged.message }, forged.httpStatus);
    const given = req.method === 'POST' ? ((req.body ?? {}) as Record<string, unknown>)[field] : undefined;
    const identifier = typeof given === 'string' && given.trim() !== '' ? given : this.settings.providerURL;
    if (identifier === undefined) return this.fail({ reason: 'missing_identifier', message: 'An OpenID identifier is required' }, 400);
    let auth;
    try {
      auth = await this.consumer.begin(this.sessionOf(req), identifier);
    } catch (error) {
      // The router's reasons (20.4): what the user can act on, from openid2-core's one rule (no XRI resolver here).
      if (error instanceof DiscoveryError) return this.fail({ reason: discoveryFailureReason(error), message: error.message }, 400);
      throw error;
    }
    const wanted = this.settings.profile === true ? { required: [], optional: ['email', 'nickname', 'fullname', 'firstName', 'lastName'] } : this.settings.profile || undefined;
    if (wanted !== undefined) {
      const { sreg, ax } = profileRequest(wanted);
      auth.addExtensionArgs(auth.endpoint.isOpenID2() ? SREG_1_1_NS : SREG_1_0_NS, sreg.toArgs());
      if (auth.endpoint.isOpenID2()) auth.addExtensionArgs(AX_1_0_NS, ax.toArgs());
    }
    return this.redirect(auth.redirectUrl(this.realmUrl, this.settings.returnURL));
  }

  private async completeLogin(this: OpenIDStrategy & StrategyActions, req: Request): Promise<void> {
    const query = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
    const currentUrl = `${new URL(this.settings.returnURL).origin}${req.originalUrl.split('?')[0]}${query}`;
    const args = req.method === 'POST' ? ((req.body ?? {}) as Record<string, unknown>) : readFormPairs(query);
    const result = await this.consumer.complete(this.sessionOf(req), args, currentUrl);
    if (result.status !== 'success') {
      const reason = result.status === 'failure' ? result.reason : result.status;
      const message = result.status === 'failure' ? result.message : result.status === 'cancel' ? 'The sign-in was cancelled' : 'The provider needs interaction';
      return this.fail({ reason, message }, 401);
    }
    const sreg = { ...result.getSignedArgs(SREG_1_0_NS), ...result.getSignedArgs(SREG_1_1_NS) };
    const profile = normalizeProfile({ sreg, ax: result.getSignedArgs(AX_1_0_NS) });
    const user = await this.settings.verify({ identifier: result.claimedId, profile, result, req });
    if (user === false || user === undefined || user === null) return this.fail({ reason: 'rejected_by_application', message: 'The application refused this identity' }, 401);
    return this.success(user, { identifier: result.claimedId, profile });
  }
}
