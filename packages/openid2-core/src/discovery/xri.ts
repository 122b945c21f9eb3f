/**
 * XRI discovery, only through an application-configured proxy resolver
 * (for example `https://xri.net/`): XRI resolution itself is not
 * implemented, and without a resolver XRIs are refused with a clear error.
 * The claimed identifier is the CanonicalID (an i-number, which is never
 * reassigned), verified to come from the XRI's own authority.
 * @see OpenID 2.0 §7.3.2.3, §11.5.2; XRI Resolution 2.0 §11 (proxy), §14.3 (CanonicalID verification)
 */
import { DiscoveryError, OpenIDConfigError } from '../errors.js';
import type { Fetcher } from '../fetch/fetcher.js';
import type { ServiceEndpoint } from './endpoint.js';
import { endpointsFromServices } from './services.js';
import { parseXRDS, type ParsedXRDS } from './xrds.js';
import { fetchForDiscovery, XRDS_CONTENT_TYPE } from './yadis.js';

/** XRI global context symbols that are root authorities by themselves. */
const GCS = new Set(['=', '@', '+', '$', '!']);

/** The root authority of an XRI: its global context symbol, a cross-reference, or its first segment. */
export function xriRootAuthority(xri: string): string {
  if (xri.startsWith('(')) return xri.slice(0, xri.indexOf(')') + 1);
  const authority = xri.split('/', 1)[0] as string;
  const first = authority[0] as string;
  if (GCS.has(first)) return first;
  return authority.split(/[!*]/, 1)[0] as string;
}

/** The parent of an i-number: everything before its last `!`. */
function parentOf(canonicalId: string): string | undefined {
  const bang = canonicalId.lastIndexOf('!');
  return bang < 0 ? undefined : canonicalId.slice(0, bang);
}

/**
 * The verified CanonicalID of a resolution: each XRD's CanonicalID must be
 * a child of the previous XRD's, and the first a child of the XRI's root
 * authority, so an XRD cannot claim someone else's i-number.
 * @throws DiscoveryError
 */
export function verifiedCanonicalId(xri: string, parsed: ParsedXRDS): string {
  const chain = parsed.canonicalIds;
  const last = chain[chain.length - 1];
  if (last === undefined) throw new DiscoveryError(`The XRI resolver gave no CanonicalID for ${xri}`, xri);
  let child = last.toLowerCase();
  for (let index = chain.length - 2; index >= 0; index -= 1) {
    const parent = chain[index]?.toLowerCase();
    if (parent === undefined || parentOf(child) !== parent) {
      throw new DiscoveryError(`The CanonicalID ${last} cannot come from ${chain[index] ?? 'an XRD without CanonicalID'}`, xri);
    }
    child = parent;
  }
  if (parentOf(child) !== xriRootAuthority(xri).toLowerCase()) {
    throw new DiscoveryError(`The CanonicalID ${last} cannot come from the root authority of ${xri}`, xri);
  }
  return last;
}

/**
 * The `xriProxy` option, checked: an absolute http(s) URL, returned with a
 * trailing slash (the XRI is appended to it).
 * @throws OpenIDConfigError naming `xriProxy`
 */
export function checkXriProxy(proxy: unknown): string {
  if (typeof proxy !== 'string') throw new OpenIDConfigError('must be an http or https URL (a string)', 'xriProxy');
  let base: URL;
  try {
    base = new URL(proxy.endsWith('/') ? proxy : `${proxy}/`);
  } catch (cause) {
    throw new OpenIDConfigError(`must be an http or https URL: ${String(cause)}`, 'xriProxy');
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new OpenIDConfigError('must be an http or https URL', 'xriProxy');
  // The XRI goes at the end of the path: a query or fragment would swallow it.
  if (base.search !== '' || base.hash !== '') throw new OpenIDConfigError('must not have a query or fragment (the XRI is appended to its path)', 'xriProxy');
  return base.href;
}

/** The proxy resolver URL of an XRI, asking for the whole XRDS with all services. @see XRI Resolution 2.0 §11.3 */
export function xriProxyUrl(proxy: string, xri: string): string {
  const base = checkXriProxy(proxy);
  // XRI delimiters stay as they are in the path; everything else is percent-encoded.
  const path = encodeURIComponent(xri).replace(/%(3D|40|2B|24|21|2A|28|29|3A|2F|2C)/gi, (escape) => decodeURIComponent(escape));
  return `${base}${path}?_xrd_r=${encodeURIComponent(`${XRDS_CONTENT_TYPE};sep=false`)}`;
}

/**
 * Discovers an XRI through the proxy resolver.
 * @throws DiscoveryError without a resolver, on failures, or for an unverifiable CanonicalID
 */
export async function discoverXRI(
  xri: string,
  fetcher: Fetcher,
  proxy: string | undefined,
): Promise<{ claimedId: string; endpoints: ServiceEndpoint[] }> {
  if (proxy === undefined) {
    throw new DiscoveryError(
      `${xri} is an XRI; XRI resolution needs a proxy resolver, which is not configured (option xriProxy)`,
      xri,
    );
  }
  const response = await fetchForDiscovery(fetcher, xriProxyUrl(proxy, xri), XRDS_CONTENT_TYPE, xri);
  const parsed = parseXRDS(response.body, xri);
  if (parsed.statusCode !== undefined && parsed.statusCode !== '100') {
    throw new DiscoveryError(`The XRI resolver could not resolve ${xri} (status ${parsed.statusCode})`, xri);
  }
  const claimedId = verifiedCanonicalId(xri, parsed);
  return { claimedId, endpoints: endpointsFromServices(parsed.services, { claimedId, identifier: xri, displayIdentifier: xri }) };
}
