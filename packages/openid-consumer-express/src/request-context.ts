/**
 * What a route needs from the request: the session (express-session), and
 * the absolute URLs of the mount point, the realm and the current request,
 * built the same way on Express 4 and 5, behind a proxy or not.
 */
import type { Request } from 'express';
import { OpenIDConfigError, OpenIDError } from 'openid2-core';
import { header } from './http-io.js';
import type { ResolvedConsumerOptions } from './options.js';

/** express-session's `req.session`, as far as the middleware uses it. */
export type SessionObject = Record<string, unknown> & {
  regenerate(callback: (error?: unknown) => void): void;
  save(callback: (error?: unknown) => void): void;
};

/** A 400 for a request the middleware cannot make sense of (Express shows its message). */
export class BadRequestError extends OpenIDError {
  constructor(message: string) {
    super('ERR_BAD_REQUEST', message);
    this.status = 400;
    this.expose = true;
  }
}

export function sessionOf(req: Request): SessionObject {
  const session = (req as Request & { session?: SessionObject | null }).session;
  if (session === undefined || session === null) {
    throw new OpenIDConfigError('req.session is missing: did you forget express-session before the OpenID consumer router?');
  }
  if (typeof session.regenerate !== 'function' || typeof session.save !== 'function') {
    throw new OpenIDConfigError('req.session has no regenerate() and save(): the OpenID consumer router needs express-session');
  }
  return session;
}

export function regenerate(session: SessionObject): Promise<void> {
  return new Promise((resolve, reject) => session.regenerate((error) => (error ? reject(error) : resolve())));
}

export function save(session: SessionObject): Promise<void> {
  return new Promise((resolve, reject) => session.save((error) => (error ? reject(error) : resolve())));
}

/**
 * Drops a session express-session made for this very request (no cookie
 * named it), so the answer sets no cookie: on a cross-site POST, a new
 * session cookie would replace the browser's real one, which the browser
 * merely withheld.
 */
export function dropFreshSession(req: Request): void {
  const id = (req as Request & { sessionID?: unknown }).sessionID;
  const cookies = req.headers.cookie ?? '';
  if (typeof id !== 'string' || cookies.includes(id) || cookies.includes(encodeURIComponent(id))) return;
  (req as unknown as { session?: unknown }).session = undefined;
}

type TrustFunction = (address: string | undefined, hop: number) => boolean;

/** The Host, or X-Forwarded-Host when `trust proxy` trusts the peer (as Express 5's `req.host`). */
function hostOf(req: Request): string {
  // Express's trust proxy setting; under connect (no req.app) forwarded headers are not trusted.
  const app = (req as Partial<Pick<Request, 'app'>>).app;
  const trust = typeof app?.get === 'function' ? (app.get('trust proxy fn') as TrustFunction | undefined) : undefined;
  const forwarded = header(req, 'x-forwarded-host');
  const host = forwarded !== undefined && trust?.(req.socket.remoteAddress, 0) === true ? (forwarded.split(',')[0] ?? '').trim() : (header(req, 'host') ?? '');
  // A name or address with an optional port: nothing that could bend a URL.
  if (!/^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) throw new BadRequestError('The Host header is missing or malformed');
  return host;
}

/** Express's req.protocol (trust proxy aware); without Express, the connection's own scheme. */
function protocolOf(req: Request): string {
  const protocol: unknown = (req as Partial<Pick<Request, 'protocol'>>).protocol;
  if (typeof protocol === 'string') return protocol;
  return (req.socket as { encrypted?: boolean }).encrypted === true ? 'https' : 'http';
}

/** The absolute URL where the router is mounted, without trailing slash (set baseUrl under connect, which has no req.baseUrl). */
export function baseOf(options: ResolvedConsumerOptions, req: Request): string {
  return options.baseUrl ?? `${protocolOf(req)}://${hostOf(req)}${(req as Partial<Pick<Request, 'baseUrl'>>).baseUrl ?? ''}`;
}

export function realmOf(options: ResolvedConsumerOptions, req: Request): string {
  return options.realm ?? `${new URL(baseOf(options, req)).origin}/`;
}

/** The query string of the request as received, with its `?`, or ''. */
export function queryString(req: Request): string {
  const index = req.originalUrl.indexOf('?');
  return index < 0 ? '' : req.originalUrl.slice(index);
}

/** The URL the OP's answer arrived at, for the return_to check (§11.1). */
export function returnUrlOf(options: ResolvedConsumerOptions, req: Request): string {
  return `${baseOf(options, req)}/return${queryString(req)}`;
}
