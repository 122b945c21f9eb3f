/**
 * Verifying discovered information: the claimed identifier of an assertion
 * must, by discovery, name the OP endpoint that signed it and the OP-local
 * identifier it asserts.
 * @see OpenID 2.0 §11.2
 */
import { OPENID_1_0_TYPE, OPENID_1_1_TYPE, OPENID_2_0_TYPE } from '../constants.js';
import { DiscoveryError } from '../errors.js';
import { normalizeUrl, parseHttpUrl, withoutFragment } from '../normalize-url.js';
import { discover, type DiscoverOptions } from './discover.js';
import { ServiceEndpoint, type ProtocolVersion } from './endpoint.js';

/** What a positive assertion says about who it is for and who made it. */
export interface AssertedInformation {
  /** `openid.claimed_id` (may carry a fragment, §11.5.1). */
  claimedId: string;
  /** `openid.identity`. */
  localId: string;
  /** `openid.op_endpoint` (2.0), or for 1.x (which has none) the endpoint the request went to. */
  opEndpoint: string;
  /** The protocol version of the assertion. */
  version: ProtocolVersion;
}

/**
 * The outcome of {@link verifyDiscoveredEndpoint}: the verified endpoint, or
 * why not (`discovery_failed`: the claimed identifier could not be
 * discovered; `discovery_mismatch`: it was, and names another OP or identifier).
 */
export type DiscoveredVerification =
  | { ok: true; endpoint: ServiceEndpoint }
  | { ok: false; reason: 'discovery_failed' | 'discovery_mismatch'; message: string; cause?: unknown };

/** Whether two identifiers are the same: URLs once normalized (fragments kept), anything else (XRIs) exactly. */
export function sameUrl(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  // Equal strings are the same URL whether or not they normalize (the common case: no parsing).
  if (a === b) return true;
  try {
    return normalizeUrl(a, { keepFragment: true }) === normalizeUrl(b, { keepFragment: true });
  } catch {
    return a === b;
  }
}

/**
 * The claimed identifier a verified assertion is for, in one spelling
 * only: the identifier discovery verified, with the asserted fragment
 * (§11.5.1) normalized and an empty one dropped. The OP's own spelling
 * (`HTTPS://OP.EXAMPLE:443/user/./alice`) never becomes the key to an
 * account, so one identity cannot appear under several strings.
 * @param asserted `openid.claimed_id` as the OP wrote it
 * @param discovered the claimed identifier discovery found (without fragment), which `asserted` matched
 */
export function verifiedClaimedId(asserted: string, discovered: string): string {
  const hash = asserted.indexOf('#');
  if (hash < 0 || hash === asserted.length - 1) return discovered;
  let fragment = asserted.slice(hash + 1);
  try {
    fragment = parseHttpUrl(asserted).fragment ?? fragment;
  } catch {
    // An XRI's fragment: kept as written (XRIs are compared exactly).
  }
  return `${discovered}#${fragment}`;
}

/** Whether an endpoint speaks the asserted protocol version (a service may list 2.0 and 1.x types). */
function speaks(endpoint: ServiceEndpoint, version: ProtocolVersion): boolean {
  if (version === '2.0') return endpoint.supportsType(OPENID_2_0_TYPE);
  return endpoint.supportsType(OPENID_1_1_TYPE) || endpoint.supportsType(OPENID_1_0_TYPE);
}

/**
 * Whether an endpoint found by discovery backs the asserted information:
 * a Claimed Identifier element (never an OP Identifier one) of the asserted
 * version, naming the asserted OP endpoint, for the asserted claimed
 * identifier (fragment removed) and OP-local identifier.
 * @see OpenID 2.0 §11.2
 */
export function endpointMatches(endpoint: ServiceEndpoint, asserted: AssertedInformation, discoveredClaimedId: string): boolean {
  if (endpoint.isOPIdentifier || !speaks(endpoint, asserted.version)) return false;
  if (!sameUrl(endpoint.opEndpoint, asserted.opEndpoint)) return false;
  if (!sameUrl(withoutFragment(asserted.claimedId), discoveredClaimedId)) return false;
  return sameUrl(endpoint.getLocalId(), asserted.localId);
}

/**
 * Discovers the asserted claimed identifier (fragment removed) and returns
 * the endpoint that matches the assertion, with the claimed identifier as
 * discovery verified it (the asserted fragment kept, normalized: see
 * {@link verifiedClaimedId}). A failed verification is a result, not an
 * exception; only faults other than discovery failures throw.
 * @see OpenID 2.0 §11.2; OpenID 1.1 §4.2.2
 */
export async function verifyDiscoveredEndpoint(asserted: AssertedInformation, options: DiscoverOptions): Promise<DiscoveredVerification> {
  let result;
  try {
    result = await discover(withoutFragment(asserted.claimedId), options);
  } catch (cause) {
    if (!(cause instanceof DiscoveryError)) throw cause;
    return { ok: false, reason: 'discovery_failed', message: `Discovery on the claimed identifier failed: ${cause.message}`, cause };
  }
  const match = result.endpoints.find((endpoint) => endpointMatches(endpoint, asserted, result.claimedId));
  if (match === undefined) {
    return {
      ok: false,
      reason: 'discovery_mismatch',
      message: `Discovery on ${withoutFragment(asserted.claimedId)} does not name ${asserted.opEndpoint} as its OP endpoint for ${asserted.localId}`,
    };
  }
  const claimedId = verifiedClaimedId(asserted.claimedId, result.claimedId);
  return {
    ok: true,
    endpoint: new ServiceEndpoint({
      opEndpoint: match.opEndpoint,
      claimedId,
      localId: match.localId,
      typeUris: match.typeUris,
      displayIdentifier: withoutFragment(claimedId),
      usedYadis: match.usedYadis,
      priority: match.priority,
    }),
  };
}
