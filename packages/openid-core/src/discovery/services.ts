/**
 * Endpoints from what discovery found: XRDS service elements or HTML links.
 * @see OpenID 2.0 §7.3.2.1, §7.3.2.2, §7.3.3
 */
import { OPENID_1_0_TYPE, OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE } from '../constants.js';
import { DiscoveryError } from '../errors.js';
import { normalizeUrl } from '../normalize-url.js';
import { ServiceEndpoint } from './endpoint.js';
import type { HTMLDiscoveryInfo } from './html.js';
import type { XRDService } from './xrds.js';

function httpUrl(value: string | undefined, base?: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return normalizeUrl(base === undefined ? value : new URL(value, base).href, { keepFragment: true });
  } catch {
    return undefined;
  }
}

/**
 * The OP-local identifier of a service: `LocalID` for 2.0 types,
 * `openid:Delegate` for 1.x types. If a service carries both and they
 * disagree, discovery fails rather than guess.
 */
function localIdOf(service: XRDService, identifier: string): string | undefined {
  const candidates: string[] = [];
  if (service.types.includes(OPENID_2_0_TYPE) && service.localId !== undefined) candidates.push(service.localId);
  const isV1 = service.types.includes(OPENID_1_1_TYPE) || service.types.includes(OPENID_1_0_TYPE);
  if (isV1 && service.delegate !== undefined) candidates.push(service.delegate);
  if (new Set(candidates).size > 1) {
    throw new DiscoveryError('A service element gives a LocalID and an openid:Delegate that disagree', identifier);
  }
  return candidates[0];
}

/** Endpoints of the OpenID service elements of an XRDS document. */
export function endpointsFromServices(services: readonly XRDService[], claimedId: string, identifier: string): ServiceEndpoint[] {
  const endpoints: ServiceEndpoint[] = [];
  for (const service of services) {
    const isOP = service.types.includes(OPENID_IDP_2_0_TYPE);
    const isSignon = [OPENID_2_0_TYPE, OPENID_1_1_TYPE, OPENID_1_0_TYPE].some((type) => service.types.includes(type));
    if (!isOP && !isSignon) continue;
    const localId = isOP ? undefined : httpUrl(localIdOf(service, identifier)) ?? localIdOf(service, identifier);
    for (const uri of service.uris) {
      const serverUrl = httpUrl(uri);
      if (serverUrl === undefined) continue;
      endpoints.push(
        new ServiceEndpoint({
          serverUrl,
          claimedId: isOP ? undefined : claimedId,
          localId: localId === claimedId ? undefined : localId,
          typeUris: service.types,
          usedYadis: true,
          priority: service.priority,
        }),
      );
    }
  }
  return endpoints;
}

/** Endpoints of HTML `<link>` discovery: OpenID 2.0 first, then 1.x. */
export function endpointsFromHTML(info: HTMLDiscoveryInfo, claimedId: string, pageUrl: string): ServiceEndpoint[] {
  const endpoints: ServiceEndpoint[] = [];
  const v2 = httpUrl(info.provider2, pageUrl);
  if (v2 !== undefined) {
    const localId = httpUrl(info.localId2, pageUrl);
    endpoints.push(new ServiceEndpoint({ serverUrl: v2, claimedId, localId: localId === claimedId ? undefined : localId, typeUris: [OPENID_2_0_TYPE] }));
  }
  const v1 = httpUrl(info.provider1, pageUrl);
  if (v1 !== undefined) {
    const localId = httpUrl(info.delegate1, pageUrl);
    endpoints.push(new ServiceEndpoint({ serverUrl: v1, claimedId, localId: localId === claimedId ? undefined : localId, typeUris: [OPENID_1_1_TYPE] }));
  }
  return endpoints;
}
