/**
 * What the server answers, before encoding: an indirect message through the
 * user agent, a direct message to the relying party, or an error page for
 * the user when no relying party can safely be told.
 * @see OpenID 2.0 §5.1.2, §5.2
 */
import { OPENID2_NS } from '../constants.js';
import type { ProtocolError } from '../errors.js';
import { Message, OPENID_NS } from '../message.js';
import { escapeHTML } from '../message-form.js';
import { sanitizeErrorText } from '../error-text.js';

/**
 * A server answer before encoding: `indirect`, a message sent to `returnTo`
 * through the user agent (redirect or form); `direct`, a key-value form body
 * for the relying party, with its HTTP status; `page`, an error page for the
 * user when no relying party can safely be told. {@link encodeResponse}
 * turns it into an HTTP response.
 * @see OpenID 2.0 §5.1.2, §5.2
 */
export type OpenIDResponse =
  | { kind: 'indirect'; message: Message; returnTo: string }
  | { kind: 'direct'; message: Message; status: 200 | 400 }
  | { kind: 'page'; status: number; title: string; text: string };

/** A framework-free HTTP response. */
export interface EncodedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** The response to a ProtocolError: KV form for direct requests, a redirect when a safe return_to is known, else a page. */
export function errorResponse(error: ProtocolError): OpenIDResponse {
  const message = new Message(error.namespace ?? OPENID2_NS);
  message.setArg(OPENID_NS, 'mode', 'error');
  message.setArg(OPENID_NS, 'error', sanitizeErrorText(error.publicMessage));
  if (error.errorCode !== undefined && message.isOpenID2()) message.setArg(OPENID_NS, 'error_code', error.errorCode);
  for (const [key, value] of Object.entries(error.extra)) message.setArg(OPENID_NS, key, sanitizeErrorText(value));
  if (error.direct) return { kind: 'direct', message, status: 400 };
  if (error.returnTo !== undefined) return { kind: 'indirect', message, returnTo: error.returnTo };
  return { kind: 'page', status: 400, title: 'OpenID request error', text: sanitizeErrorText(error.publicMessage) };
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const PAGE_HEADERS = { 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'", 'x-content-type-options': 'nosniff' };

/** Encodes a response as status, headers and body. */
export function encodeResponse(response: OpenIDResponse): EncodedResponse {
  if (response.kind === 'direct') {
    return { status: response.status, headers: { 'content-type': 'text/plain; charset=utf-8', ...NO_STORE }, body: response.message.toKVForm() };
  }
  if (response.kind === 'page') {
    const body = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHTML(response.title)}</title></head><body><h1>${escapeHTML(response.title)}</h1><p>${escapeHTML(response.text)}</p></body></html>`;
    return { status: response.status, headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE, ...PAGE_HEADERS }, body };
  }
  const indirect = response.message.toIndirect(response.returnTo);
  if (indirect.kind === 'redirect') return { status: 302, headers: { location: indirect.url, ...NO_STORE }, body: '' };
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE, ...PAGE_HEADERS }, body: indirect.html };
}
