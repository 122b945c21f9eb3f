/**
 * Yadis: find the XRDS document of a URL, by content negotiation, the
 * `X-XRDS-Location` header, or the HTML `<meta http-equiv>` pointer.
 * @see OpenID 2.0 §7.3.1; Yadis 1.0 §6
 */
import { DiscoveryError, FetchError, UrlError } from '../errors.js';
import { decodeBody, type Fetcher, type FetchResponse } from '../fetch/fetcher.js';
import { normalizeUrl } from '../normalize-url.js';
import { parseHTMLDiscovery, sniffHTMLCharset } from './html.js';

export const XRDS_CONTENT_TYPE = 'application/xrds+xml';

export interface YadisResult {
  /** The URL after redirects, normalized: the claimed identifier of URL discovery. */
  finalUrl: string;
  /** The XRDS document, when one was found. */
  xrds: string | undefined;
  /** The HTML of the identifier's page, when it was HTML. */
  html: string | undefined;
}

function isXRDS(response: FetchResponse): boolean {
  if (response.contentType === XRDS_CONTENT_TYPE) return true;
  const xmlish = response.contentType === 'text/xml' || response.contentType === 'application/xml';
  return xmlish && /<(?:\w+:)?XRDS[\s>]/.test(response.body.slice(0, 4096));
}

function isHTML(response: FetchResponse): boolean {
  return response.contentType === undefined || response.contentType === 'text/html' || response.contentType === 'application/xhtml+xml';
}

/** The page text, decoded with the charset the page declares when the header gave none. */
export function htmlText(response: FetchResponse): string {
  if (/charset=/i.test(response.headers['content-type'] ?? '')) return response.body;
  const declared = sniffHTMLCharset(response.bodyBytes);
  return declared === undefined ? response.body : decodeBody(response.bodyBytes, declared);
}

/** Fetches a URL and fails with a DiscoveryError (caused by the FetchError) on any failure. */
export async function fetchForDiscovery(fetcher: Fetcher, url: string, accept: string, identifier: string): Promise<FetchResponse> {
  let response: FetchResponse;
  try {
    response = await fetcher.fetch(url, { headers: { accept } });
  } catch (cause) {
    if (cause instanceof FetchError) {
      throw new DiscoveryError(`Fetching ${url} failed (${cause.reason}): ${cause.message}`, identifier, { cause });
    }
    throw cause;
  }
  if (response.status !== 200) {
    throw new DiscoveryError(`${url} answered with HTTP ${response.status}`, identifier);
  }
  return response;
}

/** Runs Yadis discovery on a URL. */
export async function yadisDiscover(url: string, fetcher: Fetcher, identifier = url): Promise<YadisResult> {
  const response = await fetchForDiscovery(fetcher, url, `${XRDS_CONTENT_TYPE}, text/html;q=0.9, */*;q=0.1`, identifier);
  let finalUrl: string;
  try {
    finalUrl = normalizeUrl(response.finalUrl);
  } catch (cause) {
    if (cause instanceof UrlError) throw new DiscoveryError(`Redirected to an invalid URL: ${cause.message}`, identifier, { cause });
    throw cause;
  }
  if (isXRDS(response)) return { finalUrl, xrds: response.body, html: undefined };
  const html = isHTML(response) ? htmlText(response) : undefined;
  const location = response.headers['x-xrds-location'] ?? (html === undefined ? undefined : parseHTMLDiscovery(html).xrdsLocation);
  if (location !== undefined && location !== '') {
    let xrdsUrl: string;
    try {
      xrdsUrl = new URL(location, response.finalUrl).href;
    } catch (cause) {
      throw new DiscoveryError(`The X-XRDS-Location ${JSON.stringify(location.slice(0, 200))} is not a URL`, identifier, { cause });
    }
    const document = await fetchForDiscovery(fetcher, xrdsUrl, XRDS_CONTENT_TYPE, identifier);
    return { finalUrl, xrds: document.body, html };
  }
  return { finalUrl, xrds: undefined, html };
}
