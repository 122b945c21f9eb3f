/**
 * Login CSRF at `/login`: a login with an identifier the user typed must
 * come from this site's own form. Otherwise any page (or link) could start
 * a login with the attacker's identifier in the victim's session, the
 * attacker's OP would approve at once, and the victim would come back
 * signed in as the attacker. Refusing unsolicited assertions does not help
 * there: the login really was started in the victim's session.
 *
 * The proof is a per-session token in the form, compared in constant time,
 * plus what the browser says about where the form came from
 * (`Sec-Fetch-Site`, else `Origin`). A login with the configured OP
 * identifier ("Sign in through Steam") carries no user input: it cannot
 * sign anyone in as someone else, so it stays a plain link.
 *
 * One home for the rule: the router and the Passport strategy both call
 * {@link refuseForgedLogin}.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { escapeHTML } from 'openid2-core';
import { header, queryOf } from './http-io.js';
import type { RefusedRequest } from './options.js';
import { sessionOf } from './request-context.js';

/** The form field carrying the token. */
export const LOGIN_CSRF_FIELD = 'openid_csrf';

/** Where the token lives in `req.session`. */
const SESSION_KEY = 'openidLoginCsrf';

/**
 * This session's login token (created on first use, 32 random bytes); put
 * it in every form that posts an identifier to `/login`, as the field
 * `openid_csrf` ({@link loginCsrfField} writes the input).
 * @throws OpenIDConfigError when express-session is missing
 */
export function loginCsrfToken(req: Request): string {
  const session = sessionOf(req);
  const current = session[SESSION_KEY];
  if (typeof current === 'string' && current !== '') return current;
  const token = randomBytes(32).toString('base64url');
  session[SESSION_KEY] = token;
  return token;
}

/** The hidden input carrying this session's login token, HTML-escaped, for the sign-in form. */
export function loginCsrfField(req: Request): string {
  return `<input type="hidden" name="${LOGIN_CSRF_FIELD}" value="${escapeHTML(loginCsrfToken(req))}">`;
}

function sameToken(given: string, expected: string): boolean {
  // Digests have one length, so the comparison takes the same time whatever was sent.
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

function has(record: unknown, key: string): boolean {
  return record !== null && typeof record === 'object' && Object.hasOwn(record, key);
}

/** Why the browser's own headers show a request from elsewhere, if they do. */
function elsewhere(req: Request, ownOrigin: string): string | undefined {
  // Fetch Metadata: 'same-site' is a sibling origin (another subdomain), which may be someone else's.
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return `the browser reports a ${site} request`;
  const origin = header(req, 'origin');
  if (origin !== undefined && origin !== ownOrigin) return `the request comes from ${origin === 'null' ? 'an opaque origin' : 'another origin'}`;
  return undefined;
}

const refusal = (detail: string): RefusedRequest => ({
  status: 'failure',
  reason: 'csrf_failed',
  message: `This sign-in did not come from this site's sign-in form (${detail}). Go back to the form and try again.`,
  httpStatus: 403,
});

/**
 * Checks a login request before anything is fetched: `undefined` when it
 * may start (it names no identifier, so the configured OP identifier is
 * used; or it is a POST from this origin with this session's token),
 * otherwise the refusal (`csrf_failed`, 403).
 * @param ownOrigin the origin the sign-in form is served from (of baseUrl or returnURL)
 * @param field the identifier's field name
 */
export function refuseForgedLogin(req: Request, ownOrigin: string, field: string): RefusedRequest | undefined {
  const body: unknown = req.body;
  const inQuery = has(queryOf(req), field);
  const inBody = req.method === 'POST' && has(body, field);
  if (!inQuery && !inBody) return undefined;
  // A link can carry an identifier but no secret: an identifier in a URL is never followed.
  if (req.method !== 'POST' || inQuery) return refusal('an identifier in the URL; post it from the form');
  const away = elsewhere(req, ownOrigin);
  if (away !== undefined) return refusal(away);
  const expected = sessionOf(req)[SESSION_KEY];
  if (typeof expected !== 'string' || expected === '') return refusal('this session has no sign-in token: the form expired or was never shown');
  const given = (body as Record<string, unknown>)[LOGIN_CSRF_FIELD];
  if (typeof given !== 'string' || !sameToken(given, expected)) return refusal(`the ${LOGIN_CSRF_FIELD} token is missing or wrong`);
  return undefined;
}
