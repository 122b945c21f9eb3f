/**
 * What the middleware remembers about one login between `/login` and
 * `/return`: the path to go back to, the identifier and whether the request
 * was immediate. It lives in the session next to the consumer's
 * transaction, keyed by the transaction id (the id in return_to), so it is
 * never carried in a URL the OP or the user could change, and it is taken
 * (read and deleted) when the answer arrives.
 */
import { TRANSACTION_PARAM } from 'openid2-core/internals';
import type { SessionObject } from './request-context.js';

/** Where the records live in `req.session`. */
const SESSION_KEY = 'openidLogins';
/** Logins a session may have open at once (more tabs than that: the oldest is forgotten). */
const MAX_OPEN = 8;

export interface LoginState {
  /** The same-origin path to go to after success. */
  returnTo?: string;
  /** What the user typed, or the OP identifier used. */
  identifier?: string;
  /** Whether checkid_immediate was sent. */
  immediate?: boolean;
  /** Whether PAPE was asked for (the answer is then read into the session). */
  pape?: boolean;
  /** When /login started, in milliseconds (for durations in events). */
  startedAt?: number;
}

function recordsOf(session: SessionObject): Record<string, LoginState> {
  const records = session[SESSION_KEY];
  return records !== null && typeof records === 'object' ? (records as Record<string, LoginState>) : {};
}

/** Keeps the state of the login whose transaction id is `transactionId`. */
export function keepLoginState(session: SessionObject, transactionId: string, state: LoginState): void {
  const entries = Object.entries(recordsOf(session)).filter(([id]) => id !== transactionId);
  entries.push([transactionId, state]);
  session[SESSION_KEY] = Object.fromEntries(entries.slice(-MAX_OPEN));
}

/** The transaction id named by the URL the answer arrived at, if any. */
export function transactionIdOf(currentUrl: string): string | undefined {
  if (!URL.canParse(currentUrl)) return undefined;
  return new URL(currentUrl).searchParams.get(TRANSACTION_PARAM) ?? undefined;
}

/** Takes (reads and forgets) the state of a login; `undefined` when none was kept. */
export function takeLoginState(session: SessionObject, transactionId: string | undefined): LoginState | undefined {
  if (transactionId === undefined) return undefined;
  const records = recordsOf(session);
  if (!Object.hasOwn(records, transactionId)) return undefined;
  const state = records[transactionId];
  const rest = Object.fromEntries(Object.entries(records).filter(([id]) => id !== transactionId));
  if (Object.keys(rest).length === 0) delete session[SESSION_KEY];
  else session[SESSION_KEY] = rest;
  return state;
}
