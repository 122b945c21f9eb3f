// The intended API: what a relying party, a provider or a store author uses.
// Building blocks (key-value form, btwoc, Diffie-Hellman, association
// sessions, nonces, discovery parsers, endpoint checks, the signatory...)
// live behind `openid2-core/internals` (src/internals.ts).
// test/public-surface.test.ts lists both, so a change here is deliberate.
export * from './errors.js';
export * from './constants.js';
export {
  Message,
  OPENID_NS,
  BARE_NS,
  type NamespaceKey,
  type MessageArgs,
  type IndirectEncoding,
  type FormMarkupOptions,
} from './message.js';
export { Association, ASSOCIATION_TYPES, isValidHandle, type AssociationType, type AssociationInit } from './association.js';
export { SESSION_TYPES, type SessionType } from './association-session.js';
export type { DiffieHellmanLimits } from './diffie-hellman.js';
export { DEFAULT_NONCE_SKEW_SECONDS } from './nonce.js';
export { normalizeUrl, normalizeIdentifier, type NormalizeUrlOptions, type NormalizedIdentifier } from './normalize-url.js';
export { Realm } from './realm.js';
// For pages an application renders around the library's (the library's own pages use it).
export { escapeHTML } from './message-form.js';

// Fetching and discovery.
export { createFetcher, type Fetcher, type FetchInit, type FetchResponse, type FetcherOptions, type LookupFunction } from './fetch/fetcher.js';
export { discover, type DiscoverOptions, type DiscoveryResult } from './discovery/discover.js';
export { ServiceEndpoint, type ProtocolVersion, type ServiceEndpointInit } from './discovery/endpoint.js';
export { MemoryDiscoveryCache, type DiscoveryCache, type MemoryDiscoveryCacheOptions } from './discovery/cache.js';
export { DISCOVERY_LIMITS } from './discovery/limits.js';
export { XRDS_CONTENT_TYPE } from './discovery/yadis.js';
export { discoverRelyingPartyReturnTos } from './discovery/relying-party.js';
export { relyingPartyXrds, opIdentifierXrds, claimedIdentifierXrds, identityLinks, type IdentityVersion, type IdentityDocumentOptions } from './discovery/xrds-writer.js';

// Stores, and what a store author needs to write one.
export { StoreClock, DEFAULT_MAX_ASSOCIATIONS_PER_SERVER, isOpenIDStore, evictionTarget, serverKey, checkNonceArgs, type OpenIDStore, type StoreTimeOptions } from './store/store.js';
export { MemoryStore } from './store/memory-store.js';
export { FileStore, type FileStoreOptions } from './store/file-store.js';

// The provider.
export { Server, type ServerOptions, type DecodedRequest } from './server/server.js';
export type { ReturnToCacheOptions } from './server/return-to-cache.js';
export { CheckIDRequest, type AllowOptions, type ReturnToVerification } from './server/check-id-request.js';
export { AssociateRequest, type AssociationPolicy } from './server/associate-request.js';
export { CheckAuthRequest } from './server/check-auth-request.js';
export type { SealedHandlesOptions, SealingKey } from './server/sealed-handles.js';
export { PairwiseIdentifiers, type PairwiseOptions } from './server/pairwise.js';
export { encodeResponse, errorResponse, type OpenIDResponse, type EncodedResponse } from './server/response.js';

// The relying party.
export { Consumer } from './consumer/consumer.js';
export { type ConsumerOptions, type PerLoginOptions } from './consumer/consumer-config.js';
export { AuthRequest } from './consumer/auth-request.js';
export { AssociationFlights } from './consumer/association-flights.js';
export { DEFAULT_ASSOCIATION_PREFERENCES, type AssociationPreference } from './consumer/negotiator.js';
export { objectSession, type ConsumerSessionStore, type Transaction } from './consumer/session.js';
export { FAILURE_REASONS, type CompletionResult, type SuccessResult, type CancelResult, type SetupNeededResult, type FailureResult, type FailureReason } from './consumer/result.js';
export { type ConsumerPreset, type PresetRefusal, type PresetConsumerSettings } from './consumer/preset.js';
export { steamPreset, steamIdFromClaimedId, steamIdOf, STEAM_OP_ENDPOINT, STEAM_OP_IDENTIFIER, STEAM_REFUSAL_CODES, type SteamPresetOptions } from './consumer/presets/steam.js';
export type { CauseEntry, DiscoveryFailureReason, OpenIDEvent } from './log-event.js';

// Extensions: SREG, AX, PAPE, and the profile over SREG and AX.
export { ExtensionError, type Extension, type ExtensionErrorReason, type SignedArgsSource, type SignedSource } from './extensions/extension.js';
export { SRegRequest, SRegResponse, SREG_FIELDS, isSRegField, sregValueProblem, supportsSReg, type SRegField, type SRegData, type SRegRequestOptions } from './extensions/sreg.js';
export { AXFetchRequest, AXFetchResponse, AXStoreRequest, AXStoreResponse, axAliasProblem, type AXRequestedAttribute } from './extensions/ax.js';
export { AX_ATTRIBUTES, PROFILE_FIELDS, isProfileField, type AXAttribute, type ProfileField } from './extensions/ax-attributes.js';
export { PapeRequest, PapeResponse, PAPE_POLICY_PHISHING_RESISTANT, PAPE_POLICY_MULTI_FACTOR, PAPE_POLICY_MULTI_FACTOR_PHYSICAL, PAPE_POLICY_NONE, PAPE_LEVEL_NIST, PAPE_LEVEL_JISA, formatAuthTime, parseAuthTime } from './extensions/pape.js';
export { profileRequest, addProfileRequest, normalizeProfile, profileFromSuccess, requestedProfile, answerProfile, profileValueProblem, type Profile, type ProfileRequest, type ProfileRequestOptions, type ProfilePlan, type RequestedProfile } from './extensions/profile.js';
