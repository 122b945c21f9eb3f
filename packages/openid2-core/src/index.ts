export * from './errors.js';
export * from './constants.js';
export { kvForm, type KVPairs, type KVParseOptions, type KVSerializeOptions } from './kv-form.js';
export { decodeFormComponent, readFormPairs } from './form-urlencoded.js';
export {
  Message,
  OPENID_NS,
  BARE_NS,
  NamespaceAliases,
  RESERVED_ALIASES,
  type NamespaceKey,
  type MessageArgs,
  type IndirectEncoding,
  type FormMarkupOptions,
} from './message.js';
export { btwoc, fromBtwoc, intToBase64, base64ToInt, decodeBase64Strict } from './btwoc.js';
export {
  DiffieHellman,
  DEFAULT_DH_MODULUS,
  DEFAULT_DH_GENERATOR,
  MAX_MODULUS_BITS_CEILING,
  validateGroup,
  type DiffieHellmanLimits,
  type DiffieHellmanOptions,
  type DHHash,
} from './diffie-hellman.js';
export {
  Association,
  ASSOCIATION_TYPES,
  isAssociationType,
  isValidHandle,
  newHandle,
  secretLengthOf,
  type AssociationType,
  type AssociationInit,
} from './association.js';
export {
  createConsumerSession,
  createServerSession,
  assocTypeMatchesSession,
  sessionAllowedOverTransport,
  isSessionType,
  newSecret,
  SESSION_TYPES,
  type SessionType,
  type ConsumerSession,
  type ServerSession,
} from './association-session.js';
export {
  makeNonce,
  parseNonce,
  checkNonceTimestamp,
  nonceInWindow,
  isNonceSalt,
  MAX_NONCE_LENGTH,
  DEFAULT_NONCE_SKEW_SECONDS,
  type ParsedNonce,
  type NonceTimeOptions,
} from './nonce.js';
export {
  normalizeUrl,
  normalizeIdentifier,
  withoutFragment,
  parseHttpUrl,
  formatHttpUrl,
  type NormalizeUrlOptions,
  type NormalizedIdentifier,
  type NormalizedUrlParts,
  type ParseHttpUrlOptions,
} from './normalize-url.js';
export { Realm, returnToMatches } from './realm.js';
export { createFetcher, decodeBody, type Fetcher, type FetchInit, type FetchResponse, type FetcherOptions, type LookupFunction } from './fetch/fetcher.js';
export { isPrivateAddress } from './fetch/address-guard.js';
export { discover, type DiscoverOptions, type DiscoveryResult } from './discovery/discover.js';
export { ServiceEndpoint, sortEndpoints, OPENID_TYPES, type ProtocolVersion, type ServiceEndpointInit } from './discovery/endpoint.js';
export { MemoryDiscoveryCache, type DiscoveryCache, type MemoryDiscoveryCacheOptions } from './discovery/cache.js';
export { DISCOVERY_LIMITS } from './discovery/limits.js';
export { parseXRDS, XRDS_NS, XRD_NS, type XRDService, type ParsedXRDS } from './discovery/xrds.js';
export { parseHTMLDiscovery, type HTMLDiscoveryInfo } from './discovery/html.js';
export { yadisDiscover, XRDS_CONTENT_TYPE, type YadisResult } from './discovery/yadis.js';
export { verifyDiscoveredEndpoint, endpointMatches, type AssertedInformation, type DiscoveredVerification } from './discovery/verify-discovered.js';
export { discoverRelyingPartyReturnTos } from './discovery/relying-party.js';
export { writeXRDS, relyingPartyXrds, opIdentifierXrds, claimedIdentifierXrds, identityLinks, type XRDSServiceElement, type IdentityVersion, type IdentityDocumentOptions } from './discovery/xrds-writer.js';
export { StoreClock, DEFAULT_MAX_ASSOCIATIONS_PER_SERVER, isOpenIDStore, evictionTarget, serverKey, checkNonceArgs, type OpenIDStore, type StoreTimeOptions } from './store/store.js';
export { MemoryStore } from './store/memory-store.js';
export { FileStore, type FileStoreOptions } from './store/file-store.js';
export { Server, type ServerOptions, type DecodedRequest } from './server/server.js';
export { ReturnToCache, type ReturnToCacheOptions } from './server/return-to-cache.js';
export { CheckIDRequest, type AllowOptions, type ReturnToVerification } from './server/check-id-request.js';
export { AssociateRequest, type AssociationPolicy } from './server/associate-request.js';
export { CheckAuthRequest } from './server/check-auth-request.js';
export { Signatory, type SignatoryOptions } from './server/signatory.js';
export { SealedHandles, isSealedHandle, type SealedHandlesOptions, type SealingKey } from './server/sealed-handles.js';
export { PairwiseIdentifiers, type PairwiseOptions } from './server/pairwise.js';
export { sanitizeErrorText } from './error-text.js';
export { encodeResponse, errorResponse, type OpenIDResponse, type EncodedResponse } from './server/response.js';
export { escapeHTML } from './message-form.js';
export { Consumer } from './consumer/consumer.js';
export { type ConsumerOptions, type PerLoginOptions } from './consumer/consumer-config.js';
export { AuthRequest } from './consumer/auth-request.js';
export { AssociationFlights } from './consumer/association-flights.js';
export { Negotiator, DEFAULT_ASSOCIATION_PREFERENCES, type AssociationPreference, type NegotiatorOptions } from './consumer/negotiator.js';
export { objectSession, TRANSACTION_PARAM, type ConsumerSessionStore, type Transaction } from './consumer/session.js';
export { failure, FAILURE_REASONS, type CompletionResult, type SuccessResult, type CancelResult, type SetupNeededResult, type FailureResult, type FailureReason } from './consumer/result.js';
export { type ConsumerPreset, type PresetRefusal, type PresetConsumerSettings } from './consumer/preset.js';
export { steamPreset, steamIdFromClaimedId, steamIdOf, STEAM_OP_ENDPOINT, STEAM_OP_IDENTIFIER, STEAM_REFUSAL_CODES, type SteamPresetOptions } from './consumer/presets/steam.js';
export { ExtensionError, addExtensionToMessage, extensionArgs, signedExtensionArgs, signedArgsFrom, type Extension, type ExtensionArgs, type ExtensionErrorReason, type SignedArgsSource, type SignedSource } from './extensions/extension.js';
export { SRegRequest, SRegResponse, SREG_FIELDS, isSRegField, validSRegValue, sregValueProblem, supportsSReg, sregNamespaceOf, sregNamespaceFor, type SRegField, type SRegData, type SRegRequestOptions } from './extensions/sreg.js';
export { FetchRequest as AXFetchRequest, FetchResponse as AXFetchResponse, StoreRequest as AXStoreRequest, StoreResponse as AXStoreResponse, validAXAlias, axAliasProblem, type AXRequestedAttribute } from './extensions/ax.js';
export { AX_ATTRIBUTES, PROFILE_FIELDS, isProfileField, attributeOfUri, attributeOfField, attributeOfSRegField, type AXAttribute, type ProfileField } from './extensions/ax-attributes.js';
export { PapeRequest, PapeResponse, PAPE_POLICY_PHISHING_RESISTANT, PAPE_POLICY_MULTI_FACTOR, PAPE_POLICY_MULTI_FACTOR_PHYSICAL, PAPE_POLICY_NONE, PAPE_LEVEL_NIST, PAPE_LEVEL_JISA, formatAuthTime, parseAuthTime } from './extensions/pape.js';
export { profileRequest, addProfileRequest, normalizeProfile, profileFromSuccess, requestedProfile, answerProfile, profileValueProblem, type Profile, type ProfileRequest, type ProfileRequestOptions, type ProfilePlan, type RequestedProfile } from './extensions/profile.js';
export { causeChain, discoveryFailureReason, isLoopbackRefusal, withoutQuery, type CauseEntry, type DiscoveryFailureReason, type OpenIDEvent } from './log-event.js';
