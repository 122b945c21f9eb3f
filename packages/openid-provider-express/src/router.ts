/**
 * The provider router: the OpenID endpoint (GET and POST), the decision
 * hook, and the interaction round trip. The app renders its pages; this
 * router writes every protocol response.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import {
  CheckIDRequest,
  InteractionNotFound,
  OpenIDConfigError,
  PAPE_1_0_NS,
  PapeRequest,
  PapeResponse,
  ProtocolError,
  answerProfile,
  requestedProfile,
  type DecodedRequest,
} from 'openid-core';
import { findPending, savePending, sessionOf, takePending } from './interaction.js';
import { resolveOptions, type Decision, type DecisionContext, type ProviderOptions, type ResolvedOptions } from './options.js';
import { protectFromFraming, send, sendPage } from './send.js';

/** What an app's login/consent page needs to know about a pending request. */
export interface InteractionDetails {
  id: string;
  request: CheckIDRequest;
  realm: string;
  returnToVerified: boolean;
  /** Put it in the consent form and pass it back to `resume`. */
  csrfToken: string;
}

export interface ProviderRouter extends Router {
  /** The pending request of an interaction, or undefined when unknown or expired. */
  interactionDetails(req: Request, interactionId: unknown): InteractionDetails | undefined;
  /**
   * Finishes an interaction: checks the CSRF token, removes the pending
   * request (single use) and sends the answer to the relying party.
   */
  resume(req: Request, res: Response, input: { interactionId: unknown; csrfToken: unknown; decision: Decision }): Promise<void>;
}

/** Arguments of a request: the raw query for GET (no qs nesting), the form body only for POST (§4.1.2). */
function argsOf(req: Request): URLSearchParams | Record<string, unknown> {
  if (req.method === 'POST') return (req.body ?? {}) as Record<string, unknown>;
  const query = req.originalUrl.indexOf('?');
  return new URLSearchParams(query < 0 ? '' : req.originalUrl.slice(query + 1));
}

function flatten(request: CheckIDRequest): Record<string, string> {
  return request.message.toPostArgs();
}

async function answer(options: ResolvedOptions, res: Response, request: CheckIDRequest, decision: Decision): Promise<void> {
  if (decision.type === 'allow') {
    const { type: _type, profile, pape, extensions, ...identifiers } = decision;
    const all = [...(extensions ?? [])];
    if (profile !== undefined) all.push(...answerProfile(request.message, profile));
    if (pape !== undefined && PapeRequest.fromMessage(request.message) !== undefined) {
      const authTime = pape.authTime?.toISOString().replace(/\.\d{3}Z$/, 'Z');
      all.push({ namespace: PAPE_1_0_NS, args: new PapeResponse(pape.policies, authTime).toArgs() });
    }
    send(res, options.server.encodeResponse(await request.answer(true, { ...identifiers, extensions: all })));
    return;
  }
  send(res, options.server.encodeResponse(await request.answer(false)));
}

function extensionContext(request: CheckIDRequest): Pick<DecisionContext, 'requested' | 'pape'> {
  let pape;
  try {
    pape = PapeRequest.fromMessage(request.message);
  } catch {
    pape = undefined;
  }
  return {
    requested: requestedProfile(request.message),
    pape: pape === undefined ? undefined : { preferredPolicies: pape.preferredPolicies, maxAuthAge: pape.maxAuthAge },
  };
}

async function handleCheckID(options: ResolvedOptions, req: Request, res: Response, request: CheckIDRequest): Promise<void> {
  const returnToVerified = await request.returnToVerified();
  const decision = await options.decide({ req, request, realm: request.realm.toString(), returnToVerified, ...extensionContext(request) });
  if (decision.type !== 'interact') return answer(options, res, request, decision);
  // An immediate request cannot wait for the user (§10.2.1).
  if (request.immediate) return send(res, options.server.encodeResponse(request.setupNeeded()));
  const id = savePending(req, { args: flatten(request), secure: req.secure, returnToVerified }, options.interactionTtlMs);
  res.redirect(303, options.interactionUrl(id));
}

function endpointHandler(options: ResolvedOptions) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    protectFromFraming(res);
    let request: DecodedRequest | undefined;
    try {
      request = options.server.decodeRequest(argsOf(req), { secure: req.secure });
    } catch (error) {
      if (error instanceof ProtocolError) return send(res, options.server.encodeError(error));
      return next(error);
    }
    if (request === undefined) {
      return sendPage(res, 400, 'OpenID provider endpoint', 'This is an OpenID provider endpoint. It expects OpenID requests from relying parties.');
    }
    try {
      if (request instanceof CheckIDRequest) {
        sessionOf(req);
        await handleCheckID(options, req, res, request);
      } else {
        send(res, options.server.encodeResponse(await options.server.handleRequest(request)));
      }
    } catch (error) {
      if (error instanceof ProtocolError) return send(res, options.server.encodeError(error));
      next(error);
    }
  };
}

/** Creates the provider router; mount it at the OP endpoint's path. */
export function openidProvider(providerOptions: ProviderOptions): ProviderRouter {
  const options = resolveOptions(providerOptions);
  const router = express.Router() as ProviderRouter;
  const handler = endpointHandler(options);
  router.get('/', handler);
  router.post('/', express.urlencoded({ extended: false, limit: options.bodyLimit, parameterLimit: 1000 }), handler);

  router.interactionDetails = (req, interactionId) => {
    const pending = findPending(req, interactionId);
    if (pending === undefined) return undefined;
    const request = options.server.decodeRequest(pending.args, { secure: pending.secure });
    if (!(request instanceof CheckIDRequest)) return undefined;
    return { id: interactionId as string, request, realm: request.realm.toString(), returnToVerified: pending.returnToVerified, csrfToken: pending.csrfToken };
  };

  router.resume = async (req, res, input) => {
    protectFromFraming(res);
    if (input.decision.type === 'interact') throw new OpenIDConfigError('resume needs an allow or deny decision', 'decision');
    let pending;
    try {
      pending = takePending(req, input.interactionId, input.csrfToken);
    } catch (error) {
      if (error instanceof InteractionNotFound) return sendPage(res, error.status, 'Sign-in request not found', error.message);
      throw error;
    }
    const request = options.server.decodeRequest(pending.args, { secure: pending.secure });
    if (!(request instanceof CheckIDRequest)) return sendPage(res, 400, 'Sign-in request not found', 'The pending request is not a sign-in request.');
    try {
      await answer(options, res, request, input.decision);
    } catch (error) {
      if (error instanceof ProtocolError) return send(res, options.server.encodeError(error));
      throw error;
    }
  };
  return router;
}
