export * from './errors.js';
export * from './constants.js';
export { kvForm, type KVPairs, type KVParseOptions, type KVSerializeOptions } from './kv-form.js';
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
  DEFAULT_NONCE_SKEW_SECONDS,
  type ParsedNonce,
  type NonceTimeOptions,
} from './nonce.js';
export { normalizeUrl, normalizeIdentifier, withoutFragment, type NormalizeUrlOptions, type NormalizedIdentifier } from './normalize-url.js';
export { Realm, returnToMatches } from './realm.js';
