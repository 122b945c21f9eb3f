/**
 * Typed errors of the library. Every error has a stable `code` (the
 * {@link OpenIDErrorCode} union) and chains its cause with `{ cause }`.
 *
 * A failed login is never an exception: the consumer returns a failure
 * result. Exceptions are for malformed input, faults (network, store) and
 * programming mistakes (bad options).
 */

/**
 * Every error code the library throws, one per kind of error (an
 * {@link OpenIDError} subclass, or a variant of one such as
 * `ERR_DUPLICATE_KEY` of {@link MessageError}).
 */
export const OPENID_ERROR_CODES = [
  'ERR_KV_FORM',
  'ERR_MESSAGE',
  'ERR_DUPLICATE_KEY',
  // ExtensionError (extensions/extension.ts), a MessageError.
  'ERR_EXTENSION',
  'ERR_INTEGER',
  'ERR_URL',
  'ERR_REALM',
  'ERR_NONCE',
  'ERR_ASSOCIATION',
  'ERR_DIFFIE_HELLMAN',
  'ERR_FETCH',
  'ERR_DISCOVERY',
  'ERR_STORE',
  'ERR_PROTOCOL',
  'ERR_ANSWER',
  'ERR_INTERACTION_NOT_FOUND',
  'ERR_INTERACTION_INVALID',
  'ERR_CSRF',
  // openid-consumer-express: a request it cannot make sense of (a malformed Host header).
  'ERR_BAD_REQUEST',
  'ERR_CONFIG',
] as const;

/** Every error code the library throws (see {@link OPENID_ERROR_CODES}). */
export type OpenIDErrorCode = (typeof OPENID_ERROR_CODES)[number];

/** Options of every error's constructor. */
export interface OpenIDErrorOptions {
  /** The fault this error reports, kept as the standard `Error.cause`. @default undefined (no cause) */
  cause?: unknown;
}

/** Base class of every error thrown by the library. */
export class OpenIDError extends Error {
  readonly code: OpenIDErrorCode;
  /** HTTP status to use when the error reaches an HTTP response. */
  status = 500;
  /** Whether `message` may be shown to an end user (true only for 4xx). */
  expose = false;

  constructor(code: OpenIDErrorCode, message: string, options: OpenIDErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Malformed key-value form (OpenID 2.0 §4.1.1). */
export class KVFormError extends OpenIDError {
  /** 1-based line number of the offending line, when known. */
  readonly line: number | undefined;
  constructor(
    message: string,
    options: OpenIDErrorOptions & {
      /** 1-based line number of the offending line. @default undefined (not known) */
      line?: number;
    } = {},
  ) {
    super('ERR_KV_FORM', message, options);
    this.line = options.line;
    this.status = 400;
    this.expose = true;
  }
}

/** A protocol message that cannot be built or read (OpenID 2.0 §4.1, §12). */
export class MessageError extends OpenIDError {
  constructor(
    message: string,
    options: OpenIDErrorOptions & {
      /** The error code: `ERR_DUPLICATE_KEY` for a key given twice, `ERR_EXTENSION` for a bad extension message. @default 'ERR_MESSAGE' */
      code?: 'ERR_MESSAGE' | 'ERR_DUPLICATE_KEY' | 'ERR_EXTENSION';
    } = {},
  ) {
    super(options.code ?? 'ERR_MESSAGE', message, options);
    this.status = 400;
    this.expose = true;
  }
}

/** A value that is not a valid btwoc/base64 integer (OpenID 2.0 §4.2). */
export class IntegerError extends OpenIDError {
  constructor(message: string, options: OpenIDErrorOptions = {}) {
    super('ERR_INTEGER', message, options);
    this.status = 400;
    this.expose = true;
  }
}

/** A URL or identifier that cannot be normalized (OpenID 2.0 §7.2). */
export class UrlError extends OpenIDError {
  readonly input: string;
  constructor(message: string, input: string, options: OpenIDErrorOptions = {}) {
    super('ERR_URL', message, options);
    this.input = input;
    this.status = 400;
    this.expose = true;
  }
}

/** A realm (trust root) that cannot be parsed (OpenID 2.0 §9.2). */
export class RealmError extends OpenIDError {
  readonly realm: string;
  constructor(message: string, realm: string, options: OpenIDErrorOptions = {}) {
    super('ERR_REALM', message, options);
    this.realm = realm;
    this.status = 400;
    this.expose = true;
  }
}

/** A response nonce that cannot be parsed (OpenID 2.0 §10.1). */
export class NonceError extends OpenIDError {
  constructor(message: string, options: OpenIDErrorOptions = {}) {
    super('ERR_NONCE', message, options);
    this.status = 400;
    this.expose = true;
  }
}

/** An association or association session that cannot be used (OpenID 2.0 §8). */
export class AssociationError extends OpenIDError {
  constructor(message: string, options: OpenIDErrorOptions = {}) {
    super('ERR_ASSOCIATION', message, options);
  }
}

/** Invalid Diffie-Hellman parameters or public keys (OpenID 2.0 §8.4.2). */
export class DiffieHellmanError extends OpenIDError {
  constructor(message: string, options: OpenIDErrorOptions = {}) {
    super('ERR_DIFFIE_HELLMAN', message, options);
    this.status = 400;
    this.expose = true;
  }
}

/** Why a fetch failed. */
export type FetchFailureReason =
  | 'invalid_url'
  | 'scheme_not_allowed'
  | 'private_address'
  | 'dns'
  | 'timeout'
  | 'too_large'
  | 'too_many_redirects'
  | 'tls'
  | 'connection'
  | 'aborted'
  | 'http_status';

/** A network fetch that failed (discovery, association, check_authentication, RP discovery). */
export class FetchError extends OpenIDError {
  readonly url: string;
  readonly reason: FetchFailureReason;
  /** HTTP status of the response, for `http_status` failures. */
  readonly httpStatus: number | undefined;
  constructor(
    message: string,
    url: string,
    reason: FetchFailureReason,
    options: OpenIDErrorOptions & {
      /** HTTP status of the response, for an `http_status` failure. @default undefined */
      httpStatus?: number;
    } = {},
  ) {
    super('ERR_FETCH', message, options);
    this.url = url;
    this.reason = reason;
    this.httpStatus = options.httpStatus;
    this.status = 502;
  }
}

/**
 * Why a login could not start, where more is known than "discovery found
 * nothing": `begin_timeout`, discovery and association together outlasted
 * the consumer's `beginTimeoutMs`; `endpoints_unreachable`, no OP endpoint
 * tried could be reached.
 */
export type DiscoveryErrorReason = 'begin_timeout' | 'endpoints_unreachable';

/** Discovery that found no usable OpenID service (OpenID 2.0 §7.3), or a login that could not start. */
export class DiscoveryError extends OpenIDError {
  readonly identifier: string;
  /** A reason code, when one applies (see {@link DiscoveryErrorReason}). */
  readonly reason: DiscoveryErrorReason | undefined;
  constructor(
    message: string,
    identifier: string,
    options: OpenIDErrorOptions & {
      /** Why the login could not start, when more is known than "nothing found". @default undefined */
      reason?: DiscoveryErrorReason;
    } = {},
  ) {
    super('ERR_DISCOVERY', message, options);
    this.identifier = identifier;
    this.reason = options.reason;
    this.status = 400;
    this.expose = true;
  }
}

/** A store fault (unreachable database, query failure). Never "not found". */
export class StoreError extends OpenIDError {
  constructor(message: string, options: OpenIDErrorOptions = {}) {
    super('ERR_STORE', message, options);
    this.status = 503;
  }
}

/** A pending provider interaction that does not exist (expired, already used or forged). */
export class InteractionNotFound extends OpenIDError {
  constructor(message = 'The sign-in request was not found: it expired or was already used.', options: OpenIDErrorOptions = {}) {
    super('ERR_INTERACTION_NOT_FOUND', message, options);
    this.status = 400;
    this.expose = true;
  }
}

/**
 * A pending provider interaction that was found but cannot be used: what the
 * session holds under its id is not a pending checkid request (a session
 * store that altered it, or a client-side session tampered with).
 */
export class InteractionInvalid extends OpenIDError {
  constructor(message = 'The sign-in request could not be read back: please start again from the site you were signing in to.', options: OpenIDErrorOptions = {}) {
    super('ERR_INTERACTION_INVALID', message, options);
    this.status = 400;
    this.expose = true;
  }
}

/** A form whose CSRF token is missing or wrong (the provider's interaction round trip). */
export class CsrfError extends OpenIDError {
  constructor(message = 'The form could not be verified (missing or wrong CSRF token). Please try again.', options: OpenIDErrorOptions = {}) {
    super('ERR_CSRF', message, options);
    this.status = 403;
    this.expose = true;
  }
}

/** OpenID 2.0 `error_code` values defined by the spec (§8.2.4) and common usage. */
export type ProtocolErrorCode = 'unsupported-type' | 'invalid-request' | (string & {});

/** Options of {@link ProtocolError}: what the server needs to encode the error answer. @see OpenID 2.0 §5.1.2.2, §5.2.3 */
export interface ProtocolErrorOptions extends OpenIDErrorOptions {
  /** The OpenID namespace of the request, so the answer uses the same version. @default undefined (OpenID 2.0) */
  namespace?: string | undefined;
  /** `openid.return_to` of the request: set only when an indirect error answer is possible. @default undefined (no indirect answer) */
  returnTo?: string | undefined;
  /** Whether the request was a direct (server to server) one, answered in key-value form with status 400. @default false */
  direct?: boolean;
  /** `openid.error_code`: a machine-readable reason. @default undefined (none sent) */
  errorCode?: ProtocolErrorCode | undefined;
  /** Additional fields of the error message, without the `openid.` prefix. @default {} */
  extra?: Record<string, string>;
  /** The error code: `ERR_ANSWER` for an {@link AnswerError}. @default 'ERR_PROTOCOL' */
  code?: 'ERR_PROTOCOL' | 'ERR_ANSWER';
  /**
   * The text sent to the relying party (`openid.error`), when `message`
   * holds details meant for the provider's application only.
   * @default the message
   */
  publicMessage?: string;
}

/**
 * An OpenID protocol error that the server encodes as an error response
 * (KV form for direct requests, a redirect to `return_to` for indirect ones).
 * @see OpenID 2.0 §5.1.2.2, §5.2.3
 */
export class ProtocolError extends OpenIDError {
  readonly namespace: string | undefined;
  readonly returnTo: string | undefined;
  readonly direct: boolean;
  readonly errorCode: ProtocolErrorCode | undefined;
  readonly extra: Readonly<Record<string, string>>;
  /** What the relying party is told (`openid.error`). */
  readonly publicMessage: string;
  constructor(message: string, options: ProtocolErrorOptions = {}) {
    super(options.code ?? 'ERR_PROTOCOL', message, options);
    this.namespace = options.namespace;
    this.returnTo = options.returnTo;
    this.direct = options.direct ?? false;
    this.errorCode = options.errorCode;
    this.extra = { ...options.extra };
    this.publicMessage = options.publicMessage ?? message;
    this.status = 400;
    this.expose = true;
  }
}

/**
 * The application's answer to a checkid request cannot be sent: an identity
 * the request is not for, extension arguments key-value form cannot carry.
 * Nothing is signed. It is a {@link ProtocolError}, so the relying party gets
 * an error answer (with a generic text: the message, naming the field at
 * fault and the identities involved, is for the provider's application only).
 */
export class AnswerError extends ProtocolError {
  /** The field of the answer at fault, as a dotted path (`identity`, `extensions[0].args.fullname`). */
  readonly field: string;
  constructor(message: string, field: string, options: Pick<ProtocolErrorOptions, 'namespace' | 'returnTo' | 'cause'> = {}) {
    super(`${field}: ${message}`, {
      namespace: options.namespace,
      returnTo: options.returnTo,
      cause: options.cause,
      code: 'ERR_ANSWER',
      publicMessage: 'The provider could not answer this sign-in request.',
    });
    this.field = field;
    // The message names identities and the app's own mistake: not for the user (publicMessage is what goes out).
    this.expose = false;
  }
}

/**
 * Invalid options, thrown when a factory or constructor is called; also a
 * deployment mistake only a request can reveal (no express-session before
 * the router). Never for a fault of the request itself or of what the app
 * answers (see {@link AnswerError}). Status 500, not exposed: the deployment
 * is at fault, not the user.
 */
export class OpenIDConfigError extends OpenIDError {
  /** The option at fault, as a dotted path. */
  readonly option: string | undefined;
  constructor(message: string, option?: string, options: OpenIDErrorOptions = {}) {
    super('ERR_CONFIG', option === undefined ? message : `${option}: ${message}`, options);
    this.option = option;
  }
}
