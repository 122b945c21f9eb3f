/**
 * Pending checkid requests while the user logs in or consents. Kept in the
 * user's session (so bound to the browser) under a random id, with a CSRF
 * token for the consent form; single use, expiring, at most a few per session.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { InteractionNotFound, OpenIDConfigError } from 'openid2-core';

/** One pending request, as kept in the session (plain data, so any session store can hold it). */
export interface PendingInteraction {
  /** The request's arguments, to decode again on resume. */
  args: Record<string, string>;
  secure: boolean;
  csrfToken: string;
  /** Milliseconds since the epoch. */
  expires: number;
}

const KEY = 'openidInteractions';
const MAX_PENDING = 10;

type SessionLike = Record<string, unknown> & { regenerate?: (callback: (error?: unknown) => void) => void };

/** The session, or a configuration error naming the missing middleware. */
export function sessionOf(req: Request): SessionLike {
  const session = (req as Request & { session?: SessionLike }).session;
  if (session === undefined || session === null) {
    throw new OpenIDConfigError('req.session is missing: did you forget express-session before the OpenID provider router?');
  }
  return session;
}

function table(req: Request): Record<string, PendingInteraction> {
  const session = sessionOf(req);
  const existing = session[KEY];
  if (existing !== undefined && typeof existing === 'object' && existing !== null) return existing as Record<string, PendingInteraction>;
  const created: Record<string, PendingInteraction> = {};
  session[KEY] = created;
  return created;
}

/** Saves a pending request; returns its id. Expired entries and the oldest surplus ones are dropped. */
export function savePending(req: Request, pending: Omit<PendingInteraction, 'csrfToken' | 'expires'>, ttlMs: number, now: number): string {
  const entries = table(req);
  for (const [id, entry] of Object.entries(entries)) if (!(entry.expires > now)) delete entries[id];
  const ids = Object.keys(entries);
  for (const id of ids.slice(0, Math.max(0, ids.length - MAX_PENDING + 1))) delete entries[id];
  const id = randomBytes(24).toString('base64url');
  entries[id] = { ...pending, csrfToken: randomBytes(24).toString('base64url'), expires: now + ttlMs };
  return id;
}

/** The pending interaction, or undefined when unknown (another browser's, used) or expired. */
export function findPending(req: Request, id: unknown, now: number): PendingInteraction | undefined {
  if (typeof id !== 'string') return undefined;
  const entries = table(req);
  const entry = Object.hasOwn(entries, id) ? entries[id] : undefined;
  if (entry === undefined || !(entry.expires > now)) return undefined;
  return entry;
}

/** Takes a pending interaction out (single use), after checking its CSRF token in constant time. */
export function takePending(req: Request, id: unknown, csrfToken: unknown, now: number): PendingInteraction {
  const entry = findPending(req, id, now);
  if (entry === undefined) throw new InteractionNotFound();
  const given = Buffer.from(typeof csrfToken === 'string' ? csrfToken : '');
  const expected = Buffer.from(entry.csrfToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    const error = new InteractionNotFound('The form could not be verified (missing or wrong CSRF token). Please try again.');
    error.status = 403;
    throw error;
  }
  delete table(req)[id as string];
  return entry;
}

/**
 * Regenerates the session (as an app should when the user logs in, against
 * session fixation) and carries the pending sign-in requests over, so the
 * user can still be sent back to the relying party afterwards.
 * @throws OpenIDConfigError when there is no express-session
 */
export async function regenerateSession(req: Request): Promise<void> {
  const session = sessionOf(req);
  if (typeof session.regenerate !== 'function') throw new OpenIDConfigError('req.session.regenerate is missing: regenerateSession needs express-session');
  const pending = session[KEY];
  await new Promise<void>((resolve, reject) => session.regenerate?.call(session, (error) => (error ? reject(error) : resolve())));
  if (pending !== undefined) sessionOf(req)[KEY] = pending;
}
