/**
 * Relying party discovery: the XRDS listing the return URL, which OPs
 * fetch at the realm to check return_to.
 * @see OpenID 2.0 §13
 */
import type { NextFunction, Request, Response } from 'express';
import { OpenIDConfigError, relyingPartyXrds } from 'openid2-core';
import { header, sendBody } from '../http-io.js';
import type { ResolvedConsumerOptions } from '../options.js';
import { baseOf } from '../request-context.js';

/** `GET /xrds` inside the router. */
export function xrdsRoute(options: ResolvedConsumerOptions) {
  return (req: Request, res: Response): void => {
    sendBody(res, 'application/xrds+xml', relyingPartyXrds(`${baseOf(options, req)}/return`));
  };
}

/**
 * For the realm's page (outside the router): the `X-XRDS-Location` header,
 * or the XRDS itself to clients that ask for it (§13, Yadis).
 */
export function realmDiscovery(options: ResolvedConsumerOptions) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const base = options.baseUrl;
    if (base === undefined) return next(new OpenIDConfigError('realmDiscovery runs outside the router, where the mount point is unknown: set the baseUrl option', 'baseUrl'));
    res.setHeader('X-XRDS-Location', `${base}/xrds`);
    if ((header(req, 'accept') ?? '').includes('application/xrds+xml')) {
      sendBody(res, 'application/xrds+xml', relyingPartyXrds(`${base}/return`));
      return;
    }
    next();
  };
}
