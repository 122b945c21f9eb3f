/**
 * The little the router needs from Node's request and response, without
 * Express's helpers (`req.get`, `req.query`, `res.redirect`, `res.send`), so
 * the router runs the same under Express 4, Express 5 and plain `connect`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A request header, several values joined as Express's `req.get` does. */
export function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The query arguments of the request as received (repeated names become arrays), from the URL itself. */
export function queryOf(req: IncomingMessage & { originalUrl?: string }): Record<string, string | string[]> {
  const url = req.originalUrl ?? req.url ?? '';
  const index = url.indexOf('?');
  const query: Record<string, string | string[]> = {};
  if (index < 0) return query;
  for (const [name, value] of new URLSearchParams(url.slice(index + 1))) {
    const previous = query[name];
    query[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  return query;
}

/** Percent-encodes what a Location header cannot carry (non-ASCII, spaces), leaving existing escapes alone. */
function headerSafe(url: string): string {
  return url.replace(/[^\x21-\x7e]/gu, (character) => encodeURIComponent(character));
}

/** A redirect (303 after a form, by default). */
export function redirect(res: ServerResponse, status: number, url: string): void {
  res.statusCode = status;
  res.setHeader('Location', headerSafe(url));
  res.setHeader('Content-Length', '0');
  res.end();
}

/** A text body with its type (`html`, or a full media type), in UTF-8; the status is left as set. */
export function sendBody(res: ServerResponse, type: string, body: string): void {
  res.setHeader('Content-Type', `${type === 'html' ? 'text/html' : type}; charset=utf-8`);
  res.setHeader('Content-Length', Buffer.byteLength(body, 'utf8'));
  res.end(body, 'utf8');
}
