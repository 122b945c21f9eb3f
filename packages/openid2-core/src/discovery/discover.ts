/**
 * Discovery: from what a user typed to the OpenID endpoints behind it.
 * @see OpenID 2.0 §7.2, §7.3
 */
import { DiscoveryError, UrlError } from '../errors.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { normalizeIdentifier, type NormalizedIdentifier } from '../normalize-url.js';
import type { DiscoveryCache } from './cache.js';
import type { DiscoveryResult } from './discovery-result.js';
import { sortEndpoints, type ServiceEndpoint } from './endpoint.js';
import { parseHTMLDiscovery } from './html.js';
import { boundedEndpoints, detach } from './limits.js';
import { endpointsFromHTML, endpointsFromServices } from './services.js';
import { discoverXRI } from './xri.js';
import { parseXRDS } from './xrds.js';
import { fetchForDiscovery, htmlText, yadisDiscover, type YadisResult } from './yadis.js';

export type { DiscoveryResult } from './discovery-result.js';

/** Options of {@link discover}. */
export interface DiscoverOptions {
  /** The HTTP client. @default createFetcher() (timeouts, size limits, private-address guard) */
  fetcher?: Fetcher | undefined;
  /** A cache of results by normalized identifier; a hit makes no request. @default no cache */
  cache?: DiscoveryCache | undefined;
  /** Time to live of cached results, in milliseconds. @default the cache's own default */
  cacheTtlMs?: number | undefined;
  /** An XRI proxy resolver such as `https://xri.net/`; without one, XRIs are refused. @default none */
  xriProxy?: string | undefined;
}

/** Endpoints of the XRDS document, or the error that kept it from giving any. */
function xrdsEndpoints(yadis: YadisResult, identifier: string): { endpoints: ServiceEndpoint[]; error?: DiscoveryError | undefined } {
  if (yadis.xrds === undefined) return { endpoints: [], error: yadis.xrdsError };
  try {
    const services = parseXRDS(yadis.xrds, identifier).services;
    return { endpoints: endpointsFromServices(services, { claimedId: yadis.finalUrl, identifier }) };
  } catch (error) {
    if (error instanceof DiscoveryError) return { endpoints: [], error };
    throw error;
  }
}

/**
 * URL discovery: Yadis first; without OpenID services in an XRDS document,
 * HTML discovery on the identifier's page (§7.3.3), like python-openid. If
 * the XRDS document could not be fetched or was refused and the page has no
 * links either, the XRDS error is the one reported.
 */
async function discoverURL(url: string, fetcher: Fetcher): Promise<Omit<DiscoveryResult, 'normalizedInput'>> {
  const yadis = await yadisDiscover(url, fetcher, url);
  const claimedId = yadis.finalUrl;
  const fromXRDS = xrdsEndpoints(yadis, url);
  if (fromXRDS.endpoints.length > 0) return { claimedId, finalUrl: claimedId, endpoints: fromXRDS.endpoints };
  const html = yadis.html ?? htmlText(await fetchForDiscovery(fetcher, claimedId, 'text/html, application/xhtml+xml', url));
  const endpoints = endpointsFromHTML(parseHTMLDiscovery(html), claimedId, claimedId);
  if (endpoints.length === 0 && fromXRDS.error !== undefined) throw fromXRDS.error;
  return { claimedId, finalUrl: claimedId, endpoints };
}

function normalizeInput(userInput: string): NormalizedIdentifier {
  try {
    return normalizeIdentifier(userInput);
  } catch (cause) {
    if (cause instanceof UrlError) throw new DiscoveryError(`Not a valid identifier: ${cause.message}`, String(userInput), { cause });
    throw cause;
  }
}

/**
 * Discovers the OpenID service endpoints of a user-supplied identifier: a
 * URL by Yadis then HTML, an XRI through the configured proxy resolver.
 * @throws DiscoveryError (caused by the FetchError or UrlError where one applies), also when no endpoint is found
 * @see OpenID 2.0 §7
 */
export async function discover(userInput: string, options: DiscoverOptions = {}): Promise<DiscoveryResult> {
  // Like python-openid's discover(uri): a call without options gets the guarded default client.
  const fetcher = options.fetcher ?? createFetcher();
  const normalized = normalizeInput(userInput);
  const key = `${normalized.kind}:${normalized.value}`;
  const cached = await options.cache?.get(key);
  if (cached !== undefined) return cached;
  const found =
    normalized.kind === 'xri'
      ? { ...(await discoverXRI(normalized.value, fetcher, options.xriProxy)), finalUrl: undefined }
      : await discoverURL(normalized.value, fetcher);
  // The most preferred endpoints, within the bounds of one result (it may be cached).
  const endpoints = boundedEndpoints(sortEndpoints(found.endpoints));
  if (endpoints.length === 0) {
    throw new DiscoveryError(`No OpenID service was found for ${normalized.value}`, normalized.value);
  }
  const result: DiscoveryResult = Object.freeze({
    normalizedInput: detach(normalized.value),
    claimedId: detach(found.claimedId),
    finalUrl: detach(found.finalUrl),
    endpoints: Object.freeze(endpoints),
  });
  await options.cache?.set(key, result, options.cacheTtlMs);
  return result;
}
