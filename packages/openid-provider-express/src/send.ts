/**
 * Writes the core's framework-free responses to Express, with framing
 * protection on every page.
 */
import type { NextFunction, Request, Response } from 'express';
import { encodeResponse, errorResponse, escapeHTML, ProtocolError, type EncodedResponse } from 'openid2-core';

/** Headers that keep provider pages out of frames (clickjacking on consent): use them on your login and consent pages too. */
export function protectFromFraming(res: Response): void {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
}

/**
 * Sends an encoded response as it is: protocol answers are never cached
 * (no-store), so Express's ETag and freshness work is skipped.
 */
export function send(res: Response, encoded: EncodedResponse): void {
  protectFromFraming(res);
  res.statusCode = encoded.status;
  for (const [name, value] of Object.entries(encoded.headers)) res.setHeader(name, value);
  // A string body goes out in one write with the headers.
  res.setHeader('Content-Length', Buffer.byteLength(encoded.body, 'utf8'));
  if (res.req?.method === 'HEAD') res.end();
  else res.end(encoded.body, 'utf8');
}

/** Express's req.secure (trust proxy aware); without Express (connect), whether the connection itself is TLS. */
export function isSecure(req: Request): boolean {
  const secure: unknown = (req as Partial<Pick<Request, 'secure'>>).secure;
  if (typeof secure === 'boolean') return secure;
  return (req.socket as { encrypted?: boolean }).encrypted === true;
}

/** The path of the request below the mount point (req.url without query), as Express's req.path. */
export function pathOf(req: Request): string {
  const url = req.url ?? '/';
  const end = url.search(/[?#]/);
  return end < 0 ? url : url.slice(0, end);
}

/** A 303 to the app's interaction page, with framing protection (no Express res.redirect). */
export function redirect(res: Response, url: string): void {
  res.statusCode = 303;
  res.setHeader('Location', url.replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(character)));
  res.setHeader('Content-Length', '0');
  res.end();
}

/** An HTML error page; the text is escaped and never contains internals. */
export function sendPage(res: Response, status: number, title: string, text: string): void {
  send(res, encodeResponse({ kind: 'page', status, title, text }));
}

const BODY_ERRORS: Readonly<Record<string, string>> = {
  'entity.too.large': 'The request body is too large',
  'parameters.too.many': 'The request has too many parameters',
  'charset.unsupported': 'The request body uses an unsupported charset',
  'encoding.unsupported': 'The request body uses an unsupported content encoding',
};

/**
 * Answers a body parser failure with its 4xx status and a key-value error
 * (what a relying party posting a direct request can read); other errors
 * go on to the app's error handler.
 */
export function sendBodyError(res: Response, error: unknown, next: NextFunction): void {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return next(error);
  const text = (typeof type === 'string' ? BODY_ERRORS[type] : undefined) ?? 'The request body could not be read';
  // Core writes the key-value error (§5.1.2.2); only the status is the body parser's (413, 415, ...).
  const encoded = encodeResponse(errorResponse(new ProtocolError(text, { direct: true })));
  send(res, { ...encoded, status });
}

export { escapeHTML };
