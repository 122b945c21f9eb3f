// Small HTTP helpers both example sites share.
import { randomBytes, timingSafeEqual } from 'node:crypto';

/** Pages with personal data are never kept by the browser: Back after sign-out asks the server again. */
export function noStore(req, res, next) {
  res.setHeader('Cache-Control', 'no-store');
  next();
}

/** Compares a submitted token with the expected one in constant time; false for anything but a string of the same length. */
export function tokenMatches(expected, given) {
  if (typeof expected !== 'string' || typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The session's token for the site's own forms (sign-out, revoke), created on first use. */
export function formToken(req) {
  if (typeof req.session.formToken !== 'string') req.session.formToken = randomBytes(24).toString('base64url');
  return req.session.formToken;
}
