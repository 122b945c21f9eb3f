/**
 * The provider's discovery documents (identity pages by XRDS and HTML, the
 * OP Identifier's XRDS), and the hostile ones: a page that trickles, one
 * that never ends, one that redirects to itself.
 * @see OpenID 2.0 §7.3
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { claimedIdentifierXrds, opIdentifierXrds as coreOpIdentifierXrds, XRDS_CONTENT_TYPE } from 'openid2-core';
import { escapeMarkup as e, sendText } from './http.js';

/**
 * An identity page's XRDS: an OpenID 2.0 service (with its LocalID, which
 * some relying parties need to tell it from an OP Identifier) and a 1.1 one,
 * as openid2-core writes them.
 */
export function identityXrds(endpoint: string, claimedId: string, openid1 = true): string {
  return claimedIdentifierXrds(endpoint, { claimedId }, [], { versions: openid1 ? ['2.0', '1.1'] : ['2.0'] });
}

/** The OP Identifier's XRDS (identifier select, §7.3.2.1.1), as openid2-core writes it. */
export function opIdentifierXrds(endpoint: string): string {
  return coreOpIdentifierXrds(endpoint);
}

function wantsXrds(req: IncomingMessage, url: URL): boolean {
  return url.searchParams.get('format') === 'xrds' || (req.headers.accept ?? '').includes(XRDS_CONTENT_TYPE);
}

function xrdsLocation(url: URL): string {
  const location = new URL(url.href);
  location.searchParams.set('format', 'xrds');
  return location.href;
}

/** An identity page: XRDS when asked for, else HTML with `<link rel>` (1.x and 2.0) and `X-XRDS-Location`. */
export function serveIdentityPage(req: IncomingMessage, res: ServerResponse, url: URL, endpoint: string, claimedId: string): void {
  if (wantsXrds(req, url)) return sendText(res, 200, XRDS_CONTENT_TYPE, identityXrds(endpoint, claimedId), { vary: 'Accept' });
  const html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${e(claimedId)}</title>\n<link rel="openid2.provider" href="${e(endpoint)}">\n<link rel="openid.server" href="${e(endpoint)}">\n</head><body><h1>${e(claimedId)}</h1></body></html>\n`;
  sendText(res, 200, 'text/html; charset=utf-8', html, { 'x-xrds-location': xrdsLocation(url), vary: 'Accept' });
}

/** The OP Identifier: XRDS when asked for, else a page pointing to it. */
export function serveOPIdentifier(req: IncomingMessage, res: ServerResponse, url: URL, endpoint: string): void {
  if (wantsXrds(req, url)) return sendText(res, 200, XRDS_CONTENT_TYPE, opIdentifierXrds(endpoint), { vary: 'Accept' });
  const html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>OpenID provider</title><meta http-equiv="X-XRDS-Location" content="${e(xrdsLocation(url))}"></head><body><h1>OpenID provider</h1></body></html>\n`;
  sendText(res, 200, 'text/html; charset=utf-8', html, { 'x-xrds-location': xrdsLocation(url), vary: 'Accept' });
}

/** The hostile discovery documents, by the first path segment they are served under. */
export const HOSTILE_DISCOVERY = ['slow', 'huge', 'loop'] as const;
/** A hostile discovery document: `slow` trickles a byte every 500 ms forever, `huge` is 64 MiB, `loop` redirects without end (to a new URL each time). */
export type HostileDiscovery = (typeof HOSTILE_DISCOVERY)[number];

/** An HTML page that sends one byte every 500 ms, forever: only a total timeout ends it (an idle timeout never fires). */
function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.write('<!DOCTYPE html><html><head>');
  const timer = setInterval(() => res.write(' '), 500);
  res.on('close', () => clearInterval(timer));
}

/** Size of the huge document: 64 times the 1 MiB a careful reader accepts. */
export const HUGE_DOCUMENT_BYTES = 64 << 20;

/** A 64 MiB HTML document, sent as fast as the reader takes it; `onSent` when the reader took all of it (it has no size limit). */
function huge(res: ServerResponse, onSent: () => void): void {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  const chunk = Buffer.alloc(1 << 16, ' ');
  let sent = 0;
  res.write('<!DOCTYPE html><html><head><title>');
  const pump = (): void => {
    while (!res.destroyed && sent < HUGE_DOCUMENT_BYTES) {
      sent += chunk.length;
      if (!res.write(chunk)) return void res.once('drain', pump);
    }
    if (!res.destroyed) res.end('</title></head></html>', onSent);
  };
  pump();
}

/** Serves a hostile discovery document. */
export function serveHostile(kind: HostileDiscovery, res: ServerResponse, url: URL, onHugeSent: () => void): void {
  if (kind === 'slow') return trickle(res);
  if (kind === 'huge') return huge(res, onHugeSent);
  // A redirect to itself with a counter, so no client sees the same URL twice and a cycle check alone does not stop it.
  const next = new URL(url.href);
  next.searchParams.set('hop', String(Number(url.searchParams.get('hop') ?? '0') + 1));
  res.writeHead(302, { location: next.href, 'cache-control': 'no-store' }).end();
}
