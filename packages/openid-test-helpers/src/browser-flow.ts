/**
 * Indirect messages carried the way a browser carries them, for flow tests
 * with a {@link CookieClient}: a redirect from another site is a cross-site
 * GET navigation, an auto-submitting form from another site a cross-site
 * POST (SameSite rules apply to both), and a page that submits itself from
 * the target site is a same-site navigation.
 */
import { readForm, type ClientResponse, type CookieClient } from './cookie-client.js';

/** One request of a flow, for assertions on the path taken. */
export interface Hop {
  method: 'GET' | 'POST';
  url: string;
  crossSite: boolean;
  status: number;
}

/** The first form of a page: method, absolute action and hidden fields. */
export function readPageForm(html: string, pageUrl: string): { method: 'GET' | 'POST'; action: string; fields: URLSearchParams } | undefined {
  const tag = /<form\b[^>]*>/i.exec(html)?.[0];
  if (tag === undefined) return undefined;
  const method = /\bmethod="get"/i.test(tag) ? 'GET' : 'POST';
  const { action, fields } = readForm(html);
  return { method, action: new URL(action === '' ? pageUrl : action, pageUrl).href, fields };
}

/** Submits a page's form as the browser would (a GET form replaces the action's query with its fields). */
export async function submitPageForm(client: CookieClient, html: string, pageUrl: string, crossSite: boolean): Promise<{ response: ClientResponse; hop: Hop }> {
  const form = readPageForm(html, pageUrl);
  if (form === undefined) throw new Error(`No form on the page at ${pageUrl}: ${html.slice(0, 200)}`);
  if (form.method === 'GET') {
    const target = new URL(form.action);
    target.search = form.fields.toString();
    const response = await client.get(target.href, crossSite);
    return { response, hop: { method: 'GET', url: target.href, crossSite, status: response.status } };
  }
  const response = await client.post(form.action, form.fields, crossSite);
  return { response, hop: { method: 'POST', url: form.action, crossSite, status: response.status } };
}

/**
 * Delivers what a site answered (a redirect or an auto-submitting page) to
 * where it points, cross-site, then follows pages that resubmit themselves
 * same-site (at most `maxSameSite` of them).
 */
export async function deliverIndirect(
  client: CookieClient,
  answer: ClientResponse,
  answerUrl: string,
  options: { maxSameSite?: number } = {},
): Promise<{ response: ClientResponse; url: string; hops: Hop[] }> {
  const hops: Hop[] = [];
  let response: ClientResponse;
  let url: string;
  if (answer.location !== undefined) {
    url = answer.location;
    response = await client.get(url, true);
    hops.push({ method: 'GET', url, crossSite: true, status: response.status });
  } else {
    const first = await submitPageForm(client, answer.body, answerUrl, true);
    ({ response } = first);
    url = first.hop.url;
    hops.push(first.hop);
  }
  for (let i = 0; i < (options.maxSameSite ?? 1) && response.status === 200 && /<form\b/i.test(response.body); i += 1) {
    const again = await submitPageForm(client, response.body, url, false);
    ({ response } = again);
    url = again.hop.url;
    hops.push(again.hop);
  }
  return { response, url, hops };
}
