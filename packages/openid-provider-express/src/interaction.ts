/**
 * Pending checkid requests while the user logs in or consents. Kept in the
 * user's session (so bound to the browser) under a random id, with a CSRF
 * token for the consent form; single use, expiring, at most a few per session.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { CsrfError, InteractionInvalid, InteractionNotFound, OpenIDConfigError } from 'openid2-core';

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

/** Whether a session entry is an object that has not expired (anything else in the table counts as gone). */
function live(entry: PendingInteraction | null | undefined, now: number): boolean {
  return typeof entry === 'object' && entry !== null && entry.expires > now;
}

/** Saves a pending request; returns its id. Expired entries and the oldest surplus ones are dropped. */
export function savePending(req: Request, pending: Omit<PendingInteraction, 'csrfToken' | 'expires'>, ttlMs: number, now: number): string {
  const entries = table(req);
  for (const [id, entry] of Object.entries(entries)) if (!live(entry, now)) delete entries[id];
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
  if (entry === undefined || !live(entry, now)) return undefined;
  return entry;
}

/** Whether a session entry has the shape savePending gave it (a session store or a client-side session may have altered it). */
function isPendingInteraction(entry: PendingInteraction): boolean {
  const { args, secure, csrfToken } = entry as Partial<Record<keyof PendingInteraction, unknown>>;
  return typeof secure === 'boolean' && typeof csrfToken === 'string' && csrfToken !== '' &&
    args !== null && typeof args === 'object' && !Array.isArray(args) && Object.values(args).every((value) => typeof value === 'string');
}

/**
 * Takes a pending interaction out (single use), after checking its CSRF token in constant time.
 * @throws InteractionNotFound when unknown or expired, InteractionInvalid when the session holds something else under the id, CsrfError for a missing or wrong token
 */
export function takePending(req: Request, id: unknown, csrfToken: unknown, now: number): PendingInteraction {
  const entry = findPending(req, id, now);
  if (entry === undefined) throw new InteractionNotFound();
  if (!isPendingInteraction(entry)) {
    delete table(req)[id as string];
    throw new InteractionInvalid();
  }
  const given = Buffer.from(typeof csrfToken === 'string' ? csrfToken : '');
  const expected = Buffer.from(entry.csrfToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new CsrfError();
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
