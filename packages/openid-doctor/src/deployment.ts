/**
 * The start-up checks of a relying party and of a provider, each made of
 * the pure checks in `checks/`. The middlewares call these (their
 * `checkDeployment` functions); the pieces are exported for other stacks.
 */
import type { Fetcher, OpenIDStore, SealedHandlesOptions } from 'openid2-core';
import { checkProviderDiscovery, checkReturnUrlPublished } from './checks/discovery.js';
import { checkFetcherGuard } from './checks/fetcher.js';
import { checkSealingKeys } from './checks/sealed-keys.js';
import { checkSessionCookie, type SessionCookieSettings } from './checks/session-cookie.js';
import { checkStore } from './checks/store.js';
import { checkHttps } from './checks/urls.js';
import type { Finding } from './finding.js';

export interface RelyingPartyDeployment {
  /** The router's public URL (`baseUrl`). */
  baseUrl: string;
  /** @default the origin of baseUrl */
  realm?: string | undefined;
  /** @default `<baseUrl>/return` */
  returnUrl?: string | undefined;
  store?: OpenIDStore | undefined;
  fetcher?: Fetcher | undefined;
  /** express-session's cookie settings. @default not checked */
  sessionCookie?: SessionCookieSettings | undefined;
  /** The relying party resends answers that arrived without the session cookie. @default false */
  resubmits?: boolean;
  /** Fetch the realm's XRDS and the return URL (the site must be listening). @default false */
  network?: boolean;
  now?: () => number;
}

export async function checkRelyingPartyDeployment(deployment: RelyingPartyDeployment): Promise<Finding[]> {
  const base = deployment.baseUrl.replace(/\/$/, '');
  const findings = checkHttps('rp', 'baseUrl', base);
  if (deployment.sessionCookie !== undefined) findings.push(...checkSessionCookie(base, deployment.sessionCookie, deployment.resubmits === true));
  if (deployment.store !== undefined) findings.push(...(await checkStore('rp', deployment.store, deployment.now)));
  if (deployment.fetcher !== undefined) {
    findings.push(...(await checkFetcherGuard('rp', deployment.fetcher, base)));
    if (deployment.network === true) {
      findings.push(...(await checkReturnUrlPublished(deployment.realm ?? `${new URL(base).origin}/`, deployment.returnUrl ?? `${base}/return`, deployment.fetcher)));
    }
  }
  return findings;
}

export interface ProviderDeployment {
  endpoint: string;
  identityUrl?: string | undefined;
  opIdentifier?: string | undefined;
  store?: OpenIDStore | undefined;
  fetcher?: Fetcher | undefined;
  /** The `sealedHandles` option of the provider's Server. @default none */
  sealedHandles?: SealedHandlesOptions | undefined;
  /** How many instances serve the endpoint, and whether they share one association store. @default 1, shared */
  instances?: number;
  sharedStore?: boolean;
  /** Discover the identity page and OP Identifier (the site must be listening). @default false */
  network?: boolean;
  now?: () => number;
}

export async function checkProviderDeployment(deployment: ProviderDeployment): Promise<Finding[]> {
  const findings = checkHttps('op', 'endpoint', deployment.endpoint);
  findings.push(...checkSealingKeys(deployment.sealedHandles, deployment.instances, deployment.sharedStore));
  if (deployment.store !== undefined) findings.push(...(await checkStore('op', deployment.store, deployment.now)));
  if (deployment.fetcher !== undefined && deployment.network === true) {
    findings.push(...(await checkProviderDiscovery({ endpoint: deployment.endpoint, identityUrl: deployment.identityUrl, opIdentifier: deployment.opIdentifier, fetcher: deployment.fetcher })));
  }
  return findings;
}
