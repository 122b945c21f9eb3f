/**
 * `GET|POST /login`: discovery, association, the transaction in the
 * session, and the user on their way to the OP. An identifier the user
 * typed must come from this site's form (login CSRF, see login-csrf.ts);
 * without one, the configured OP identifier is used.
 * @see OpenID 2.0 §7, §8, §9
 */
import type { Request, Response } from 'express';
import { DiscoveryError } from 'openid2-core';
import { addExtensions } from '../extensions.js';
import { refuseForgedLogin } from '../login-csrf.js';
import type { ResolvedConsumerOptions } from '../options.js';
import { baseOf, realmOf } from '../request-context.js';
import { consumerFor } from './consumer-for.js';
import { fail } from './failure.js';

/** The form field holding the identifier the user typed. */
const IDENTIFIER_FIELD = 'openid_identifier';

/** The identifier typed by the user (posted, checked by refuseForgedLogin), else the configured OP identifier. */
function identifierOf(options: ResolvedConsumerOptions, req: Request): string | undefined {
  const input = req.method === 'POST' ? ((req.body ?? {}) as Record<string, unknown>)[IDENTIFIER_FIELD] : undefined;
  if (typeof input === 'string' && input.trim() !== '') return input.trim();
  return options.opIdentifier;
}

export async function login(options: ResolvedConsumerOptions, req: Request, res: Response): Promise<unknown> {
  // Before anything is fetched: a forged login must not even reach the attacker's OP.
  const forged = refuseForgedLogin(req, new URL(baseOf(options, req)).origin, IDENTIFIER_FIELD);
  if (forged !== undefined) return fail(options, req, res, forged);
  const identifier = identifierOf(options, req);
  if (identifier === undefined) return fail(options, req, res, { status: 'failure', reason: 'missing_identifier', message: 'Enter your OpenID identifier' });
  let auth;
  try {
    auth = await consumerFor(options, req).begin(identifier);
  } catch (error) {
    if (error instanceof DiscoveryError) return fail(options, req, res, { status: 'failure', reason: 'discovery_failed', message: error.message });
    throw error;
  }
  addExtensions(options, auth);
  await options.extendRequest?.(auth, req);
  const indirect = auth.indirect(realmOf(options, req), `${baseOf(options, req)}/return`);
  res.setHeader('Cache-Control', 'no-store');
  if (indirect.kind === 'redirect') return res.redirect(303, indirect.url);
  // Too long for a URL (§5.2.2): a page that posts the request to the OP.
  return res.type('html').send(indirect.html);
}
