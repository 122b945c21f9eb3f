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

/**
 * A relying party's settings, as {@link checkRelyingPartyDeployment} checks
 * them; each check runs only when what it needs is given.
 */
export interface RelyingPartyDeployment {
  /** The router's public URL (`baseUrl`). */
  baseUrl: string;
  /** The realm sent with logins, whose XRDS must publish the return URL (OpenID 2.0 §13). @default the origin of baseUrl */
  realm?: string | undefined;
  /** Where assertions arrive. @default `<baseUrl>/return` */
  returnUrl?: string | undefined;
  /** The association and nonce store, round-tripped by {@link checkStore}. @default undefined (not checked) */
  store?: OpenIDStore | undefined;
  /** The discovery fetcher: its address guard is probed, and with `network` it fetches the realm and return URL. @default undefined (not checked) */
  fetcher?: Fetcher | undefined;
  /** express-session's cookie settings. @default not checked */
  sessionCookie?: SessionCookieSettings | undefined;
  /** The relying party resends answers that arrived without the session cookie. @default false */
  resubmits?: boolean;
  /** Fetch the realm's XRDS and the return URL (the site must be listening). @default false */
  network?: boolean;
  /** Clock in milliseconds, for the store's nonce window. @default Date.now */
  now?: () => number;
}

/**
 * The relying party's start-up checks: HTTPS, the session cookie, the store,
 * the fetcher's guard and (with `network`) the realm's published return URL.
 * Hand the findings to {@link report}.
 */
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

/**
 * A provider's settings, as {@link checkProviderDeployment} checks them;
 * each check runs only when what it needs is given.
 */
export interface ProviderDeployment {
  /** The OP endpoint URL, as relying parties discover it. */
  opEndpoint: string;
  /** A user's identity page, whose discovery must lead to `opEndpoint` (with `network`). @default undefined (not checked) */
  identityUrl?: string | undefined;
  /** The OP Identifier, whose discovery must name `opEndpoint` as a server (with `network`). @default undefined (not checked) */
  opIdentifier?: string | undefined;
  /** The association and nonce store, round-tripped by {@link checkStore}. @default undefined (not checked) */
  store?: OpenIDStore | undefined;
  /** Fetches the identity page and OP Identifier (with `network`). @default undefined (no discovery checked) */
  fetcher?: Fetcher | undefined;
  /** The `sealedHandles` option of the provider's Server. @default none */
  sealedHandles?: SealedHandlesOptions | undefined;
  /** How many instances serve the endpoint. @default 1 */
  instances?: number;
  /** Whether every instance reaches the same association store: several instances need one, or sealed handles. @default true */
  sharedStore?: boolean;
  /** Discover the identity page and OP Identifier (the site must be listening). @default false */
  network?: boolean;
  /** Clock in milliseconds, for the store's nonce window. @default Date.now */
  now?: () => number;
}

/**
 * The provider's start-up checks: HTTPS, the sealing keys (or a shared store
 * for several instances), the store, and (with `network`) that discovery of
 * the identity page and OP Identifier leads to the endpoint. Hand the
 * findings to {@link report}.
 */
export async function checkProviderDeployment(deployment: ProviderDeployment): Promise<Finding[]> {
  const findings = checkHttps('op', 'endpoint', deployment.opEndpoint);
  findings.push(...checkSealingKeys(deployment.sealedHandles, deployment.instances, deployment.sharedStore));
  if (deployment.store !== undefined) findings.push(...(await checkStore('op', deployment.store, deployment.now)));
  if (deployment.fetcher !== undefined && deployment.network === true) {
    findings.push(...(await checkProviderDiscovery({ opEndpoint: deployment.opEndpoint, identityUrl: deployment.identityUrl, opIdentifier: deployment.opIdentifier, fetcher: deployment.fetcher })));
  }
  return findings;
}
