/**
 * Discovery documents a provider serves: the OP Identifier XRDS (for
 * identifier select) and, per user, the claimed identifier page (XRDS by
 * content negotiation or `X-XRDS-Location`, HTML `<link rel>` for 1.x and 2.0).
 * The documents are written by openid2-core; this module only answers HTTP.
 * @see OpenID 2.0 §7.3.2, §7.3.3
 */
import type { Request, Response } from 'express';
import { claimedIdentifierXrds, escapeHTML, identityLinks, opIdentifierXrds, XRDS_CONTENT_TYPE, type IdentityDocumentOptions } from 'openid2-core';

export { claimedIdentifierXrds, identityLinks, opIdentifierXrds, type IdentityDocumentOptions, type IdentityVersion } from 'openid2-core';

/** Whether to answer with XRDS; the answer varies with Accept, which caches must know. */
function wantsXrds(req: Request, res: Response): boolean {
  res.vary('Accept');
  return req.query.format === 'xrds' || (req.get('accept') ?? '').includes(XRDS_CONTENT_TYPE);
}

function withFormat(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}format=xrds`;
}

/** Options of {@link serveIdentity}. */
export interface ServeIdentityOptions extends IdentityDocumentOptions {
  /** The OP endpoint URL the page and its XRDS name. */
  opEndpoint: string;
  /** The claimed identifier: this page's own URL, as the user types it. */
  claimedId: string;
  /** The OP-local identifier, when the page delegates to another identity at the OP (OpenID 2.0 §7.3.2.1.2, §7.3.3). @default undefined (no delegation) */
  localId?: string;
  /** The HTML page's title (escaped). @default the claimed identifier */
  title?: string;
  /** The HTML page's body, as markup (not escaped: never put user input in it unescaped). @default `<h1>` with the title */
  body?: string;
  /** More service types to list next to the OpenID one in the XRDS (extension type URIs such as SREG's or AX's). @default [] */
  extraTypes?: readonly string[];
  /**
   * Where the XRDS document is: a URL for `X-XRDS-Location` (served by your
   * own route; this page then always answers HTML), or `false` for an
   * HTML-only identity page (no header, no XRDS).
   * @default `<claimedId>?format=xrds`, answered by this function
   */
  xrdsLocation?: string | false;
}

/**
 * Answers a request for an identity page: XRDS when asked for it, else
 * HTML with the links and an `X-XRDS-Location` header (see the options for
 * HTML-only pages, OpenID 1.1 links only, no LocalID, another XRDS location).
 */
export function serveIdentity(req: Request, res: Response, options: ServeIdentityOptions): void {
  // Only the default location is answered here; elsewhere the app's own route serves the XRDS.
  if (options.xrdsLocation === undefined && wantsXrds(req, res)) {
    res.type(XRDS_CONTENT_TYPE).send(claimedIdentifierXrds(options.opEndpoint, options, options.extraTypes, options));
    return;
  }
  const xrdsUrl = options.xrdsLocation === false ? undefined : (options.xrdsLocation ?? withFormat(options.claimedId));
  if (xrdsUrl !== undefined) res.setHeader('X-XRDS-Location', xrdsUrl);
  const title = escapeHTML(options.title ?? options.claimedId);
  const links = identityLinks(options.opEndpoint, {
    ...(options.localId === undefined ? {} : { localId: options.localId }),
    ...(xrdsUrl === undefined ? {} : { xrdsUrl }),
    ...(options.versions === undefined ? {} : { versions: options.versions }),
  });
  res.type('html').send(`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title>\n${links}\n</head><body>${options.body ?? `<h1>${title}</h1>`}</body></html>`);
}

/** Answers a request for the OP Identifier: XRDS when asked for it, else HTML pointing to it. */
export function serveOPIdentifier(
  req: Request,
  res: Response,
  options: {
    /** The OP endpoint URL the XRDS names as the server (OpenID 2.0 §7.3.2.1.1). */
    opEndpoint: string;
    /** The OP Identifier: this page's own URL; the XRDS is at `<url>?format=xrds`. */
    url: string;
    /** The HTML page's body, as markup (not escaped). @default `<h1>OpenID provider</h1>` */
    body?: string;
    /** More service types to list next to the OpenID one in the XRDS (extension type URIs). @default [] */
    extraTypes?: readonly string[];
  },
): void {
  if (wantsXrds(req, res)) {
    res.type(XRDS_CONTENT_TYPE).send(opIdentifierXrds(options.opEndpoint, options.extraTypes));
    return;
  }
  const xrdsUrl = withFormat(options.url);
  res.setHeader('X-XRDS-Location', xrdsUrl);
  res.type('html').send(`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>OpenID provider</title>\n<meta http-equiv="X-XRDS-Location" content="${escapeHTML(xrdsUrl)}">\n</head><body>${options.body ?? '<h1>OpenID provider</h1>'}</body></html>`);
}
