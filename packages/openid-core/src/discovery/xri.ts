/**
 * XRI discovery, only through an application-configured proxy resolver
 * (for example `https://xri.net/`): XRI resolution itself is not
 * implemented, and without a resolver XRIs are refused with a clear error.
 * @see OpenID 2.0 §7.3.2.3
 */
import { DiscoveryError } from '../errors.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { endpointsFromServices } from './services.js';
import { fetchForDiscovery, XRDS_CONTENT_TYPE } from './yadis.js';
import { parseXRDS } from './xrds.js';
import type { ServiceEndpoint } from './endpoint.js';

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
  const base = proxy.endsWith('/') ? proxy : `${proxy}/`;
  const url = `${base}${encodeURIComponent(xri).replace(/%2A/gi, '*')}?_xrd_r=${encodeURIComponent(XRDS_CONTENT_TYPE)};sep=false`;
  const response = await fetchForDiscovery(fetcher, url, XRDS_CONTENT_TYPE, xri);
  const parsed = parseXRDS(response.body);
  // The CanonicalID (an i-number) is the claimed identifier: i-names can be reassigned.
  if (parsed.canonicalId === undefined) throw new DiscoveryError(`The XRI resolver gave no CanonicalID for ${xri}`, xri);
  return { claimedId: parsed.canonicalId, endpoints: endpointsFromServices(parsed.services, parsed.canonicalId, xri) };
}
