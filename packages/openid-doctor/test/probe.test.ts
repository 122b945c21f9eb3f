/**
 * probeSite's findings on public-looking sites, served by a fetcher that
 * answers from a table (no network): each finding fired by a broken site,
 * and a good site kept quiet.
 */
import { FetchError, type Fetcher, type FetchResponse } from 'openid2-core';
import { probeSite, type Finding } from '../src/index.js';

interface Page { status?: number; headers?: Record<string, string>; body?: string; contentType?: string; finalUrl?: string }

const XRDS = 'application/xrds+xml';
const xrds = (type: string, uri: string): string =>
  `<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service><Type>${type}</Type><URI>${uri}</URI></Service></XRD></xrds:XRDS>`;
const RETURN_TO = 'http://specs.openid.net/auth/2.0/return_to';
const SERVER = 'http://specs.openid.net/auth/2.0/server';
const HSTS = { 'strict-transport-security': 'max-age=31536000' };

/** A fetcher answering from `pages` (404 for anything else, a connection error for `down`). */
function tableFetcher(pages: Record<string, Page>): Fetcher {
  return {
    async fetch(url: string): Promise<FetchResponse> {
      if (url.includes('down.example')) throw new FetchError(`Fetching ${url} failed: connect ECONNREFUSED`, url, 'connection');
      const page = pages[url] ?? { status: 404, body: 'not found' };
      const headers = { ...(page.contentType === undefined ? {} : { 'content-type': page.contentType }), ...page.headers };
      return { status: page.status ?? 200, headers, body: page.body ?? '', finalUrl: page.finalUrl ?? url, contentType: page.contentType ?? 'text/html' };
    },
  };
}

const ids = (findings: readonly Finding[]): string[] => findings.map((item) => `${item.level} ${item.id}`);

const goodRP = {
  'https://rp.example/': { headers: { ...HSTS, 'x-xrds-location': 'https://rp.example/openid/xrds' }, body: '<html></html>' },
  'https://rp.example/openid/xrds': { contentType: XRDS, body: xrds(RETURN_TO, 'https://rp.example/openid/return') },
  'https://rp.example/openid/return': { status: 400, body: 'no assertion' },
};

test.each([
  ['good: https with HSTS, a published return URL that answers', 'https://rp.example/', goodRP, []],
  ['no HSTS header', 'https://rp.example/', { ...goodRP, 'https://rp.example/': { headers: { 'x-xrds-location': 'https://rp.example/openid/xrds' } } }, ['warning site.no_hsts']],
  ['https redirecting to http', 'https://rp.example/', { 'https://rp.example/': { finalUrl: 'http://rp.example/', headers: HSTS } }, ['error site.https_downgrade', 'warning site.no_openid_discovery']],
  ['plain http on a public host', 'http://rp.example/', { 'http://rp.example/': {} }, ['error site.not_https', 'warning site.no_openid_discovery']],
  ['a server error', 'https://rp.example/', { 'https://rp.example/': { status: 502, headers: HSTS } }, ['error site.server_error']],
  ['an XRDS location that is not there', 'https://rp.example/', { 'https://rp.example/': { headers: { ...HSTS, 'x-xrds-location': 'https://rp.example/missing' } } }, ['error site.rp_discovery_broken', 'warning site.no_openid_discovery']],
  ['a published return URL on http', 'https://rp.example/', { ...goodRP, 'https://rp.example/openid/xrds': { contentType: XRDS, body: xrds(RETURN_TO, 'http://rp.example/openid/return') }, 'http://rp.example/openid/return': { status: 400 } }, ['error site.return_url_outside_realm', 'error site.return_url_not_https']],
  ['a published return URL that is down', 'https://rp.example/', { ...goodRP, 'https://rp.example/openid/xrds': { contentType: XRDS, body: xrds(RETURN_TO, 'https://down.example/return') } }, ['error site.return_url_outside_realm', 'error site.return_url_unreachable']],
  ['a provider whose endpoint is plain http', 'https://op.example/', { 'https://op.example/': { contentType: XRDS, headers: HSTS, body: xrds(SERVER, 'http://op.example/openid') }, 'http://op.example/openid': { status: 400 } }, ['error site.endpoint_not_https']],
  ['good: a provider with a live https endpoint', 'https://op.example/', { 'https://op.example/': { contentType: XRDS, headers: HSTS, body: xrds(SERVER, 'https://op.example/openid') }, 'https://op.example/openid': { status: 400 } }, []],
  ['an unreachable site', 'https://down.example/', {}, ['error site.unreachable']],
] as const)('%s', async (_name, url, pages, expected) => {
  expect(ids((await probeSite(url, tableFetcher(pages as Record<string, Page>))).findings)).toEqual(expected);
});
