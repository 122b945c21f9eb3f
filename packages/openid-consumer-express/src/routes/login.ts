/**
 * `GET|POST /login`: discovery, association, the transaction in the
 * session, and the user on their way to the OP. An identifier the user
 * typed must come from this site's form (login CSRF, see login-csrf.ts);
 * without one, the configured OP identifier is used. The app's
 * `loginOptions` hook may choose, per login, immediate mode, stateless
 * mode, the profile, PAPE and further extensions (login-options.ts).
 * @see OpenID 2.0 §7, §8, §9
 */
import type { Request, Response } from 'express';
import { objectSession, type AuthRequest } from 'openid2-core';
import { startFailure } from '../discovery-failure.js';
import { emit, emitBegun } from '../events.js';
import { refuseForgedLogin } from '../login-csrf.js';
import { checkLoginChoices, type LoginChoices } from '../login-options.js';
import { queryOf } from '../http-io.js';
import { buildLoginRequest, sendLoginRequest } from '../login-request.js';
import { keepLoginState } from '../login-state.js';
import type { LoginFailure, ResolvedConsumerOptions } from '../options.js';
import { baseOf, realmOf, sessionOf } from '../request-context.js';
import { isSafeReturnPath } from '../return-path.js';
import { fail } from './failure.js';

/** The form field holding the identifier the user typed. */
const IDENTIFIER_FIELD = 'openid_identifier';

/** The form field (POST) or query argument (GET) naming the page to go back to after sign-in. */
export const RETURN_TO_FIELD = 'returnTo';

function fieldOf(req: Request, name: string): unknown {
  const source: unknown = req.method === 'POST' ? req.body : queryOf(req);
  return source !== null && typeof source === 'object' ? (source as Record<string, unknown>)[name] : undefined;
}

/** The page to go back to: absent, a safe local path, or a refusal (never silently dropped: the link is wrong). */
function returnToOf(req: Request): { returnTo?: string; refusal?: LoginFailure } {
  const value = fieldOf(req, RETURN_TO_FIELD);
  if (value === undefined || value === '') return {};
  if (isSafeReturnPath(value)) return { returnTo: value };
  return { refusal: { status: 'failure', reason: 'invalid_return_to', message: 'The page to return to after sign-in must be a path on this site' } };
}

/** The identifier typed by the user (posted, checked by refuseForgedLogin), else the configured OP identifier. */
function identifierOf(options: ResolvedConsumerOptions, req: Request): { identifier: string | undefined; typed: boolean } {
  const input = req.method === 'POST' ? fieldOf(req, IDENTIFIER_FIELD) : undefined;
  if (typeof input === 'string' && input.trim() !== '') return { identifier: input.trim(), typed: true };
  return { identifier: options.opIdentifier, typed: false };
}

/**
 * Between begin and the request leaving: the discovery and association
 * events (made by this login, or reused from the store or a concurrent
 * login's request), and the app's `extendRequest`.
 */
async function prepare(options: ResolvedConsumerOptions, req: Request, auth: AuthRequest, login: { identifier: string; startedAt: number }): Promise<void> {
  emitBegun(options, auth, login);
  await options.extendRequest?.(auth, req);
}

/** The app's per-login choices, checked; a refusal when they do not fit. */
async function choicesOf(options: ResolvedConsumerOptions, req: Request): Promise<{ choices: LoginChoices; refusal?: LoginFailure }> {
  if (options.loginOptions === undefined) return { choices: {} };
  const checked = checkLoginChoices(await options.loginOptions(req));
  if ('problem' in checked) return { choices: {}, refusal: { status: 'failure', reason: 'invalid_login_options', message: checked.problem } };
  return checked;
}

export async function login(options: ResolvedConsumerOptions, req: Request, res: Response): Promise<unknown> {
  // Before anything is fetched: a forged login must not even reach the attacker's OP.
  const forged = refuseForgedLogin(req, new URL(baseOf(options, req)).origin, IDENTIFIER_FIELD);
  if (forged !== undefined) return fail(options, req, res, forged);
  const back = returnToOf(req);
  if (back.refusal !== undefined) return fail(options, req, res, back.refusal);
  const { choices, refusal } = await choicesOf(options, req);
  if (refusal !== undefined) return fail(options, req, res, refusal);
  const { identifier, typed } = identifierOf(options, req);
  if (identifier === undefined) return fail(options, req, res, { status: 'failure', reason: 'missing_identifier', message: 'Enter your OpenID identifier' });
  const immediate = choices.immediate === true;
  const startedAt = Date.now();
  emit(options, { event: 'login_started', identifier, immediate, ...(choices.stateless === undefined ? {} : { stateless: choices.stateless }) });
  const pape = choices.pape ?? options.pape;
  let built;
  try {
    built = await buildLoginRequest(options.consumer, objectSession(sessionOf(req)), {
      ...{ identifier, immediate, stateless: choices.stateless, realm: realmOf(options, req), returnTo: `${baseOf(options, req)}/return` },
      ...{ profile: choices.profile ?? options.profile, pape, extensions: choices.extensions ?? [] },
      prepare: (auth) => prepare(options, req, auth, { identifier, startedAt }),
    });
  } catch (error) {
    const failure = startFailure(options, error, identifier, typed);
    if (failure === undefined) throw error;
    return fail(options, req, res, failure, { identifier, startedAt });
  }
  const returnTo = choices.returnTo ?? back.returnTo;
  keepLoginState(sessionOf(req), built.auth.transactionId, { identifier, immediate, startedAt, ...(returnTo === undefined ? {} : { returnTo }), ...(pape === undefined ? {} : { pape: true }) });
  return sendLoginRequest(res, built.indirect);
}
