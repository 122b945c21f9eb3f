/**
 * The attacker's server beside the hostile provider: its own OpenID
 * endpoint (which honestly confirms its own signatures), an endpoint that
 * calls any signature valid, identity pages copying the victim's (they name
 * the honest provider's endpoint, so an assertion from here never matches
 * them), and Steam-like identity pages of its own.
 */
import { CheckIDRequest, MemoryStore, OPENID2_NS, ProtocolError, Server, type Association } from 'openid2-core';
import { identityXrds, serveIdentityPage } from './discovery-pages.js';
import { sendText, startLoopbackServer } from './http.js';

export interface AttackerServer {
  base: string;
  endpoint: string;
  /** Answers `is_valid:true` to every check_authentication. */
  lenientEndpoint: string;
  /** A fresh private association of the attacker's provider (check_authentication at `endpoint` confirms it once). */
  association(): Promise<Association>;
  close(): Promise<void>;
}

/** Starts the attacker's server; `honestEndpoint` is the endpoint its copied identity pages name. */
export async function startAttackerServer(honestEndpoint: () => string): Promise<AttackerServer> {
  let server: Server | undefined;
  const http = await startLoopbackServer(async (req, res, body) => {
    const url = new URL(req.url ?? '/', http.base);
    const path = url.pathname;
    if (path === '/lenient') return sendText(res, 200, 'text/plain; charset=utf-8', `ns:${OPENID2_NS}\nis_valid:true\n`);
    if (path === '/openid' && server !== undefined) {
      try {
        const request = server.decodeRequest(new URLSearchParams(req.method === 'POST' ? body : url.search), { secure: false });
        if (request === undefined || request instanceof CheckIDRequest) return sendText(res, 400, 'text/plain', 'not an endpoint for logins');
        const encoded = server.encodeResponse(await server.handleRequest(request));
        return sendText(res, encoded.status, encoded.headers['content-type'] ?? 'text/plain', encoded.body);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        const encoded = server.encodeError(error);
        return sendText(res, encoded.status, encoded.headers['content-type'] ?? 'text/plain', encoded.body);
      }
    }
    const self = `${http.base}${path}`;
    if (/^\/openid\/id\/\d+$/.test(path)) return sendText(res, 200, 'application/xrds+xml', identityXrds(`${http.base}/openid`, self, false));
    if (path.startsWith('/user/')) return serveIdentityPage(req, res, url, honestEndpoint(), self);
    return sendText(res, 404, 'text/plain', 'not found');
  });
  server = new Server({ store: new MemoryStore(), opEndpoint: `${http.base}/openid`, returnToCache: false });
  const signatory = server.signatory;
  return {
    base: http.base,
    endpoint: `${http.base}/openid`,
    lenientEndpoint: `${http.base}/lenient`,
    association: () => signatory.createAssociation('HMAC-SHA256', false),
    close: () => http.close(),
  };
}
