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

/** An http(s) URL, normalized (resolved against `base` first), or undefined when it is not one. */
function httpUrl(value: string | undefined, base?: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  try {
    return normalizeUrl(base === undefined ? value : new URL(value, base).href, { keepFragment: true });
  } catch {
    return undefined;
  }
}

/** Who the endpoints of an XRDS document are for. */
export interface ServiceContext {
  /** The claimed identifier (final URL, or an XRI's CanonicalID). */
  claimedId: string;
  /** What discovery was about, for errors. */
  identifier: string;
  /** What to show the user, when not the claimed identifier (an XRI's i-name). */
  displayIdentifier?: string | undefined;
}

const isV1Service = (service: XRDService): boolean => service.types.includes(OPENID_1_1_TYPE) || service.types.includes(OPENID_1_0_TYPE);

/**
 * The OP-local identifier of a service: `LocalID` for the 2.0 type,
 * `openid:Delegate` for 1.x types. If a service gives several that disagree,
 * discovery fails rather than guess which one the OP will assert.
 * @see OpenID 2.0 §7.3.2.1.2, Appendix B.2 (python-openid's findOPLocalIdentifier)
 */
function localIdOf(service: XRDService, identifier: string): string | undefined {
  const values = [
    ...(isV1Service(service) ? service.delegates : []),
    ...(service.types.includes(OPENID_2_0_TYPE) ? service.localIds : []),
  ].map((value) => httpUrl(value) ?? value); // URLs normalized; XRIs (i-numbers) kept as they are
  if (new Set(values).size > 1) {
    throw new DiscoveryError('A service element gives OP-local identifiers (LocalID, openid:Delegate) that disagree', identifier);
  }
  return values[0];
}

function serviceEndpoints(service: XRDService, context: ServiceContext): ServiceEndpoint[] {
  const isOP = service.types.includes(OPENID_IDP_2_0_TYPE);
  const isSignon = [OPENID_2_0_TYPE, OPENID_1_1_TYPE, OPENID_1_0_TYPE].some((type) => service.types.includes(type));
  if (!isOP && !isSignon) return [];
  // An OP Identifier element names no user: the claimed identifier is chosen at the OP (§7.3.2.1.1).
  const localId = isOP ? undefined : localIdOf(service, context.identifier);
  return service.uris.flatMap((uri) => {
    const opEndpoint = httpUrl(uri);
    if (opEndpoint === undefined) return [];
    return [
      new ServiceEndpoint({
        opEndpoint,
        claimedId: isOP ? undefined : context.claimedId,
        localId: localId === context.claimedId ? undefined : localId,
        typeUris: service.types,
        displayIdentifier: isOP ? undefined : context.displayIdentifier,
        usedYadis: true,
        priority: service.priority,
      }),
    ];
  });
}

/**
 * Endpoints of the OpenID service elements of an XRDS document, in the
 * document's priority order. Services without an OpenID type or without an
 * http(s) URI give none.
 * @throws DiscoveryError when a service's OP-local identifiers disagree
 */
export function endpointsFromServices(services: readonly XRDService[], context: ServiceContext): ServiceEndpoint[] {
  return services.flatMap((service) => serviceEndpoints(service, context));
}

function htmlEndpoint(provider: string | undefined, localIdHref: string | undefined, type: string, claimedId: string, pageUrl: string): ServiceEndpoint[] {
  const opEndpoint = httpUrl(provider, pageUrl);
  if (opEndpoint === undefined) return [];
  const localId = httpUrl(localIdHref, pageUrl);
  return [new ServiceEndpoint({ opEndpoint, claimedId, localId: localId === claimedId ? undefined : localId, typeUris: [type] })];
}

/**
 * Endpoints of HTML `<link>` discovery: OpenID 2.0 first, then 1.x.
 * Relative hrefs are resolved against the page URL.
 * @see OpenID 2.0 §7.3.3; OpenID 1.1 §3.1
 */
export function endpointsFromHTML(info: HTMLDiscoveryInfo, claimedId: string, pageUrl: string): ServiceEndpoint[] {
  return [
    ...htmlEndpoint(info.provider2, info.localId2, OPENID_2_0_TYPE, claimedId, pageUrl),
    ...htmlEndpoint(info.provider1, info.delegate1, OPENID_1_1_TYPE, claimedId, pageUrl),
  ];
}
