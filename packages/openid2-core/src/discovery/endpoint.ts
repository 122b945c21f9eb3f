/**
 * What discovery finds: the OpenID service endpoints behind an identifier.
 * @see OpenID 2.0 §7.3.1
 */
import { OPENID_1_0_TYPE, OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE } from '../constants.js';

/** OpenID protocol versions. */
export type ProtocolVersion = '2.0' | '1.1' | '1.0';

/** What a {@link ServiceEndpoint} is made of. */
export interface ServiceEndpointInit {
  opEndpoint: string;
  claimedId?: string | undefined;
  localId?: string | undefined;
  typeUris: readonly string[];
  displayIdentifier?: string | undefined;
  usedYadis?: boolean;
  /** Service priority (lower first); undefined = lowest. */
  priority?: number | undefined;
}

/** One OpenID service: an OP endpoint URL and the identifiers it answers for. Immutable. */
export class ServiceEndpoint {
  /** The OP endpoint URL. */
  readonly opEndpoint: string;
  /** The claimed identifier; undefined for OP Identifier (identifier select) elements. */
  readonly claimedId: string | undefined;
  /** The OP-local identifier (LocalID / delegate), when it differs from the claimed identifier. */
  readonly localId: string | undefined;
  /** The service's type URIs: protocol versions and supported extensions. */
  readonly typeUris: readonly string[];
  /** What to show the user (the claimed identifier without fragment, or an XRI's i-name). */
  readonly displayIdentifier: string | undefined;
  /** Whether the endpoint came from an XRDS document (Yadis) rather than HTML links. */
  readonly usedYadis: boolean;
  /** The XRDS service priority (lower first); undefined is the lowest. */
  readonly priority: number | undefined;

  constructor(init: ServiceEndpointInit) {
    this.opEndpoint = init.opEndpoint;
    this.claimedId = init.claimedId;
    this.localId = init.localId;
    this.typeUris = Object.freeze([...init.typeUris]);
    this.displayIdentifier = init.displayIdentifier ?? init.claimedId;
    this.usedYadis = init.usedYadis ?? false;
    this.priority = init.priority;
    Object.freeze(this);
  }

  /** An OP Identifier element: the user picks the identifier at the OP (§7.3.2.1.1). */
  get isOPIdentifier(): boolean {
    return this.typeUris.includes(OPENID_IDP_2_0_TYPE);
  }

  /** The protocol version: the highest the service lists. */
  get version(): ProtocolVersion {
    if (this.typeUris.includes(OPENID_IDP_2_0_TYPE) || this.typeUris.includes(OPENID_2_0_TYPE)) return '2.0';
    if (this.typeUris.includes(OPENID_1_1_TYPE)) return '1.1';
    return '1.0';
  }

  /** Whether the endpoint speaks OpenID 2.0. */
  isOpenID2(): boolean {
    return this.version === '2.0';
  }

  /** Whether the service lists a type URI (a protocol version or an extension). */
  supportsType(uri: string): boolean {
    return this.typeUris.includes(uri);
  }

  /** The identifier to send as `openid.identity`: the local identifier, else the claimed one. */
  getLocalId(): string | undefined {
    return this.localId ?? this.claimedId;
  }

  /** A plain object with the computed properties too (for logs and `openid-discover --json`). */
  toJSON(): Record<string, unknown> {
    return {
      opEndpoint: this.opEndpoint,
      claimedId: this.claimedId,
      localId: this.localId,
      displayIdentifier: this.displayIdentifier,
      version: this.version,
      isOPIdentifier: this.isOPIdentifier,
      typeUris: this.typeUris,
      priority: this.priority,
      usedYadis: this.usedYadis,
    };
  }
}

/** The type URIs that make a service an OpenID service, most preferred first. */
export const OPENID_TYPES: readonly string[] = [OPENID_IDP_2_0_TYPE, OPENID_2_0_TYPE, OPENID_1_1_TYPE, OPENID_1_0_TYPE];

function rank(endpoint: ServiceEndpoint): number {
  if (endpoint.isOPIdentifier) return 0;
  return endpoint.isOpenID2() ? 1 : 2;
}

/** OP Identifier elements first, then OpenID 2.0 before 1.x, then priority; stable otherwise. */
export function sortEndpoints(endpoints: readonly ServiceEndpoint[]): ServiceEndpoint[] {
  return endpoints
    .map((endpoint, index) => ({ endpoint, index }))
    .sort((a, b) => {
      const byRank = rank(a.endpoint) - rank(b.endpoint);
      if (byRank !== 0) return byRank;
      const pa = a.endpoint.priority ?? Number.POSITIVE_INFINITY;
      const pb = b.endpoint.priority ?? Number.POSITIVE_INFINITY;
      if (pa !== pb) return pa < pb ? -1 : 1;
      return a.index - b.index;
    })
    .map(({ endpoint }) => endpoint);
}
