/** HTTPS for public deployments (assertions, sessions and associations travel in the clear otherwise). */
import { finding, type Finding } from '../finding.js';
import { isLoopbackUrl } from './fetcher.js';

/**
 * A plain-http URL on a public host is an error (`<prefix>.not_https`):
 * sessions and assertions would travel in the clear. Loopback URLs pass.
 * @param prefix `rp` or `op`
 * @param what what the URL is (`baseUrl`, `endpoint`)
 */
export function checkHttps(prefix: string, what: string, url: string): Finding[] {
  if (new URL(url).protocol === 'https:' || isLoopbackUrl(url)) return [];
  return [finding(`${prefix}.not_https`, 'error', `${what} ${url} is plain http on a public host: sessions and assertions travel in the clear; serve it over https`)];
}
