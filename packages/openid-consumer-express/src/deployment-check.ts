/**
 * Opt-in deployment checks of the relying party (openid-doctor's checks on
 * this middleware's options): call `consumerDeploymentCheck` once the app
 * listens, and mount `consumerArrivalCheck` to check the first request.
 * Findings go to `log` / `onWarning` (an event logger); `strict` throws.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { checkArrival, checkRelyingPartyDeployment, finding, report, type Finding, type ReportOptions, type SessionCookieSettings } from 'openid-doctor';
import { resolveOptions, type ConsumerMiddlewareOptions } from './options.js';

/** Options of `consumerDeploymentCheck`: the router's options, and what else to check. */
export interface ConsumerDeploymentCheckOptions extends ReportOptions {
  /** express-session's `cookie` settings, to check against how assertions arrive. @default not checked */
  sessionCookie?: SessionCookieSettings;
  /** Fetch the realm's XRDS and the return URL (the app must be listening). @default false */
  network?: boolean;
}

/**
 * Checks the relying party's configuration: HTTPS, session cookie, store
 * (reachable, schema, clock), fetcher guard, and with `network` the return
 * URL published at the realm and answering.
 * @throws OpenIDConfigError for invalid options, or in strict mode when a finding is an error
 */
export async function consumerDeploymentCheck(options: ConsumerMiddlewareOptions, check: ConsumerDeploymentCheckOptions = {}): Promise<readonly Finding[]> {
  const resolved = resolveOptions(options);
  if (resolved.baseUrl === undefined) {
    return report([finding('rp.no_base_url', 'warning', 'baseUrl is not set: every URL is built from the request, so behind a proxy set trust proxy; set baseUrl to check the rest')], check);
  }
  const findings = await checkRelyingPartyDeployment({
    baseUrl: resolved.baseUrl,
    realm: resolved.realm,
    store: resolved.store,
    fetcher: resolved.fetcher,
    sessionCookie: check.sessionCookie,
    // The return route resends an answer that arrived without the session cookie (routes/resubmit.ts).
    resubmits: true,
    network: check.network === true,
  });
  return report(findings, check);
}

/** Checks where the first request arrived (scheme and host against baseUrl, proxy headers against trust proxy) and reports once. Never fails a request. */
export function consumerArrivalCheck(options: ConsumerMiddlewareOptions, check: Omit<ReportOptions, 'strict'> = {}): RequestHandler {
  const baseUrl = resolveOptions(options).baseUrl;
  let done = false;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!done) {
      done = true;
      const arrival = { protocol: req.protocol, host: req.get('host') ?? '', forwardedProto: req.get('x-forwarded-proto'), forwardedHost: req.get('x-forwarded-host'), trustProxy: Boolean(req.app.get('trust proxy')) };
      report(checkArrival('rp', baseUrl, arrival), check);
    }
    next();
  };
}
