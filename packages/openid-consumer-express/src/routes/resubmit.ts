/**
 * Answers that arrive without the session cookie. An OP sends an assertion
 * too long for a URL as an auto-submitting form: a cross-site POST, on which
 * browsers withhold `SameSite=Lax` cookies (and `Strict` ones even on
 * cross-site GET navigations). The session then looks empty and the
 * transaction named in return_to is not found.
 *
 * The answer is a page on this site that sends the same request again
 * (a same-site navigation now, so the cookie goes along). The transaction
 * must still be in *this* browser's session: an answer carried to another
 * browser finds nothing there, so login-CSRF protection is unchanged. It
 * happens once per answer (a marker field stops loops), the page sets no
 * cookie, runs no other script (CSP with the script's hash) and cannot be
 * framed.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { escapeHTML, type Consumer, type ConsumerSessionStore, type MessageArgs } from 'openid2-core';
import { readFormPairs, TRANSACTION_PARAM } from 'openid2-core/internals';
import { sendBody } from '../http-io.js';
import { dropFreshSession, queryString } from '../request-context.js';

/** The field (POST) or query argument (GET) marking a resubmitted answer. */
export const RESUBMITTED = 'openid_resubmitted';

const SCRIPT = 'document.forms[0].submit();';
const SCRIPT_HASH = createHash('sha256').update(SCRIPT).digest('base64');
const CSP = `default-src 'none'; script-src 'sha256-${SCRIPT_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`;

function bodyOf(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  return body !== null && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

/**
 * Whether the answer names a transaction this session does not hold, and
 * was not resubmitted already. The router's return route and the Passport
 * strategy both ask it.
 * @param currentUrl the absolute URL the answer arrived at
 */
export async function needsResubmission(consumer: Consumer, session: ConsumerSessionStore, req: Request, currentUrl: string): Promise<boolean> {
  const query = new URLSearchParams(queryString(req));
  if (query.get(TRANSACTION_PARAM) === null || query.has(RESUBMITTED)) return false;
  if (req.method === 'POST' && bodyOf(req)[RESUBMITTED] !== undefined) return false;
  return !(await consumer.hasTransactionFor(session, currentUrl));
}

/** The answer's message arguments: the urlencoded body of a POST (only), the query of a GET; never the resubmission marker. */
export function answerArgs(req: Request): MessageArgs {
  if (req.method === 'POST') return Object.fromEntries(Object.entries(bodyOf(req)).filter(([key]) => key !== RESUBMITTED));
  // Read as URLSearchParams reads it, faster on a query that carries the whole response.
  return readFormPairs(queryString(req)).filter(([key]) => key !== RESUBMITTED);
}

function hiddenInputs(pairs: Iterable<[string, string]>): string {
  return [...pairs].map(([name, value]) => `<input type="hidden" name="${escapeHTML(name)}" value="${escapeHTML(value)}">`).join('\n');
}

/** The page that sends the answer again from this site. */
export function resubmit(req: Request, res: Response): void {
  let form: string;
  if (req.method === 'POST') {
    const fields = Object.entries(bodyOf(req)).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    form = `<form method="post" action="${escapeHTML(req.originalUrl)}">\n${hiddenInputs(fields)}\n${hiddenInputs([[RESUBMITTED, '1']])}`;
  } else {
    // A GET form replaces the action's query with its fields: all of them go as fields.
    const path = req.originalUrl.split('?')[0] ?? '/';
    form = `<form method="get" action="${escapeHTML(path)}">\n${hiddenInputs(new URLSearchParams(queryString(req)))}\n${hiddenInputs([[RESUBMITTED, '1']])}`;
  }
  dropFreshSession(req);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Security-Policy', CSP);
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  sendBody(
    res,
    'html',
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Signing in…</title></head><body>\n${form}\n<noscript><p>Press Continue to finish signing in.</p></noscript>\n<input type="submit" value="Continue">\n</form>\n<script>${SCRIPT}</script>\n</body></html>\n`,
  );
}
