/**
 * `GET|POST /return`: the OP's answer, verified by the consumer (one path
 * for GET and POST; a POST's message is its body only). On success the
 * session is regenerated (no session fixation) before the identity goes in.
 * @see OpenID 2.0 §11
 */
import type { Request, Response } from 'express';
import { objectSession, type CompletionResult, type SuccessResult } from 'openid2-core';
import { emit, failureEvent, successEvent } from '../events.js';
import { redirect } from '../http-io.js';
import { extensionData } from '../extensions.js';
import { takeLoginState, transactionIdOf, type LoginState } from '../login-state.js';
import type { ResolvedConsumerOptions } from '../options.js';
import { regenerate, returnUrlOf, save, sessionOf } from '../request-context.js';
import { fail } from './failure.js';
import { answerArgs, needsResubmission, resubmit } from './resubmit.js';

/** What a successful login leaves in `req.session.openid`. */
export interface OpenIDSessionData {
  /** The verified claimed identifier: the key to the user's account. */
  claimedId: string;
  /** The claimed identifier without fragment, to show. */
  displayIdentifier: string;
  /** The OP-local identifier. */
  identity: string;
  /** The OP endpoint that signed. */
  opEndpoint: string;
  /** '2.0', '1.1' or '1.0'. */
  version: string;
  /** Signed profile fields (from SREG or AX), `{}` when none. */
  profile?: Record<string, string>;
  /**
   * Where each profile field came from: `'sreg'` or `'ax'` (AX wins where
   * both answer), for apps that trust only one of them. `{}` when no profile.
   */
  profileSources?: Record<string, 'sreg' | 'ax'>;
  /** The signed PAPE answer, when `pape` was asked for and answered. */
  pape?: { policies: string[]; authTime: string | undefined; levels: Record<string, string> };
  /**
   * The fields the router's preset added to the success (the Steam preset:
   * `{ steamId }`, read with `steamIdOf(req.session.openid)`).
   */
  presetData?: Record<string, unknown>;
  [key: string]: unknown;
}

async function succeed(options: ResolvedConsumerOptions, req: Request, res: Response, result: SuccessResult, state: LoginState | undefined): Promise<unknown> {
  // A new session id after login: no session fixation.
  await regenerate(sessionOf(req));
  const data: OpenIDSessionData = {
    claimedId: result.claimedId,
    displayIdentifier: result.displayIdentifier,
    identity: result.identity,
    opEndpoint: result.endpoint.opEndpoint,
    version: result.endpoint.version,
    ...(result.presetData === undefined ? {} : { presetData: { ...result.presetData } }),
    ...extensionData(options, result, state?.pape === true),
    ...options.sessionData?.(result),
  };
  sessionOf(req).openid = data;
  await save(sessionOf(req));
  emit(options, successEvent(result, state?.startedAt));
  const returnTo = state?.returnTo;
  if (options.onSuccess !== undefined) return options.onSuccess(req, res, result, { returnTo });
  return redirect(res, 303, returnTo ?? options.successRedirect);
}

export async function complete(options: ResolvedConsumerOptions, req: Request, res: Response): Promise<unknown> {
  const returnUrl = returnUrlOf(options, req);
  const session = objectSession(sessionOf(req));
  if (await needsResubmission(options.consumer, session, req, returnUrl)) return resubmit(req, res);
  res.setHeader('Cache-Control', 'no-store');
  const result: CompletionResult = await options.consumer.complete(session, answerArgs(req), returnUrl);
  // Taken whatever the outcome: a login's state is used once. The id is only read from the URL here, after complete() checked it.
  const state = takeLoginState(sessionOf(req), transactionIdOf(returnUrl));
  if (result.status === 'success') return succeed(options, req, res, result, state);
  const details = { identifier: state?.identifier, startedAt: state?.startedAt };
  if (result.status === 'setup_needed' && options.onSetupNeeded !== undefined) {
    emit(options, failureEvent(result, details));
    // §10.2.1: the immediate request cannot be answered without the user; the app may ask again with checkid_setup.
    return options.onSetupNeeded(req, res, { result, identifier: state?.identifier, returnTo: state?.returnTo });
  }
  return fail(options, req, res, result, details);
}
