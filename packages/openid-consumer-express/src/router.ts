/**
 * The relying-party router: `/login` starts a login, `/return` completes
 * it, `/xrds` publishes the return URL for relying party discovery (§13).
 * The protocol rules live in openid-core; this file translates HTTP.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import {
  AX_1_0_NS,
  Consumer,
  DiscoveryError,
  PAPE_1_0_NS,
  PapeRequest,
  PapeResponse,
  SREG_1_0_NS,
  SREG_1_1_NS,
  normalizeProfile,
  profileRequest,
  type AuthRequest,
  OpenIDConfigError,
  RP_RETURN_TO_TYPE,
  TRANSACTION_PARAM,
  escapeHTML,
  objectSession,
  type CompletionResult,
  type SuccessResult,
} from 'openid-core';
import { resolveOptions, type ConsumerMiddlewareOptions, type ResolvedConsumerOptions } from './options.js';

/** What a successful login leaves in `req.session.openid`. */
export interface OpenIDSessionData {
  claimedId: string;
  displayIdentifier: string;
  identity: string;
  opEndpoint: string;
  version: string;
  [key: string]: unknown;
}

type SessionObject = Record<string, unknown> & {
  regenerate(callback: (error?: unknown) => void): void;
  save(callback: (error?: unknown) => void): void;
};

const RESUBMITTED = 'openid_resubmitted';

function sessionOf(req: Request): SessionObject {
  const session = (req as Request & { session?: SessionObject }).session;
  if (session === undefined || session === null) {
    throw new OpenIDConfigError('req.session is missing: did you forget express-session before the OpenID consumer router?');
  }
  return session;
}

function base(options: ResolvedConsumerOptions, req: Request): string {
  return options.baseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}${req.baseUrl}`;
}

function realmOf(options: ResolvedConsumerOptions, req: Request): string {
  return options.realm ?? `${new URL(base(options, req)).origin}/`;
}

function queryString(req: Request): string {
  const index = req.originalUrl.indexOf('?');
  return index < 0 ? '' : req.originalUrl.slice(index);
}

function consumerFor(options: ResolvedConsumerOptions, req: Request): Consumer {
  return new Consumer({
    ...options.consumer,
    session: objectSession(sessionOf(req)),
    store: options.store ?? options.consumer?.store,
    ...(options.fetcher === undefined ? {} : { fetcher: options.fetcher }),
    ...(options.discoveryCache === undefined ? {} : { discoveryCache: options.discoveryCache }),
    allowUnsolicitedAssertions: options.allowUnsolicitedAssertions === true,
  });
}

function fail(options: ResolvedConsumerOptions, req: Request, res: Response, result: Parameters<NonNullable<ConsumerMiddlewareOptions['onFailure']>>[2]): unknown {
  if (options.onFailure !== undefined) return options.onFailure(req, res, result);
  const reason = result.status === 'failure' ? result.reason : result.status;
  const separator = options.failureRedirect.includes('?') ? '&' : '?';
  return res.redirect(303, `${options.failureRedirect}${separator}openid_error=${encodeURIComponent(reason)}`);
}

async function login(options: ResolvedConsumerOptions, req: Request, res: Response): Promise<unknown> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const input = req.method === 'POST' ? body.openid_identifier : req.query.openid_identifier;
  const identifier = typeof input === 'string' && input.trim() !== '' ? input : options.opIdentifier;
  if (identifier === undefined) return fail(options, req, res, { status: 'failure', reason: 'missing_identifier', message: 'Enter your OpenID identifier' });
  const consumer = consumerFor(options, req);
  let auth;
  try {
    auth = input === undefined && options.opIdentifier !== undefined ? await consumer.begin(options.opIdentifier) : await consumer.begin(identifier);
  } catch (error) {
    if (error instanceof DiscoveryError) return fail(options, req, res, { status: 'failure', reason: 'discovery_failed', message: error.message });
    throw error;
  }
  addExtensions(options, auth);
  await options.extendRequest?.(auth, req);
  const indirect = auth.indirect(realmOf(options, req), `${base(options, req)}/return`);
  if (indirect.kind === 'redirect') return res.redirect(303, indirect.url);
  return res.type('html').send(indirect.html);
}

/**
 * A cross-site POST (a long assertion sent as a form by the OP) arrives
 * without SameSite=Lax cookies, so the session looks empty. Answer with a
 * page that posts the same fields again from this site, which sends the
 * cookie; the transaction must still be in this browser's session, so login
 * CSRF protection is intact. Done once (a marker field stops loops).
 */
function needsResubmission(req: Request): boolean {
  if (req.method !== 'POST') return false;
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body[RESUBMITTED] !== undefined) return false;
  const transactions = sessionOf(req).openidTransactions as Record<string, unknown> | undefined;
  const id = new URLSearchParams(queryString(req)).get(TRANSACTION_PARAM);
  return id !== null && (transactions === undefined || !Object.hasOwn(transactions, id));
}

function resubmit(req: Request, res: Response): void {
  const body = req.body as Record<string, unknown>;
  const inputs = Object.entries(body)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, value]) => `<input type="hidden" name="${escapeHTML(name)}" value="${escapeHTML(value)}">`)
    .join('\n');
  res.type('html').send(
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Signing in…</title></head><body>\n<form method="post" action="${escapeHTML(req.originalUrl)}">\n${inputs}\n<input type="hidden" name="${RESUBMITTED}" value="1">\n<input type="submit" value="Continue">\n</form>\n<script>document.forms[0].submit();</script>\n</body></html>`,
  );
}

function addExtensions(options: ResolvedConsumerOptions, auth: AuthRequest): void {
  if (options.profile !== undefined) {
    const { sreg, ax } = profileRequest(options.profile);
    if (sreg.fields.length > 0) auth.addExtensionArgs(auth.endpoint.isOpenID2() ? SREG_1_1_NS : SREG_1_0_NS, sreg.toArgs());
    if (auth.endpoint.isOpenID2() && ax.attributes.length > 0) auth.addExtensionArgs(AX_1_0_NS, ax.toArgs());
  }
  if (options.pape !== undefined && auth.endpoint.isOpenID2()) {
    auth.addExtensionArgs(PAPE_1_0_NS, new PapeRequest([...(options.pape.policies ?? [])], options.pape.maxAuthAge).toArgs());
  }
}

/** The signed profile and PAPE answer of a success, in one normalized shape. */
function extensionData(result: SuccessResult): Record<string, unknown> {
  const sreg = { ...result.getSignedArgs(SREG_1_0_NS), ...result.getSignedArgs(SREG_1_1_NS) };
  const profile = normalizeProfile({ sreg, ax: result.getSignedArgs(AX_1_0_NS) });
  const data: Record<string, unknown> = { profile };
  const papeArgs = result.getSignedArgs(PAPE_1_0_NS);
  if (papeArgs.auth_policies !== undefined) {
    try {
      const pape = PapeResponse.fromSignedArgs(papeArgs);
      data.pape = { policies: pape.policies, authTime: pape.authTime, levels: pape.levels };
    } catch {
      // A malformed PAPE answer is left out.
    }
  }
  return data;
}

function regenerate(session: SessionObject): Promise<void> {
  return new Promise((resolve, reject) => session.regenerate((error) => (error ? reject(error) : resolve())));
}

function save(session: SessionObject): Promise<void> {
  return new Promise((resolve, reject) => session.save((error) => (error ? reject(error) : resolve())));
}

async function succeed(options: ResolvedConsumerOptions, req: Request, res: Response, result: SuccessResult): Promise<unknown> {
  // A new session id after login: no session fixation.
  await regenerate(sessionOf(req));
  const data: OpenIDSessionData = {
    claimedId: result.claimedId,
    displayIdentifier: result.displayIdentifier,
    identity: result.identity,
    opEndpoint: result.endpoint.serverUrl,
    version: result.endpoint.version,
    ...(result.steamId === undefined ? {} : { steamId: result.steamId }),
    ...extensionData(result),
    ...options.sessionData?.(result),
  };
  sessionOf(req).openid = data;
  await save(sessionOf(req));
  if (options.onSuccess !== undefined) return options.onSuccess(req, res, result);
  return res.redirect(303, options.successRedirect);
}

async function complete(options: ResolvedConsumerOptions, req: Request, res: Response): Promise<unknown> {
  if (needsResubmission(req)) return resubmit(req, res);
  const args: URLSearchParams | Record<string, unknown> =
    req.method === 'POST'
      ? Object.fromEntries(Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([key]) => key !== RESUBMITTED))
      : new URLSearchParams(queryString(req));
  const currentUrl = `${base(options, req)}/return${queryString(req)}`;
  const result: CompletionResult = await consumerFor(options, req).complete(args, currentUrl);
  if (result.status === 'success') return succeed(options, req, res, result);
  return fail(options, req, res, result);
}

/** The relying party's XRDS, listing its return URL (§13). */
export function relyingPartyXrds(returnUrl: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)">
  <XRD>
    <Service priority="1">
      <Type>${RP_RETURN_TO_TYPE}</Type>
      <URI>${escapeHTML(returnUrl)}</URI>
    </Service>
  </XRD>
</xrds:XRDS>
`;
}

export interface ConsumerRouter extends Router {
  /** Answers relying party discovery at the realm: mount it there (`app.get('/', router.realmDiscovery)`) or send the header yourself. */
  realmDiscovery: (req: Request, res: Response, next: NextFunction) => void;
}

/** Creates the relying-party router; mount it anywhere (`app.use('/openid', openidConsumer({...}))`). */
export function openidConsumer(consumerOptions: ConsumerMiddlewareOptions = {}): ConsumerRouter {
  const options = resolveOptions(consumerOptions);
  const router = express.Router() as ConsumerRouter;
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 1000 });
  const wrap = (handler: (options: ResolvedConsumerOptions, req: Request, res: Response) => Promise<unknown>) =>
    (req: Request, res: Response, next: NextFunction): void => {
      handler(options, req, res).catch(next);
    };
  router.get('/login', wrap(login));
  router.post('/login', form, wrap(login));
  router.get('/return', wrap(complete));
  router.post('/return', form, wrap(complete));
  const xrds = (req: Request, res: Response): void => {
    res.type('application/xrds+xml').send(relyingPartyXrds(`${base(options, req)}/return`));
  };
  router.get('/xrds', xrds);
  router.realmDiscovery = (req, res, next) => {
    if (options.baseUrl === undefined) return next(new OpenIDConfigError('realmDiscovery runs outside the router: set the baseUrl option', 'baseUrl'));
    const url = `${base(options, req)}/xrds`;
    res.setHeader('X-XRDS-Location', url);
    if ((req.get('accept') ?? '').includes('application/xrds+xml')) {
      res.type('application/xrds+xml').send(relyingPartyXrds(`${base(options, req)}/return`));
      return;
    }
    next();
  };
  return router;
}
