/**
 * Writes the core's framework-free responses to Express, with framing
 * protection on every page.
 */
import type { Response } from 'express';
import { encodeResponse, escapeHTML, type EncodedResponse } from 'openid-core';

/** Headers that keep provider pages out of frames (clickjacking on consent). */
export function protectFromFraming(res: Response): void {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
}

export function send(res: Response, encoded: EncodedResponse): void {
  protectFromFraming(res);
  res.status(encoded.status);
  for (const [name, value] of Object.entries(encoded.headers)) res.setHeader(name, value);
  res.send(encoded.body);
}

/** An HTML error page; the text is escaped and never contains internals. */
export function sendPage(res: Response, status: number, title: string, text: string): void {
  send(res, encodeResponse({ kind: 'page', status, title, text }));
}

export { escapeHTML };
