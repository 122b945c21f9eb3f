/**
 * Discovery: from what a user typed to the OpenID endpoints behind it.
 * @see OpenID 2.0 §7.2, §7.3
 */
import { DiscoveryError, UrlError } from '../errors.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { normalizeIdentifier } from '../normalize-url.js';
import type { DiscoveryCache } from './cache.js';
import { sortEndpoints, type ServiceEndpoint } from './endpoint.js';
import { parseHTMLDiscovery } from './html.js';
import { endpointsFromHTML, endpointsFromServices } from './services.js';
import { discoverXRI } from './xri.js';
import { parseXRDS } from './xrds.js';
import { fetchForDiscovery, htmlText, yadisDiscover } from './yadis.js';

export interface DiscoverOptions {
  fetcher: Fetcher;
  /** A cache of results by normalized identifier. */
  cache?: DiscoveryCache | undefined;
  /** Time to live of cached results, in milliseconds. @default 300000 */
  cacheTtlMs?: number;
  /** An XRI proxy resolver such as `https://xri.net/`; without one, XRIs are refused. */
  xriProxy?: string | undefined;
}

export interface DiscoveryResult {
  /** The identifier as normalized from the input (§7.2). */
  normalizedInput: string;
  /** The claimed identifier: the URL after redirects, or the XRI's CanonicalID. */
  claimedId: string;
  /** The URL discovery ended at (URL identifiers). */
  finalUrl: string | undefined;
  /** Endpoints in order of preference. */
  endpoints: ServiceEndpoint[];
}

async function discoverURL(url: string, options: DiscoverOptions): Promise<Omit<DiscoveryResult, 'normalizedInput'>> {
  const yadis = await yadisDiscover(url, options.fetcher, url);
  const claimedId = yadis.finalUrl;
  let endpoints: ServiceEndpoint[] = [];
  if (yadis.xrds !== undefined) {
    endpoints = endpointsFromServices(parseXRDS(yadis.xrds).services, claimedId, url);
  }
  if (endpoints.length === 0) {
    // No usable XRDS: HTML discovery on the identifier's page (§7.3.3).
    const html = yadis.html ?? htmlText(await fetchForDiscovery(options.fetcher, claimedId, 'text/html, application/xhtml+xml', url));
    endpoints = endpointsFromHTML(parseHTMLDiscovery(html), claimedId, claimedId);
  }
  return { claimedId, finalUrl: claimedId, endpoints };
}

/**
 * Discovers the OpenID service endpoints of a user-supplied identifier.
 * @throws DiscoveryError (caused by a FetchError or UrlError where one applies)
 */
export async function discover(userInput: string, options: DiscoverOptions): Promise<DiscoveryResult> {
  let normalized;
  try {
    normalized = normalizeIdentifier(userInput);
  } catch (cause) {
    if (cause instanceof UrlError) throw new DiscoveryError(`Not a valid identifier: ${cause.message}`, String(userInput), { cause });
    throw cause;
  }
  const key = `${normalized.kind}:${normalized.value}`;
  const cached = await options.cache?.get(key);
  if (cached !== undefined) return cached;
  const found =
    normalized.kind === 'xri'
      ? { ...(await discoverXRI(normalized.value, options.fetcher, options.xriProxy)), finalUrl: undefined }
      : await discoverURL(normalized.value, options);
  if (found.endpoints.length === 0) {
    throw new DiscoveryError(`No OpenID service was found for ${normalized.value}`, normalized.value);
  }
  const result: DiscoveryResult = { normalizedInput: normalized.value, ...found, endpoints: sortEndpoints(found.endpoints) };
  await options.cache?.set(key, result, options.cacheTtlMs ?? 300_000);
  return result;
}
