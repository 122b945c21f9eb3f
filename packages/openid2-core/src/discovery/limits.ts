/**
 * What one discovery result may keep. The documents come from whoever typed
 * the identifier, and results are cached: an XRDS document of a megabyte of
 * URLs and types must not become a megabyte of cache per identifier.
 */
import type { DiscoveryResult } from './discovery-result.js';
import { OPENID_TYPES, ServiceEndpoint } from './endpoint.js';

/** Bounds on the endpoints of one identifier. */
export const DISCOVERY_LIMITS = Object.freeze({
  /** Endpoints kept per identifier, the most preferred (a real identifier has one to three). */
  maxEndpoints: 10,
  /** Longest endpoint, claimed or local identifier URL kept; an endpoint with a longer one is dropped. */
  maxUrlLength: 2048,
  /** Type URIs kept per endpoint (OpenID's own first). */
  maxTypeUris: 16,
  /** Longest type URI kept; longer ones are dropped (no protocol or extension type is near it). */
  maxTypeUriLength: 256,
});

/**
 * A copy of a string that shares no memory with the document it was cut
 * from: V8 may keep a substring as a slice of its parent, and a slice of a
 * 1 MiB document keeps the whole document alive as long as the cache does.
 */
export function detach<T extends string | undefined>(text: T): T {
  return (text === undefined ? text : structuredClone(text)) as T;
}

function withinLength(text: string | undefined): boolean {
  return text === undefined || text.length <= DISCOVERY_LIMITS.maxUrlLength;
}

function boundedTypes(typeUris: readonly string[]): string[] {
  const short = typeUris.filter((uri) => uri.length <= DISCOVERY_LIMITS.maxTypeUriLength);
  const own = short.filter((uri) => OPENID_TYPES.includes(uri));
  const others = short.filter((uri) => !OPENID_TYPES.includes(uri));
  return [...new Set([...own, ...others])].slice(0, DISCOVERY_LIMITS.maxTypeUris).map(detach);
}

/**
 * The endpoints a result keeps, in order of preference: at most
 * `maxEndpoints`, none with an over-long URL, each with a bounded list of
 * short type URIs, every string copied out of the document.
 */
export function boundedEndpoints(endpoints: readonly ServiceEndpoint[]): ServiceEndpoint[] {
  return endpoints
    .filter((endpoint) => [endpoint.opEndpoint, endpoint.claimedId, endpoint.localId, endpoint.displayIdentifier].every(withinLength))
    .slice(0, DISCOVERY_LIMITS.maxEndpoints)
    .map(
      (endpoint) =>
        new ServiceEndpoint({
          opEndpoint: detach(endpoint.opEndpoint),
          claimedId: detach(endpoint.claimedId),
          localId: detach(endpoint.localId),
          typeUris: boundedTypes(endpoint.typeUris),
          // Left to default to the claimed identifier when it is that (one copy, not two).
          displayIdentifier: endpoint.displayIdentifier === endpoint.claimedId ? undefined : detach(endpoint.displayIdentifier),
          usedYadis: endpoint.usedYadis,
          priority: endpoint.priority,
        }),
    );
}

/** Bytes a string takes at most (two per UTF-16 unit) plus a header. */
const stringBytes = (text: string | undefined): number => (text === undefined ? 0 : 16 + 2 * text.length);

/**
 * The memory a discovery result holds, estimated from above: its strings
 * at two bytes a character, and a fixed allowance per object.
 */
export function discoveryResultSize(result: DiscoveryResult): number {
  let size = 256 + stringBytes(result.normalizedInput) + stringBytes(result.claimedId) + stringBytes(result.finalUrl);
  for (const endpoint of result.endpoints) {
    size += 256 + stringBytes(endpoint.opEndpoint) + stringBytes(endpoint.claimedId) + stringBytes(endpoint.localId) + stringBytes(endpoint.displayIdentifier);
    for (const uri of endpoint.typeUris) size += 8 + stringBytes(uri);
  }
  return size;
}
