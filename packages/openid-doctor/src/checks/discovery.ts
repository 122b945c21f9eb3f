/**
 * Discovery as the other side sees it. Relying party: the realm publishes
 * the return URL (§13), and the return URL answers. Provider: an identity
 * page leads (by XRDS or HTML) to the configured endpoint and names itself;
 * the OP Identifier's XRDS names the endpoint as a server (§7.3.2.1.1).
 */
import { discover, discoverRelyingPartyReturnTos, type Fetcher } from 'openid2-core';
import { returnToMatches } from 'openid2-core/internals';
import { finding, type Finding } from '../finding.js';

const brief = (error: unknown): string => (error as Error).message.split('\n')[0]?.slice(0, 200) ?? String(error);

/** Whether a URL answers (anything below 500 but 404: a return URL without an assertion answers 4xx or a redirect). */
async function answers(fetcher: Fetcher, url: string): Promise<string | undefined> {
  try {
    const response = await fetcher.fetch(url);
    return response.status >= 500 || response.status === 404 ? `answers ${response.status}` : undefined;
  } catch (error) {
    return `cannot be fetched (${brief(error)})`;
  }
}

/** The realm publishes `returnUrl` for relying party discovery, and it answers. */
export async function checkReturnUrlPublished(realm: string, returnUrl: string, fetcher: Fetcher): Promise<Finding[]> {
  const findings: Finding[] = [];
  let published: string[] = [];
  try {
    published = await discoverRelyingPartyReturnTos(realm, fetcher);
  } catch (error) {
    findings.push(finding('rp.realm_discovery_failed', 'warning', `relying party discovery at ${realm} failed (${brief(error)}): OPs warn users that this site cannot be verified`));
  }
  if (findings.length === 0 && published.length === 0) {
    findings.push(finding('rp.return_url_not_published', 'warning', `${realm} publishes no return URL (no XRDS with a return_to service): serve router.realmDiscovery on the realm's page`));
  } else if (published.length > 0 && !returnToMatches(published, returnUrl)) {
    findings.push(finding('rp.return_url_not_listed', 'error', `the realm's XRDS lists ${published.join(', ')} but not ${returnUrl}: OPs will refuse or warn; publish the URL the router really uses (check baseUrl)`));
  }
  const problem = await answers(fetcher, returnUrl);
  if (problem !== undefined) findings.push(finding('rp.return_url_unreachable', 'error', `the return URL ${returnUrl} ${problem}: assertions cannot arrive`));
  return findings;
}

/** What {@link checkProviderDiscovery} checks: the endpoint, the pages whose discovery must lead to it, and the fetcher to fetch them with. */
export interface ProviderDiscoveryInput {
  /** The configured OP endpoint. */
  opEndpoint: string;
  /** A user's identity page. @default none checked */
  identityUrl?: string | undefined;
  /** The OP Identifier URL. @default none checked */
  opIdentifier?: string | undefined;
  /** Fetches the pages, as a relying party would (its address guard applies). */
  fetcher: Fetcher;
}

/** Identity page → XRDS (or HTML links) → the configured endpoint; the OP Identifier → the endpoint as a server. */
export async function checkProviderDiscovery(input: ProviderDiscoveryInput): Promise<Finding[]> {
  const findings: Finding[] = [];
  if (input.identityUrl !== undefined) {
    try {
      const result = await discover(input.identityUrl, { fetcher: input.fetcher });
      const mine = result.endpoints.filter((endpoint) => endpoint.opEndpoint === input.opEndpoint && !endpoint.isOPIdentifier);
      if (mine.length === 0) {
        const seen = [...new Set(result.endpoints.map((endpoint) => endpoint.opEndpoint))].join(', ') || 'none';
        findings.push(finding('op.identity_page_inconsistent', 'error', `the identity page ${input.identityUrl} leads to ${seen}, not the configured endpoint ${input.opEndpoint}`));
      } else if (result.claimedId !== input.identityUrl) {
        findings.push(finding('op.identity_redirects', 'warning', `the identity page ${input.identityUrl} ends at ${result.claimedId}: relying parties will use that as the claimed identifier`));
      }
    } catch (error) {
      findings.push(finding('op.identity_page_undiscoverable', 'error', `discovery of ${input.identityUrl} failed (${brief(error)})`));
    }
  }
  if (input.opIdentifier !== undefined) {
    try {
      const result = await discover(input.opIdentifier, { fetcher: input.fetcher });
      if (!result.endpoints.some((endpoint) => endpoint.isOPIdentifier && endpoint.opEndpoint === input.opEndpoint)) {
        findings.push(finding('op.op_identifier_inconsistent', 'error', `the OP Identifier ${input.opIdentifier} has no XRDS server service naming ${input.opEndpoint}: "sign in with" buttons cannot use it`));
      }
    } catch (error) {
      findings.push(finding('op.op_identifier_undiscoverable', 'error', `discovery of the OP Identifier ${input.opIdentifier} failed (${brief(error)})`));
    }
  }
  return findings;
}
