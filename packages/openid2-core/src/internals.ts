// `openid2-core/internals`: the building blocks the main entry is made of,
// for adapters, tools and tests that work at the protocol's level (this
// repository's Express packages, stores, test kit and doctor use them).
// Not the intended API: the main entry is. test/public-surface.test.ts lists
// every name, so a change here is deliberate.
export { kvForm, type KVPairs, type KVParseOptions, type KVSerializeOptions } from './kv-form.js';
export { decodeFormComponent, readFormPairs } from './form-urlencoded.js';
export { NamespaceAliases, RESERVED_ALIASES } from './message.js';
export { btwoc, fromBtwoc, intToBase64, base64ToInt, decodeBase64Strict } from './btwoc.js';
export {
  DiffieHellman,
  DEFAULT_DH_MODULUS,
  DEFAULT_DH_GENERATOR,
  MAX_MODULUS_BITS_CEILING,
  validateGroup,
  type DiffieHellmanOptions,
  type DHHash,
} from './diffie-hellman.js';
export { isAssociationType, newHandle, secretLengthOf } from './association.js';
export {
  createConsumerSession,
  createServerSession,
  assocTypeMatchesSession,
  sessionAllowedOverTransport,
  isSessionType,
  newSecret,
  type ConsumerSession,
  type ServerSession,
} from './association-session.js';
export { makeNonce, parseNonce, checkNonceTimestamp, nonceInWindow, isNonceSalt, MAX_NONCE_LENGTH, type ParsedNonce, type NonceTimeOptions } from './nonce.js';
export { withoutFragment, parseHttpUrl, formatHttpUrl, type NormalizedUrlParts, type ParseHttpUrlOptions } from './normalize-url.js';
export { returnToMatches } from './realm.js';
export { decodeBody } from './fetch/fetcher.js';
export { isPrivateAddress } from './fetch/address-guard.js';
export { sortEndpoints, OPENID_TYPES } from './discovery/endpoint.js';
export { parseXRDS, XRDS_NS, XRD_NS, type XRDService, type ParsedXRDS } from './discovery/xrds.js';
export { parseHTMLDiscovery, type HTMLDiscoveryInfo } from './discovery/html.js';
export { yadisDiscover, type YadisResult } from './discovery/yadis.js';
export { verifyDiscoveredEndpoint, endpointMatches, type AssertedInformation, type DiscoveredVerification } from './discovery/verify-discovered.js';
export { writeXRDS, type XRDSServiceElement } from './discovery/xrds-writer.js';
export { ReturnToCache } from './server/return-to-cache.js';
export { Signatory, type SignatoryOptions } from './server/signatory.js';
export { SealedHandles, isSealedHandle } from './server/sealed-handles.js';
export { sanitizeErrorText } from './error-text.js';
export { Negotiator, type NegotiatorOptions } from './consumer/negotiator.js';
export { TRANSACTION_PARAM } from './consumer/session.js';
export { failure } from './consumer/result.js';
export { causeChain, discoveryFailureReason, isLoopbackRefusal, withoutQuery } from './log-event.js';
export { addExtensionToMessage, signedExtensionArgs, signedArgsFrom } from './extensions/extension.js';
export { sregNamespaceOf, sregNamespaceFor } from './extensions/sreg.js';
export { attributeOfUri, attributeOfField, attributeOfSRegField } from './extensions/ax-attributes.js';
