/**
 * A local stand-in for Steam's OpenID provider, behaving as Steam's does:
 * identifier select only (anything else is an error page), every answer
 * signed with the one association handle `1234567890` over a fixed signed
 * list, claimed identifiers `<base>/openid/id/<SteamID64>` with XRDS naming
 * the endpoint, and check_authentication answered `is_valid:true` only when
 * the request carries the relying party's Origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Association, IDENTIFIER_SELECT, Message, OPENID2_NS, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE, OPENID_NS } from 'openid2-core';
import { makeNonce } from 'openid2-core/internals';
import { startServer, type TestServer } from './http.js';

/** Steam's fixed signed list. */
export const STEAM_SIGNED_FIELDS = ['signed', 'op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'assoc_handle'] as const;

export interface SteamStandIn {
  http: TestServer;
  /** `http://127.0.0.1:<port>`: give it to `steamPreset({ steamBase })`. */
  base: string;
  endpoint: string;
  /** The SteamID64 the next login asserts. */
  steamId: string;
  /** The Origin check_authentication must carry. */
  origin: string;
  /** Whether a nonce is confirmed only once (Steam is not known to refuse a second check). */
  singleUse: boolean;
  /** check_authentication requests: their Origin and Referer. */
  checks: Array<{ origin: string | undefined; referer: string | undefined }>;
  /** associate requests received (a Steam relying party sends none). */
  associateRequests: number;
  close(): Promise<void>;
}

function xrds(type: string, endpoint: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service priority="0"><Type>${type}</Type><URI>${endpoint}</URI></Service></XRD></xrds:XRDS>`;
}

function answerCheckID(steam: SteamStandIn, association: Association, url: URL, res: ServerResponse): void {
  const returnTo = url.searchParams.get('openid.return_to');
  if (url.searchParams.get('openid.claimed_id') !== IDENTIFIER_SELECT || returnTo === null) {
    res.writeHead(400, { 'content-type': 'text/html' }).end('<html><body>Steam accepts identifier select only</body></html>');
    return;
  }
  const claimed = `${steam.base}/openid/id/${steam.steamId}`;
  const response = new Message(OPENID2_NS);
  response.updateArgs(OPENID_NS, { mode: 'id_res', op_endpoint: steam.endpoint, claimed_id: claimed, identity: claimed, return_to: returnTo, response_nonce: makeNonce() });
  association.signMessage(response, STEAM_SIGNED_FIELDS);
  res.writeHead(302, { location: response.toURL(returnTo) }).end();
}

function answerDirect(steam: SteamStandIn, association: Association, used: Set<string>, req: IncomingMessage, body: string, res: ServerResponse): void {
  const message = Message.fromPostArgs(new URLSearchParams(body));
  if (message.getArg(OPENID_NS, 'mode') === 'associate') {
    steam.associateRequests += 1;
    res.writeHead(400, { 'content-type': 'text/plain' }).end(`ns:${OPENID2_NS}\nerror:associations are not offered\nerror_code:unsupported-type\n`);
    return;
  }
  steam.checks.push({ origin: req.headers.origin, referer: req.headers.referer });
  message.setArg(OPENID_NS, 'mode', 'id_res');
  const nonce = message.getArg(OPENID_NS, 'response_nonce') ?? '';
  const valid = req.headers.origin === steam.origin && association.verifyMessage(message) && !(steam.singleUse && used.has(nonce));
  used.add(nonce);
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`ns:${OPENID2_NS}\nis_valid:${valid}\n`);
}

/** Starts the stand-in on 127.0.0.1. */
export async function startSteamStandIn(options: { origin: string; steamId?: string }): Promise<SteamStandIn> {
  const association = new Association({ handle: '1234567890', secret: Buffer.alloc(20, 7), issued: 0, lifetime: 10 ** 10, assocType: 'HMAC-SHA1' });
  const used = new Set<string>();
  const steam = { origin: options.origin, steamId: options.steamId ?? '76561197960287930', singleUse: true, checks: [], associateRequests: 0 } as unknown as SteamStandIn;
  steam.http = await startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', steam.base);
    if (url.pathname === '/openid') res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrds(OPENID_IDP_2_0_TYPE, steam.endpoint));
    else if (/^\/openid\/id\/\d{17}$/.test(url.pathname)) res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrds(OPENID_2_0_TYPE, steam.endpoint));
    else if (url.pathname === '/openid/login' && req.method === 'GET') answerCheckID(steam, association, url, res);
    else if (url.pathname === '/openid/login' && req.method === 'POST') answerDirect(steam, association, used, req, body, res);
    else res.writeHead(404).end();
  });
  steam.base = steam.http.url;
  steam.endpoint = `${steam.base}/openid/login`;
  steam.close = () => steam.http.close();
  return steam;
}
