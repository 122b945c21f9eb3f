/**
 * Yadis: find the XRDS document of a URL, by content negotiation, the
 * `X-XRDS-Location` header, or the HTML `<meta http-equiv>` pointer.
 * @see OpenID 2.0 §7.3.1; Yadis 1.0 §6
 */
import { DiscoveryError, FetchError, UrlError } from '../errors.js';
import { decodeBody } from '../fetch/decode-body.js';
import type { Fetcher, FetchResponse } from '../fetch/fetcher.js';
import { normalizeUrl } from '../normalize-url.js';
import { parseHTMLDiscovery, sniffHTMLCharset } from './html.js';

/** Media type of an XRDS document: a Yadis response with it is the document itself, not an HTML page. @see OpenID 2.0 §7.3.2 */
export const XRDS_CONTENT_TYPE = 'application/xrds+xml';

/** What Yadis found at a URL. */
export interface YadisResult {
  /** The URL after redirects, normalized: the claimed identifier of URL discovery. */
  finalUrl: string;
  /** The XRDS document, when one was found. */
  xrds: string | undefined;
  /** The HTML of the identifier's page, when it was HTML. */
  html: string | undefined;
  /** Why the XRDS document a page pointed to could not be fetched (HTML discovery may still succeed). */
  xrdsError?: DiscoveryError | undefined;
}

function isXRDS(response: FetchResponse): boolean {
  if (response.contentType === XRDS_CONTENT_TYPE) return true;
  const xmlish = response.contentType === 'text/xml' || response.contentType === 'application/xml';
  return xmlish && /<(?:\w+:)?XRDS[\s>]/.test(response.body.slice(0, 4096));
}

function isHTML(response: FetchResponse): boolean {
  return response.contentType === undefined || response.contentType === 'text/html' || response.contentType === 'application/xhtml+xml';
}

/** The page text, decoded with the charset the page declares (`<meta charset>`) when the Content-Type gave none. */
export function htmlText(response: FetchResponse): string {
  if (response.bodyBytes === undefined || /;\s*charset\s*=/i.test(response.headers['content-type'] ?? '')) return response.body;
  const declared = sniffHTMLCharset(response.bodyBytes);
  return declared === undefined ? response.body : decodeBody(response.bodyBytes, declared);
}

/**
 * Fetches a URL for discovery. Transport failures become a DiscoveryError
 * caused by the FetchError; so does any status but 200 (a FetchError of
 * reason `http_status`).
 */
export async function fetchForDiscovery(fetcher: Fetcher, url: string, accept: string, identifier: string): Promise<FetchResponse> {
  let response: FetchResponse;
  try {
    response = await fetcher.fetch(url, { accept });
  } catch (cause) {
    if (cause instanceof FetchError) {
      throw new DiscoveryError(`Fetching ${url} failed (${cause.reason}): ${cause.message}`, identifier, { cause });
    }
    throw cause;
  }
  if (response.status !== 200) {
    const cause = new FetchError(`${url} answered with HTTP ${response.status}`, url, 'http_status', { httpStatus: response.status });
    throw new DiscoveryError(cause.message, identifier, { cause });
  }
  return response;
}

function finalUrlOf(response: FetchResponse, identifier: string): string {
  try {
    return normalizeUrl(response.finalUrl);
  } catch (cause) {
    if (cause instanceof UrlError) throw new DiscoveryError(`Redirected to an invalid URL: ${cause.message}`, identifier, { cause });
    throw cause;
  }
}

function xrdsLocationUrl(location: string, base: string, identifier: string): string {
  try {
    return new URL(location, base).href;
  } catch (cause) {
    throw new DiscoveryError(`The X-XRDS-Location ${JSON.stringify(location.slice(0, 200))} is not a URL`, identifier, { cause });
  }
}

/**
 * Runs Yadis discovery on a URL: one request asking for XRDS; an XRDS
 * answer is the document; otherwise an `X-XRDS-Location` header or HTML
 * `<meta http-equiv>` names the document, fetched by a second request (if
 * that fails, the result carries the error and the page's HTML).
 * @throws DiscoveryError when the URL itself cannot be fetched
 * @see Yadis 1.0 §6.2
 */
export async function yadisDiscover(url: string, fetcher: Fetcher, identifier = url): Promise<YadisResult> {
  const response = await fetchForDiscovery(fetcher, url, `${XRDS_CONTENT_TYPE}, text/html;q=0.9, */*;q=0.1`, identifier);
  const finalUrl = finalUrlOf(response, identifier);
  if (isXRDS(response)) return { finalUrl, xrds: response.body, html: undefined };
  const html = isHTML(response) ? htmlText(response) : undefined;
  const location = response.headers['x-xrds-location']?.trim() || (html === undefined ? undefined : parseHTMLDiscovery(html).xrdsLocation);
  if (location === undefined || location === '') return { finalUrl, xrds: undefined, html };
  try {
    const document = await fetchForDiscovery(fetcher, xrdsLocationUrl(location, response.finalUrl, identifier), XRDS_CONTENT_TYPE, identifier);
    return { finalUrl, xrds: document.body, html };
  } catch (error) {
    if (error instanceof DiscoveryError) return { finalUrl, xrds: undefined, html, xrdsError: error };
    throw error;
  }
}
