/**
 * Typed errors of the library. Every error has a stable `code` (the
 * {@link OpenIDErrorCode} union) and chains its cause with `{ cause }`.
 *
 * A failed login is never an exception: the consumer returns a failure
 * result. Exceptions are for malformed input, faults (network, store) and
 * programming mistakes (bad options).
 */

/** Every error code the library throws. */
export type OpenIDErrorCode =
  | 'ERR_KV_FORM'
  | 'ERR_MESSAGE'
  | 'ERR_DUPLICATE_KEY'
  | 'ERR_INTEGER'
  | 'ERR_URL'
  | 'ERR_REALM'
  | 'ERR_NONCE'
  | 'ERR_ASSOCIATION'
  | 'ERR_DIFFIE_HELLMAN'
  | 'ERR_FETCH'
  | 'ERR_DISCOVERY'
  | 'ERR_STORE'
  | 'ERR_PROTOCOL'
  | 'ERR_INTERACTION_NOT_FOUND'
  | 'ERR_CONFIG';

export interface OpenIDErrorOptions {
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
  constructor(message: string, options: OpenIDErrorOptions & { line?: number } = {}) {
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
    options: OpenIDErrorOptions & { code?: 'ERR_MESSAGE' | 'ERR_DUPLICATE_KEY' } = {},
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
    options: OpenIDErrorOptions & { httpStatus?: number } = {},
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
export type DiscoveryFailureReason = 'begin_timeout' | 'endpoints_unreachable';

/** Discovery that found no usable OpenID service (OpenID 2.0 §7.3), or a login that could not start. */
export class DiscoveryError extends OpenIDError {
  readonly identifier: string;
  /** A reason code, when one applies (see {@link DiscoveryFailureReason}). */
  readonly reason: DiscoveryFailureReason | undefined;
  constructor(message: string, identifier: string, options: OpenIDErrorOptions & { reason?: DiscoveryFailureReason } = {}) {
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

/** OpenID 2.0 `error_code` values defined by the spec (§8.2.4) and common usage. */
export type ProtocolErrorCode = 'unsupported-type' | 'invalid-request' | (string & {});

export interface ProtocolErrorOptions extends OpenIDErrorOptions {
  /** The OpenID namespace of the request, so the answer uses the same version. */
  namespace?: string | undefined;
  /** `openid.return_to` of the request: set only when an indirect error answer is possible. */
  returnTo?: string | undefined;
  /** Whether the request was a direct (server to server) one. */
  direct?: boolean;
  /** `openid.error_code`. */
  errorCode?: ProtocolErrorCode | undefined;
  /** Additional fields of the error message, without the `openid.` prefix. */
  extra?: Record<string, string>;
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
  constructor(message: string, options: ProtocolErrorOptions = {}) {
    super('ERR_PROTOCOL', message, options);
    this.namespace = options.namespace;
    this.returnTo = options.returnTo;
    this.direct = options.direct ?? false;
    this.errorCode = options.errorCode;
    this.extra = { ...options.extra };
    this.status = 400;
    this.expose = true;
  }
}

/** Invalid options, thrown when a factory or constructor is called. */
export class OpenIDConfigError extends TypeError {
  readonly code = 'ERR_CONFIG' as const;
  /** The option at fault, as a dotted path. */
  readonly option: string | undefined;
  constructor(message: string, option?: string) {
    super(option === undefined ? message : `${option}: ${message}`);
    this.option = option;
    this.name = 'OpenIDConfigError';
  }
}
