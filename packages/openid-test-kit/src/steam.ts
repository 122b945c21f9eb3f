/**
 * Steam mode: the provider speaks as Steam's does. Identifier select only;
 * every assertion signed with one association, handle `1234567890`, over a
 * fixed signed list; no associations offered (relying parties are
 * stateless); check_authentication confirms a signature only when the
 * request carries the relying party's Origin (or Referer).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Association, OPENID_NS, OPENID2_NS, type CheckAuthRequest } from 'openid2-core';
import { sendText } from './http.js';

/** Steam's signed list, in its order. */
export const STEAM_SIGNED_FIELDS = ['signed', 'op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'assoc_handle'] as const;

/** SteamID64s given to users without one. */
export const DEFAULT_STEAM_IDS = ['76561197960287930', '76561197960287931', '76561197960287932', '76561197960287933'] as const;

/** Steam's paths: the OP Identifier `/openid`, the endpoint `/openid/login`, identities `/openid/id/<SteamID64>`. */
export const steamPaths = { endpoint: '/openid/login', opIdentifier: '/openid' } as const;

/** The one association Steam signs with (a fresh secret per provider). */
export function steamAssociation(): Association {
  return new Association({ handle: '1234567890', secret: randomBytes(20), issued: Math.floor(Date.now() / 1000), lifetime: 10 ** 9, assocType: 'HMAC-SHA1' });
}

function originOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return undefined;
  }
}

/** Steam offers no associations: relying parties are stateless. */
export function refuseAssociation(res: ServerResponse): void {
  sendText(res, 400, 'text/plain; charset=utf-8', `ns:${OPENID2_NS}\nerror:associations are not offered\nerror_code:unsupported-type\n`);
}

/** Answers check_authentication: signature and Origin checked; nonces are not remembered, as Steam's are not known to be. */
export function answerSteamCheck(req: IncomingMessage, res: ServerResponse, request: CheckAuthRequest, association: Association): void {
  const returnTo = originOf(request.signed.getArg(OPENID_NS, 'return_to'));
  const from = originOf(req.headers.origin) ?? originOf(req.headers.referer);
  const valid = returnTo !== undefined && from === returnTo && association.verifyMessage(request.signed);
  sendText(res, 200, 'text/plain; charset=utf-8', `ns:${OPENID2_NS}\nis_valid:${valid}\n`);
}
