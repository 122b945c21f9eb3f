/**
 * `openid-doctor <url>`: a running site probed from outside, without
 * logging in: redirects and HTTPS, relying party discovery (the return
 * URLs it publishes, inside its realm, answering), and for a provider or
 * identity page the endpoints its discovery names.
 */
import { discover, discoverRelyingPartyReturnTos, Realm, type Fetcher } from 'openid2-core';
import { isLoopbackUrl } from './checks/fetcher.js';
import { finding, type Finding } from './finding.js';

/** What {@link probeSite} learned about a running site: what it is, and what is wrong with it. */
export interface ProbeResult {
  /** What the site showed itself to be, one line each (`relying party: return URL …`). */
  notes: string[];
  /** The problems found, as the start-up checks report them. */
  findings: Finding[];
}

const brief = (error: unknown): string => (error as Error).message.split('\n')[0]?.slice(0, 200) ?? String(error);

/** Fetches a URL the way a relying party or OP would; a problem in words, or undefined when it answers. */
async function problemOf(fetcher: Fetcher, url: string): Promise<string | undefined> {
  try {
    const response = await fetcher.fetch(url);
    return response.status >= 500 || response.status === 404 ? `answers ${response.status}` : undefined;
  } catch (error) {
    return `cannot be fetched (${brief(error)})`;
  }
}

function publicHttp(url: string): boolean {
  return new URL(url).protocol === 'http:' && !isLoopbackUrl(url);
}

async function probeRelyingParty(url: string, fetcher: Fetcher, result: ProbeResult): Promise<boolean> {
  let returnUrls: string[];
  try {
    returnUrls = await discoverRelyingPartyReturnTos(url, fetcher);
  } catch (error) {
    result.findings.push(finding('site.rp_discovery_broken', 'error', `relying party discovery at ${url} fails (${brief(error)}): its XRDS cannot be read`));
    return false;
  }
  const realm = Realm.parse(url);
  for (const returnUrl of returnUrls) {
    result.notes.push(`relying party: publishes the return URL ${returnUrl}`);
    if (!realm.matches(returnUrl)) result.findings.push(finding('site.return_url_outside_realm', 'error', `the published return URL ${returnUrl} is outside the realm ${url}: OPs refuse it`));
    if (publicHttp(returnUrl)) result.findings.push(finding('site.return_url_not_https', 'error', `the return URL ${returnUrl} is plain http: assertions travel in the clear`));
    const problem = await problemOf(fetcher, returnUrl);
    if (problem !== undefined) result.findings.push(finding('site.return_url_unreachable', 'error', `the published return URL ${returnUrl} ${problem}`));
  }
  return returnUrls.length > 0;
}

async function probeProvider(url: string, fetcher: Fetcher, result: ProbeResult): Promise<boolean> {
  let endpoints;
  try {
    ({ endpoints } = await discover(url, { fetcher }));
  } catch {
    return false;
  }
  for (const opEndpoint of new Set(endpoints.map((endpoint) => endpoint.opEndpoint))) {
    const kinds = endpoints.filter((endpoint) => endpoint.opEndpoint === opEndpoint).map((endpoint) => (endpoint.isOPIdentifier ? 'OP identifier' : `identity (OpenID ${endpoint.version})`));
    result.notes.push(`provider: ${[...new Set(kinds)].join(', ')} → endpoint ${opEndpoint}`);
    if (publicHttp(opEndpoint)) result.findings.push(finding('site.endpoint_not_https', 'error', `the OP endpoint ${opEndpoint} is plain http: associations and assertions travel in the clear`));
    const problem = await problemOf(fetcher, opEndpoint);
    if (problem !== undefined) result.findings.push(finding('site.endpoint_unreachable', 'error', `the OP endpoint ${opEndpoint} named by discovery ${problem}`));
  }
  return endpoints.length > 0;
}

/** Probes a site from outside. Only GET requests, none with credentials. */
export async function probeSite(url: string, fetcher: Fetcher): Promise<ProbeResult> {
  const result: ProbeResult = { notes: [], findings: [] };
  let response;
  try {
    response = await fetcher.fetch(url, { accept: 'text/html' });
  } catch (error) {
    result.findings.push(finding('site.unreachable', 'error', `${url} cannot be fetched (${brief(error)})`));
    return result;
  }
  const final = response.finalUrl;
  if (final !== url) result.notes.push(`redirects to ${final}`);
  if (new URL(url).protocol === 'https:' && new URL(final).protocol === 'http:') result.findings.push(finding('site.https_downgrade', 'error', `${url} redirects to plain http ${final}`));
  else if (publicHttp(final)) result.findings.push(finding('site.not_https', 'error', `${final} is plain http on a public host and does not redirect to https`));
  if (new URL(final).protocol === 'https:' && response.headers['strict-transport-security'] === undefined) {
    result.findings.push(finding('site.no_hsts', 'warning', `${final} sends no Strict-Transport-Security header: a first visit can be downgraded`));
  }
  if (response.status >= 500) {
    // Discovery would only fail the same way.
    result.findings.push(finding('site.server_error', 'error', `${final} answers ${response.status}`));
    return result;
  }
  const isRelyingParty = await probeRelyingParty(url, fetcher, result);
  const isProvider = await probeProvider(url, fetcher, result);
  if (!isRelyingParty && !isProvider) {
    result.findings.push(finding('site.no_openid_discovery', 'warning', `${url} publishes no return URL (relying party discovery, §13) and names no OP endpoint: OPs warn users that a relying party here cannot be verified`));
  }
  return result;
}
