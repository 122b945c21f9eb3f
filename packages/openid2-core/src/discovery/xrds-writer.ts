/**
 * The discovery documents a site publishes: the XRDS of an OP Identifier, of
 * a claimed identifier and of a relying party, and the HTML `<link>`
 * elements of an identity page. One writer for the provider and the relying
 * party packages, so both publish the same shape.
 * @see OpenID 2.0 §7.3.2, §7.3.3, §13
 */
import { OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE, RP_RETURN_TO_TYPE } from '../constants.js';
import { escapeHTML } from '../message-form.js';

// XML element content and attribute values escape as HTML's do (the five entities).
const escapeXML = escapeHTML;

/** One `<Service>` element of an XRDS document. */
export interface XRDSServiceElement {
  /** Lower is preferred (XRI Resolution 2.0 §4.3.3). */
  priority: number;
  types: readonly string[];
  uri: string;
  /** OpenID 2.0 `<LocalID>` (§7.3.2.1.2). */
  localId?: string | undefined;
  /** OpenID 1.x `<openid:Delegate>`. */
  delegate?: string | undefined;
}

/** An XRDS document with one XRD of the given services. */
export function writeXRDS(services: readonly XRDSServiceElement[]): string {
  const elements = services.map((service) => {
    const lines = [`    <Service priority="${service.priority}">`];
    for (const type of service.types) lines.push(`      <Type>${escapeXML(type)}</Type>`);
    lines.push(`      <URI>${escapeXML(service.uri)}</URI>`);
    if (service.localId !== undefined) lines.push(`      <LocalID>${escapeXML(service.localId)}</LocalID>`);
    if (service.delegate !== undefined) lines.push(`      <openid:Delegate>${escapeXML(service.delegate)}</openid:Delegate>`);
    lines.push('    </Service>');
    return lines.join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)" xmlns:openid="http://openid.net/xmlns/1.0">
  <XRD>
${elements.join('\n')}
  </XRD>
</xrds:XRDS>
`;
}

/** The relying party's XRDS, listing its return URL(s) (§13). */
export function relyingPartyXrds(returnUrl: string): string {
  return writeXRDS([{ priority: 1, types: [RP_RETURN_TO_TYPE], uri: returnUrl }]);
}

/** The OP Identifier XRDS: the user picks an identifier at the OP (§7.3.2.1.1). */
export function opIdentifierXrds(endpoint: string, extraTypes: readonly string[] = []): string {
  return writeXRDS([{ priority: 0, types: [OPENID_IDP_2_0_TYPE, ...extraTypes], uri: endpoint }]);
}

/** Protocol versions an identity document advertises. */
export type IdentityVersion = '2.0' | '1.1';

/** Shape options of the claimed identifier's documents. */
export interface IdentityDocumentOptions {
  /** Which versions to advertise: `['1.1']` gives OpenID 1.1 `openid.server`/`openid.delegate` only. @default ['2.0', '1.1'] */
  versions?: readonly IdentityVersion[] | undefined;
  /**
   * Write the 2.0 `<LocalID>` even without delegation (the claimed
   * identifier itself); `false` writes it only for a distinct localId.
   * @default true
   */
  alwaysLocalId?: boolean | undefined;
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
  const services: XRDSServiceElement[] = [];
  if (versions.includes('2.0')) {
    const v2LocalId = localId ?? (options.alwaysLocalId === false ? undefined : ids.claimedId);
    services.push({ priority: 0, types: [OPENID_2_0_TYPE, ...extraTypes], uri: endpoint, localId: v2LocalId });
  }
  if (versions.includes('1.1')) services.push({ priority: 1, types: [OPENID_1_1_TYPE, ...extraTypes], uri: endpoint, delegate: localId });
  return writeXRDS(services);
}

/** `<link>` and `<meta>` elements for an identity page's head (§7.3.3): 2.0 and/or 1.1 links. */
export function identityLinks(
  endpoint: string,
  options: {
    /** The OP-local identifier, written as `openid2.local_id` and `openid.delegate` (delegation). @default undefined (no delegation) */
    localId?: string | undefined;
    /** The identifier's XRDS document, written as an `X-XRDS-Location` meta element (Yadis). @default undefined (none written) */
    xrdsUrl?: string | undefined;
    /** Which versions to advertise: `2.0` writes `openid2.*` links, `1.1` writes `openid.*` links. @default ['2.0', '1.1'] */
    versions?: readonly IdentityVersion[] | undefined;
  } = {},
): string {
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
