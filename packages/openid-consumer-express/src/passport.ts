/**
 * A Passport strategy: a thin adapter over the router's code path. Options
 * close to passport-openid's (`returnURL`, `realm`, `profile`, `stateless`),
 * a promise-returning verify function, and the real failure reason instead
 * of "Failed to verify assertion". The request is built by the router's
 * `buildLoginRequest` (extensions as the endpoint advertises them, a form
 * POST when too long for a URL), an answer that arrived without the session
 * cookie is sent again from this site by its `resubmit`, and the answer is
 * read by its `answerArgs` and the profile by its `extensionData`: one
 * assertion gives one result through either.
 */
import type { Request } from 'express';
import { objectSession, OpenIDConfigError, type AuthRequest, type ConsumerSessionStore, type SuccessResult } from 'openid2-core';
import { startFailure } from './discovery-failure.js';
import { emit, emitBegun, failureEvent, successEvent } from './events.js';
import type { ConsumerFailure } from './options.js';
import { extensionData } from './extensions.js';
import { refuseForgedLogin } from './login-csrf.js';
import { buildLoginRequest, sendLoginRequest } from './login-request.js';
import { answerArgs, needsResubmission, resubmit } from './routes/resubmit.js';
import { resolveStrategyOptions, type OpenIDStrategyOptions, type ResolvedStrategyOptions } from './passport-options.js';

export type { OpenIDStrategyOptions, OpenIDVerifyInput } from './passport-options.js';

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
  /** The checked options and the strategy's one consumer (discovery cache, association flights); each request passes its session. */
  private readonly settings: ResolvedStrategyOptions;

  /** @throws OpenIDConfigError naming the option, for an unknown option or one of the wrong type or value */
  constructor(options: OpenIDStrategyOptions) {
    this.settings = resolveStrategyOptions(options);
  }

  private sessionOf(req: Request): ConsumerSessionStore {
    const session = (req as Request & { session?: Record<string, unknown> }).session;
    if (session === undefined || session === null) throw new OpenIDConfigError('req.session is missing: did you forget express-session?');
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

  /** The identifier posted from this site's form, else `providerURL`. */
  private identifierOf(req: Request): { identifier: string | undefined; typed: boolean } {
    const given = req.method === 'POST' ? ((req.body ?? {}) as Record<string, unknown>)[this.settings.identifierField] : undefined;
    if (typeof given === 'string' && given.trim() !== '') return { identifier: given.trim(), typed: true };
    return { identifier: this.settings.providerURL, typed: false };
  }

  /** Passport's fail, with the event the router would emit for the same failure. */
  private refuse(this: OpenIDStrategy & StrategyActions, failure: ConsumerFailure, status: number, identifier?: string): void {
    emit(this.settings, failureEvent(failure, { identifier }));
    const reason = failure.status === 'failure' ? failure.reason : failure.status;
    const message = failure.status === 'failure' ? failure.message : failure.status === 'cancel' ? 'The sign-in was cancelled' : 'The provider needs interaction';
    return this.fail({ reason, message }, status);
  }

  private async beginLogin(this: OpenIDStrategy & StrategyActions, req: Request): Promise<void> {
    const { consumer, origin, identifierField, realm, returnURL, profile, pape } = this.settings;
    // The same rule as the router's /login (login CSRF), before anything is fetched.
    const forged = refuseForgedLogin(req, origin, identifierField);
    if (forged !== undefined) return this.refuse(forged, forged.httpStatus);
    const { identifier, typed } = this.identifierOf(req);
    if (identifier === undefined) return this.refuse({ status: 'failure', reason: 'missing_identifier', message: 'An OpenID identifier is required' }, 400);
    const startedAt = Date.now();
    emit(this.settings, { event: 'login_started', identifier, immediate: false });
    let built;
    try {
      const prepare = (auth: AuthRequest): void => emitBegun(this.settings, auth, { identifier, startedAt });
      built = await buildLoginRequest(consumer, this.sessionOf(req), { identifier, realm, returnTo: returnURL, profile, pape, prepare });
    } catch (error) {
      // The router's reasons and words (20.4): what the user can act on; a store outage is a 503, not the app's error.
      const failure = startFailure({ xriProxy: undefined, onEvent: this.settings.onEvent }, error, identifier, typed);
      if (failure === undefined) throw error;
      return this.refuse(failure, failure.reason === 'store_error' ? 503 : 400, identifier);
    }
    const res = req.res;
    if (built.indirect.kind === 'redirect') {
      res?.setHeader('Cache-Control', 'no-store');
      return this.redirect(built.indirect.url);
    }
    // Too long for a URL (§5.2.2): the page that posts it, answered here (Passport has no action for it; none is called after).
    if (res === undefined) throw new OpenIDConfigError('req.res is missing: the strategy answers long requests with a form itself, which needs Express');
    return sendLoginRequest(res, built.indirect);
  }

  /** The URL the answer arrived at, for the return_to check (§11.1). */
  private currentUrlOf(req: Request): string {
    return `${this.settings.origin}${req.originalUrl}`;
  }

  private async completeLogin(this: OpenIDStrategy & StrategyActions, req: Request): Promise<void> {
    const currentUrl = this.currentUrlOf(req);
    const session = this.sessionOf(req);
    const { consumer } = this.settings;
    // An answer that arrived without the session cookie (a long assertion POSTed cross-site): sent again from this site, as the router does.
    if (req.res !== undefined && (await needsResubmission(consumer, session, req, currentUrl))) return resubmit(req, req.res);
    const result = await consumer.complete(session, answerArgs(req), currentUrl);
    if (result.status !== 'success') return this.refuse(result, 401);
    return this.verified(req, result);
  }

  /** The app's verify, with what the router would keep in `req.session.openid`. */
  private async verified(this: OpenIDStrategy & StrategyActions, req: Request, result: SuccessResult): Promise<void> {
    const data = extensionData({ pape: this.settings.pape }, result);
    const user = await this.settings.verify({ identifier: result.claimedId, ...data, result, req });
    if (user === false || user === undefined || user === null) {
      return this.refuse({ status: 'failure', reason: 'rejected_by_application', message: 'The application refused this identity' }, 401, result.claimedId);
    }
    emit(this.settings, successEvent(result, undefined));
    return this.success(user, { identifier: result.claimedId, ...data });
  }
}
