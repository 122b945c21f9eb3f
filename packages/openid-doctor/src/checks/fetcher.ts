/**
 * The fetcher's guard: discovery fetches URLs users type, so a public
 * deployment must refuse private addresses (SSRF), which a probe of a
 * loopback address shows without sending anything anywhere else.
 */
import { FetchError, type Fetcher } from 'openid2-core';
import { finding, type Finding } from '../finding.js';

/** Whether a URL's host is this machine (a development deployment). */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname;
  return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Probes the fetcher with a loopback URL: a public deployment whose fetcher
 * reaches private addresses lets anyone make discovery probe its network
 * (SSRF), an error (`<prefix>.fetcher_allows_private`). Skipped for a
 * loopback `publicUrl` (development).
 * @param publicUrl the deployment's public URL: a loopback one may allow private addresses
 * @param prefix `rp` or `op`
 */
export async function checkFetcherGuard(prefix: string, fetcher: Fetcher, publicUrl: string): Promise<Finding[]> {
  if (isLoopbackUrl(publicUrl)) return [];
  try {
    // Port 9 (discard) on loopback: a guarded fetcher refuses before connecting; an open one connects (or is refused by the OS).
    await fetcher.fetch('http://127.0.0.1:9/');
  } catch (error) {
    if (error instanceof FetchError && error.reason === 'private_address') return [];
  }
  return [finding(`${prefix}.fetcher_allows_private`, 'error', 'the fetcher reaches private and loopback addresses: anyone can make discovery probe your network (SSRF); drop allowPrivateAddresses or use addressPolicy')];
}
