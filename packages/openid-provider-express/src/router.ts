/**
 * The provider router: the OpenID endpoint (GET and POST), the decision
 * hook, and the interaction round trip. The app renders its pages; this
 * router writes every protocol response.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AnswerError, CheckIDRequest, CsrfError, InteractionInvalid, InteractionNotFound, OpenIDConfigError, ProtocolError, StoreError, type DecodedRequest, type MessageArgs, type ReturnToVerification } from 'openid2-core';
import { readFormPairs } from 'openid2-core/internals';
import { answerDecision, extensionContext } from './decision.js';
import { decisionEvent, directEvent, emit, protocolErrorEvent } from './events.js';
import { findPending, savePending, sessionOf, takePending, type PendingInteraction } from './interaction.js';
import { checkDecision, resolveOptions, type Decision, type DecisionContext, type ProviderOptions, type ResolvedOptions } from './options.js';
import { isSecure, pathOf, protectFromFraming, redirect, send, sendBodyError, sendPage } from './send.js';

/** What an app's login/consent page needs to know about a pending request. */
export interface InteractionDetails extends Pick<DecisionContext, 'requested' | 'pape'> {
  id: string;
  request: CheckIDRequest;
  /** The realm to show the user (return_to is inside it, and it is sane). */
  realm: string;
  /**
   * Whether relying party discovery publishes this return_to (§9.2.1); warn
   * the user when false. Fetched from the realm only when called, once per
   * realm while the server's cache keeps it.
   */
  returnToVerified(): Promise<boolean>;
  /** The same, with the reason when false (`not_published`, `fetch_failed`, `mismatch`). */
  returnToVerification(): Promise<ReturnToVerification>;
  /** Put it in the consent form and pass it back to `resume`. */
  csrfToken: string;
}

/** The input of {@link ProviderRouter.resume}. */
export interface ResumeInput {
  interactionId: unknown;
  csrfToken: unknown;
  decision: Exclude<Decision, { type: 'interact' }>;
}

/** The endpoint middleware (mount it with `app.use(path, …)`), with the two calls the app's login/consent page uses. */
export interface ProviderRouter extends RequestHandler {
  /** The pending request of an interaction in this browser's session, or undefined when unknown, used or expired. */
  interactionDetails(req: Request, interactionId: unknown): InteractionDetails | undefined;
  /**
   * Finishes an interaction: checks the CSRF token, removes the pending
   * request (single use) and sends the answer to the relying party (or an
   * error page, 400 when the interaction is unknown, 403 for a bad token).
   */
  resume(req: Request, res: Response, input: ResumeInput): Promise<void>;
}

/** Arguments of a request: the raw query for GET (no qs nesting), the form body only for POST (§4.1.2). */
function argsOf(req: Request): MessageArgs {
  if (req.method === 'POST') return (req.body ?? {}) as Record<string, unknown>;
  const query = req.originalUrl.indexOf('?');
  // Read as URLSearchParams reads it (readFormPairs), faster on long checkid queries.
  return query < 0 ? [] : readFormPairs(req.originalUrl.slice(query + 1));
}

/** An interact decision with no page to go to: the relying party gets an error answer, the app an event (or a warning). */
function noInteractionPage(options: ResolvedOptions, request: CheckIDRequest): ProtocolError {
  const error = new ProtocolError('The provider cannot show its sign-in page (no interactionUrl is configured)', { returnTo: request.returnTo, namespace: request.namespace });
  const text = 'openidProvider: decide returned { type: \'interact\' } without a url, and the interactionUrl option is not set';
  if (options.onEvent === undefined) process.emitWarning(text, { code: 'OPENID_INTERACTION_URL_MISSING' });
  else emit(options.onEvent, { event: 'request_failed', reason: 'interaction_url_missing', message: text, realm: request.realm.toString() });
  return error;
}

/**
 * Answers a protocol error (an error answer to the relying party, or a 400
 * page) and reports it. An AnswerError is the app's own mistake (its decision
 * named another identity, or carried extension arguments key-value form
 * cannot carry): without an onEvent sink it also becomes a process warning.
 */
function sendProtocolError(options: ResolvedOptions, res: Response, error: ProtocolError): void {
  emit(options.onEvent, error.cause instanceof StoreError ? { ...protocolErrorEvent(error), reason: 'store_error' } : protocolErrorEvent(error));
  if (error instanceof AnswerError && options.onEvent === undefined) process.emitWarning(`openidProvider: the decision cannot be answered: ${error.message}`, { code: 'OPENID_ANSWER_INVALID' });
  send(res, options.server.encodeError(error));
}

/**
 * A store that failed while a request was answered (an association not
 * kept or not read, a nonce not recorded): answered as the request's error
 * (a key-value error to a direct request, an indirect error to the relying
 * party's return_to, else a page), never passed to the app's error handler.
 * Nothing was signed.
 * @see OpenID 2.0 §5.1.2.2, §5.2.3
 */
function storeFailure(request: DecodedRequest, cause: StoreError): ProtocolError {
  const checkid = request instanceof CheckIDRequest;
  return new ProtocolError(`The provider's store failed: ${cause.message}`, {
    direct: !checkid,
    namespace: request.message.namespace,
    ...(checkid ? { returnTo: request.returnTo } : {}),
    cause,
    publicMessage: 'The provider is unavailable at the moment; try again later.',
  });
}

/**
 * What decide returned, checked: a value of the wrong shape is the app's
 * mistake met at request time, answered like any decision that cannot be
 * answered (an AnswerError: an error answer to the relying party, the
 * details to onEvent), not a configuration error reaching a 500.
 */
function decisionOf(returned: unknown, request: CheckIDRequest): Decision {
  try {
    return checkDecision(returned, true);
  } catch (error) {
    if (!(error instanceof OpenIDConfigError)) throw error;
    throw new AnswerError(error.message.replace(/^[^:]*: /, ''), error.option ?? 'decision', { returnTo: request.returnTo, namespace: request.namespace, cause: error });
  }
}

async function handleCheckID(options: ResolvedOptions, req: Request, res: Response, request: CheckIDRequest): Promise<void> {
  const startedAt = Date.now();
  sessionOf(req);
  // Relying party discovery only if the hook asks: an unauthenticated request must not make the OP fetch a URL.
  const returnToVerified = (): Promise<boolean> => request.returnToVerified();
  const returnToVerification = (): Promise<ReturnToVerification> => request.returnToVerification();
  const context: DecisionContext = { req, request, realm: request.realm.toString(), returnToVerified, returnToVerification, ...extensionContext(request) };
  const decision = decisionOf(await options.decide(context), request);
  if (decision.type !== 'interact') {
    const encoded = options.server.encodeResponse(await answerDecision(request, decision));
    emit(options.onEvent, decisionEvent(request, decision.type, startedAt));
    return send(res, encoded);
  }
  // An immediate request cannot wait for the user (§10.2.1).
  if (request.immediate) {
    emit(options.onEvent, decisionEvent(request, 'setup_needed', startedAt));
    return send(res, options.server.encodeResponse(request.setupNeeded()));
  }
  if (decision.url === undefined && !options.hasInteractionUrl) return send(res, options.server.encodeError(noInteractionPage(options, request)));
  const id = savePending(req, { args: request.message.toPostArgs(), secure: isSecure(req) }, options.interactionTtlMs, options.now());
  const target = options.interactionUrl(id, decision.url) as string;
  emit(options.onEvent, decisionEvent(request, 'interact', startedAt));
  protectFromFraming(res);
  return redirect(res, target);
}

function endpointHandler(options: ResolvedOptions): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    let request: DecodedRequest | undefined;
    const startedAt = Date.now();
    try {
      request = options.server.decodeRequest(argsOf(req), { secure: isSecure(req) });
      if (request === undefined) {
        return sendPage(res, 400, 'OpenID provider endpoint', 'This is an OpenID provider endpoint. It expects OpenID requests from relying parties.');
      }
      if (request instanceof CheckIDRequest) return await handleCheckID(options, req, res, request);
      const encoded = options.server.encodeResponse(await options.server.handleRequest(request));
      emit(options.onEvent, directEvent(request, encoded, startedAt));
      return send(res, encoded);
    } catch (error) {
      if (error instanceof ProtocolError) return sendProtocolError(options, res, error);
      if (error instanceof StoreError && request !== undefined) return sendProtocolError(options, res, storeFailure(request, error));
      return next(error);
    }
  };
}

/** The form body parser, whose errors (too large, too many parameters, bad charset) are answered here, never passed on as a 500. */
function bodyParser(options: ResolvedOptions): RequestHandler {
  const parse = express.urlencoded({ extended: false, limit: options.bodyLimit, parameterLimit: 1000 });
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      return sendBodyError(res, error, next);
    });
  };
}

function details(options: ResolvedOptions, req: Request, interactionId: unknown): InteractionDetails | undefined {
  const pending = findPending(req, interactionId, options.now());
  if (pending === undefined) return undefined;
  const request = options.server.decodeRequest(pending.args, { secure: pending.secure });
  if (!(request instanceof CheckIDRequest)) return undefined;
  return {
    id: interactionId as string,
    request,
    realm: request.realm.toString(),
    returnToVerified: () => request.returnToVerified(),
    returnToVerification: () => request.returnToVerification(),
    csrfToken: pending.csrfToken,
    ...extensionContext(request),
  };
}

async function resume(options: ResolvedOptions, req: Request, res: Response, input: ResumeInput): Promise<void> {
  protectFromFraming(res);
  const decision = checkDecision(input?.decision, false) as ResumeInput['decision'];
  let pending;
  try {
    pending = takePending(req, input.interactionId, input.csrfToken, options.now());
  } catch (error) {
    if (error instanceof InteractionNotFound || error instanceof InteractionInvalid) return sendPage(res, error.status, 'Sign-in request not found', error.message);
    if (error instanceof CsrfError) return sendPage(res, error.status, 'Sign-in form not verified', error.message);
    throw error;
  }
  let request: CheckIDRequest | undefined;
  try {
    request = pendingRequest(options, pending);
    const encoded = options.server.encodeResponse(await answerDecision(request, decision));
    emit(options.onEvent, decisionEvent(request, decision.type, Date.now()));
    return send(res, encoded);
  } catch (error) {
    if (error instanceof InteractionInvalid) return sendPage(res, error.status, 'Sign-in request not found', error.message);
    if (error instanceof ProtocolError) return sendProtocolError(options, res, error);
    if (error instanceof StoreError && request !== undefined) return sendProtocolError(options, res, storeFailure(request, error));
    throw error;
  }
}

/** The checkid request a pending interaction holds. @throws InteractionInvalid when it holds something else */
function pendingRequest(options: ResolvedOptions, pending: PendingInteraction): CheckIDRequest {
  let request: DecodedRequest | undefined;
  try {
    request = options.server.decodeRequest(pending.args, { secure: pending.secure });
  } catch (cause) {
    throw new InteractionInvalid(undefined, { cause });
  }
  if (!(request instanceof CheckIDRequest)) throw new InteractionInvalid();
  return request;
}

/**
 * Creates the provider router; mount it at the OP endpoint's path, after
 * express-session.
 * @throws OpenIDConfigError naming the option at fault
 */
export function openidProvider(providerOptions: ProviderOptions): ProviderRouter {
  const options = resolveOptions(providerOptions);
  const handler = endpointHandler(options);
  const parse = bodyParser(options);
  // The endpoint is the mount path itself: GET (and HEAD) and POST there,
  // anything else goes on to the app (a 404 unless it has its own route).
  // With the session option, only indirect requests (GET, or a POSTed checkid) run it: direct ones make no session.
  const withSession = (req: Request, res: Response, next: NextFunction, indirect: boolean): void => {
    if (options.session === undefined || !indirect) return void handler(req, res, next);
    options.session(req, res, (error?: unknown) => {
      if (error === undefined || error === null) void handler(req, res, next);
      else next(error);
    });
  };
  const router = ((req: Request, res: Response, next: NextFunction): void => {
    if (pathOf(req) !== '/') return next();
    if (req.method === 'GET' || req.method === 'HEAD') return withSession(req, res, next, true);
    if (req.method !== 'POST') return next();
    parse(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      const mode = (req.body as Record<string, unknown> | undefined)?.['openid.mode'];
      withSession(req, res, next, mode === 'checkid_setup' || mode === 'checkid_immediate');
    });
  }) as ProviderRouter;
  router.interactionDetails = (req, interactionId) => details(options, req, interactionId);
  router.resume = (req, res, input) => resume(options, req, res, input);
  return router;
}
