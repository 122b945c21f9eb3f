/**
 * Discovery documents a provider serves: the OP Identifier XRDS (for
 * identifier select) and, per user, the claimed identifier page (XRDS by
 * content negotiation or `X-XRDS-Location`, HTML `<link rel>` for 1.x and 2.0).
 * @see OpenID 2.0 §7.3.2, §7.3.3
 */
import type { Request, Response } from 'express';
import { escapeHTML, OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE, XRDS_CONTENT_TYPE } from 'openid2-core';

const escapeXML = escapeHTML;

function xrds(services: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)" xmlns:openid="http://openid.net/xmlns/1.0">
  <XRD>
${services}
  </XRD>
</xrds:XRDS>
`;
}

/** The OP Identifier XRDS: the user picks an identifier at the OP (§7.3.2.1.1). */
export function opIdentifierXrds(endpoint: string, extraTypes: readonly string[] = []): string {
  const types = [OPENID_IDP_2_0_TYPE, ...extraTypes].map((type) => `      <Type>${escapeXML(type)}</Type>`).join('\n');
  return xrds(`    <Service priority="0">\n${types}\n      <URI>${escapeXML(endpoint)}</URI>\n    </Service>`);
}

/** Protocol versions an identity document advertises. */
export type IdentityVersion = '2.0' | '1.1';

/** Shape options of the claimed identifier's documents. */
export interface IdentityDocumentOptions {
  /** Which versions to advertise: `['1.1']` gives OpenID 1.1 `openid.server`/`openid.delegate` only. @default ['2.0', '1.1'] */
  versions?: readonly IdentityVersion[];
  /**
   * Write the 2.0 `<LocalID>` even without delegation (the claimed
   * identifier itself); `false` writes it only for a distinct localId.
   * @default true
   */
  alwaysLocalId?: boolean;
}

const ALL_VERSIONS: readonly IdentityVersion[] = ['2.0', '1.1'];

/**
 * A claimed identifier's XRDS: OpenID 2.0 and 1.1 service elements
 * (§7.3.2.1.2). By default the 2.0 element always names its LocalID (the
 * claimed identifier itself when there is no other): some relying parties,
 * node-openid among them, otherwise mistake it for an OP Identifier.
 */
export function claimedIdentifierXrds(
  endpoint: string,
  ids: { claimedId: string; localId?: string | undefined },
  extraTypes: readonly string[] = [],
  options: IdentityDocumentOptions = {},
): string {
  const { localId } = ids;
  const versions = options.versions ?? ALL_VERSIONS;
  const extra = extraTypes.map((type) => `      <Type>${escapeXML(type)}</Type>\n`).join('');
  const v2LocalId = localId ?? (options.alwaysLocalId === false ? undefined : ids.claimedId);
  const v2Local = v2LocalId === undefined ? '' : `      <LocalID>${escapeXML(v2LocalId)}</LocalID>\n`;
  const v1Local = localId === undefined ? '' : `      <openid:Delegate>${escapeXML(localId)}</openid:Delegate>\n`;
  const services = [];
  if (versions.includes('2.0')) services.push(`    <Service priority="0">\n      <Type>${OPENID_2_0_TYPE}</Type>\n${extra}      <URI>${escapeXML(endpoint)}</URI>\n${v2Local}    </Service>`);
  if (versions.includes('1.1')) services.push(`    <Service priority="1">\n      <Type>${OPENID_1_1_TYPE}</Type>\n${extra}      <URI>${escapeXML(endpoint)}</URI>\n${v1Local}    </Service>`);
  return xrds(services.join('\n'));
}

/** `<link>` and `<meta>` elements for an identity page's head (§7.3.3): 2.0 and/or 1.1 links. */
export function identityLinks(endpoint: string, options: { localId?: string; xrdsUrl?: string; versions?: readonly IdentityVersion[] } = {}): string {
  const e = escapeHTML;
  const versions = options.versions ?? ALL_VERSIONS;
  const lines = [];
  if (versions.includes('2.0')) lines.push(`<link rel="openid2.provider" href="${e(endpoint)}">`);
  if (versions.includes('1.1')) lines.push(`<link rel="openid.server" href="${e(endpoint)}">`);
  if (options.localId !== undefined && versions.includes('2.0')) lines.push(`<link rel="openid2.local_id" href="${e(options.localId)}">`);
  if (options.localId !== undefined && versions.includes('1.1')) lines.push(`<link rel="openid.delegate" href="${e(options.localId)}">`);
  if (options.xrdsUrl !== undefined) lines.push(`<meta http-equiv="X-XRDS-Location" content="${e(options.xrdsUrl)}">`);
  return lines.join('\n');
}

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
  endpoint: string;
  claimedId: string;
  localId?: string;
  title?: string;
  body?: string;
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
    res.type(XRDS_CONTENT_TYPE).send(claimedIdentifierXrds(options.endpoint, options, options.extraTypes, options));
    return;
  }
  const xrdsUrl = options.xrdsLocation === false ? undefined : (options.xrdsLocation ?? withFormat(options.claimedId));
  if (xrdsUrl !== undefined) res.setHeader('X-XRDS-Location', xrdsUrl);
  const title = escapeHTML(options.title ?? options.claimedId);
  const links = identityLinks(options.endpoint, {
    ...(options.localId === undefined ? {} : { localId: options.localId }),
    ...(xrdsUrl === undefined ? {} : { xrdsUrl }),
    ...(options.versions === undefined ? {} : { versions: options.versions }),
  });
  res.type('html').send(`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${title}</title>\n${links}\n</head><body>${options.body ?? `<h1>${title}</h1>`}</body></html>`);
}

/** Answers a request for the OP Identifier: XRDS when asked for it, else HTML pointing to it. */
export function serveOPIdentifier(req: Request, res: Response, options: { endpoint: string; url: string; body?: string; extraTypes?: readonly string[] }): void {
  if (wantsXrds(req, res)) {
    res.type(XRDS_CONTENT_TYPE).send(opIdentifierXrds(options.endpoint, options.extraTypes));
    return;
  }
  const xrdsUrl = withFormat(options.url);
  res.setHeader('X-XRDS-Location', xrdsUrl);
  res.type('html').send(`<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>OpenID provider</title>\n<meta http-equiv="X-XRDS-Location" content="${escapeHTML(xrdsUrl)}">\n</head><body>${options.body ?? '<h1>OpenID provider</h1>'}</body></html>`);
}
