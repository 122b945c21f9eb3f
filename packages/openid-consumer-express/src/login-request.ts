/**
 * One authentication request, built the same way by both adapters, the
 * router's /login and the Passport strategy: begin (discovery, and an
 * association unless stateless), the profile request in the extensions the
 * endpoint advertises (SREG 1.1 or 1.0, AX in OpenID 2.0 only), PAPE, any
 * further extensions, then the indirect message: a redirect, or a page that
 * posts the request when its URL would be longer than 2,047 characters.
 * @see OpenID 2.0 §5.2, §9
 */
import type { ServerResponse } from 'node:http';
import type { AuthRequest, Consumer, ConsumerSessionStore, IndirectEncoding } from 'openid2-core';
import { addExtensions } from './extensions.js';
import { redirect, sendBody } from './http-io.js';
import type { Extension } from 'openid2-core';
import type { ConsumerMiddlewareOptions } from './options.js';

/** What one login asks for, and where the answer goes. */
export interface LoginRequestSpec {
  /** What the user typed, or the OP identifier. */
  identifier: string;
  /** The realm the user is asked to trust; it must cover `returnTo`. */
  realm: string;
  /** The absolute URL the OP answers at (the transaction id is added to it). */
  returnTo: string;
  profile?: ConsumerMiddlewareOptions['profile'];
  pape?: ConsumerMiddlewareOptions['pape'];
  /** Further extension requests, added after the profile and PAPE ones. */
  extensions?: readonly Extension[];
  /** checkid_immediate (§9.3). */
  immediate?: boolean;
  /** This login's own choice over the consumer's `stateless`. */
  stateless?: boolean | undefined;
  /** Called once the request is begun and its extensions added, before it is encoded (events, `extendRequest`). */
  prepare?: (auth: AuthRequest) => unknown;
}

/** A begun login and its request to the OP, ready to send. */
export interface LoginRequest {
  auth: AuthRequest;
  indirect: IndirectEncoding;
}

/**
 * Begins the login in the session and builds its request.
 * @throws DiscoveryError when the identifier leads to no usable OP endpoint
 * @throws OpenIDConfigError when the realm does not cover `returnTo`
 */
export async function buildLoginRequest(consumer: Consumer, session: ConsumerSessionStore, spec: LoginRequestSpec): Promise<LoginRequest> {
  const auth = await consumer.begin(session, spec.identifier, { stateless: spec.stateless });
  addExtensions({ profile: spec.profile, pape: spec.pape }, auth);
  for (const extension of spec.extensions ?? []) auth.addExtension(extension);
  await spec.prepare?.(auth);
  const immediate = spec.immediate === true;
  return { auth, indirect: auth.indirect(spec.realm, spec.returnTo, { immediate }) };
}

/** Sends the request as the router does: a 303 redirect, or the page that posts it; never cached (it carries a one-time transaction). */
export function sendLoginRequest(res: ServerResponse, indirect: IndirectEncoding): void {
  res.setHeader('Cache-Control', 'no-store');
  if (indirect.kind === 'redirect') return redirect(res, 303, indirect.url);
  // Too long for a URL (§5.2.2): a page that posts the request to the OP.
  return sendBody(res, 'html', indirect.html);
}
