/**
 * The OpenID provider, framework-free: decode a request, handle direct
 * requests, answer checkid requests, encode the response.
 * @see OpenID 2.0 §5, §8, §9, §10, §11.4.2
 */
import { OPENID1_NS, OPENID2_NS } from '../constants.js';
import { OpenIDConfigError, MessageError, ProtocolError } from '../errors.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { discoverRelyingPartyReturnTos } from '../discovery/relying-party.js';
import { Message, OPENID_NS, type MessageArgs } from '../message.js';
import { normalizeUrl } from '../normalize-url.js';
import { isOpenIDStore, type OpenIDStore } from '../store/store.js';
import { AssociateRequest, resolveAssociationPolicy, type AssociationPolicy } from './associate-request.js';
import { CheckAuthRequest } from './check-auth-request.js';
import { CheckIDRequest } from './check-id-request.js';
import { encodeResponse, errorResponse, type EncodedResponse, type OpenIDResponse } from './response.js';
import { ReturnToCache, type ReturnToCacheOptions } from './return-to-cache.js';
import type { SealedHandlesOptions } from './sealed-handles.js';
import { Signatory } from './signatory.js';

/** Options of {@link Server}, checked by its constructor. */
export interface ServerOptions extends AssociationPolicy {
  /** Where associations and check_authentication nonces are kept (shared by every instance of the OP). */
  store: OpenIDStore;
  /** The OP endpoint URL (http or https), exactly as relying parties discover it: signed into every assertion as `op_endpoint`. */
  opEndpoint: string;
  /** For relying party discovery (return_to verification, §9.2.1). @default createFetcher() (private addresses refused) */
  fetcher?: Fetcher;
  /** Lifetime of shared associations, in seconds. @default 1209600 (14 days) */
  associationLifetime?: number;
  /** Lifetime of private associations: how long a stateless relying party has to call check_authentication, in seconds. @default 300 */
  privateAssociationLifetime?: number;
  /**
   * Relying party discovery results kept by realm (10 minutes, failures
   * 1 minute, 1000 realms by default), or false to fetch the realm on every
   * checkid request.
   * @default {} (a cache with the defaults of {@link ReturnToCacheOptions})
   */
  returnToCache?: ReturnToCacheOptions | false;
  /**
   * Sealed association handles: each association travels inside its handle,
   * encrypted and authenticated with AES-256-GCM under these keys (the first
   * seals, all open), so `associate` and signing store nothing and any
   * instance holding the keys serves any relying party. Recommended for
   * providers with more than one instance; the store then only records
   * check_authentication's single use. Off by default (associations are
   * stored, as before). Handles made before it was turned on keep working.
   * A private handle's single use is recorded as a nonce of its issue time,
   * so keep `privateAssociationLifetime` within the store's `skewSeconds`.
   * @default undefined
   * @see OpenID 2.0 §8.2.1
   */
  sealedHandles?: SealedHandlesOptions;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

/** A decoded request: checkid (answered by the app's decision), associate or check_authentication (answered by {@link Server.handleRequest}). */
export type DecodedRequest = CheckIDRequest | AssociateRequest | CheckAuthRequest;

/** Where the request came from: `secure` is true when it arrived over HTTPS. */
export interface RequestContext {
  secure: boolean;
}

const DIRECT_MODES: readonly string[] = ['associate', 'check_authentication'];

function lifetime(value: number | undefined, fallback: number, option: string): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new OpenIDConfigError('must be a positive whole number of seconds', option);
  return value;
}

/** All string values of a raw argument, whatever shape the body parser gave it. */
function rawValues(args: MessageArgs, key: string): string[] {
  const entries: Iterable<readonly [string, unknown]> =
    args instanceof URLSearchParams ? args.entries() : Symbol.iterator in args ? (args as Iterable<readonly [string, unknown]>) : Object.entries(args);
  const values: string[] = [];
  for (const [name, value] of entries) {
    if (name !== key) continue;
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string') values.push(item);
  }
  return values;
}

/**
 * A malformed request (duplicate keys, NUL bytes, unknown `openid.ns`) as a
 * protocol error: a KV form answer when every `openid.mode` it carries is a
 * direct one (a relying party is reading the answer), else an error page.
 */
function malformed(args: MessageArgs, error: MessageError): ProtocolError {
  const modes = rawValues(args, 'openid.mode');
  const direct = modes.length > 0 && modes.every((mode) => DIRECT_MODES.includes(mode));
  const ns = rawValues(args, 'openid.ns');
  const namespace = ns.length === 0 ? OPENID1_NS : OPENID2_NS;
  return new ProtocolError(`Malformed OpenID request: ${error.message}`, { cause: error, direct, namespace });
}

/**
 * The OP: decodes requests, answers direct ones, and encodes every response
 * as a framework-free `{ status, headers, body }`.
 */
export class Server {
  readonly opEndpoint: string;
  readonly signatory: Signatory;
  readonly #policy: AssociationPolicy;
  readonly #store: OpenIDStore;
  readonly #fetcher: Fetcher;
  readonly #now: () => number;
  readonly #returnTos: ReturnToCache | undefined;

  /** @throws OpenIDConfigError naming the option at fault */
  constructor(options: ServerOptions) {
    if (options === null || typeof options !== 'object') throw new OpenIDConfigError('options are required');
    if (!isOpenIDStore(options.store)) throw new OpenIDConfigError('an OpenIDStore is required', 'store');
    if (typeof options.opEndpoint !== 'string') throw new OpenIDConfigError('must be an absolute http or https URL', 'opEndpoint');
    try {
      this.opEndpoint = normalizeUrl(options.opEndpoint);
    } catch (cause) {
      throw new OpenIDConfigError(`must be an absolute http or https URL (${(cause as Error).message})`, 'opEndpoint');
    }
    if (options.now !== undefined && typeof options.now !== 'function') throw new OpenIDConfigError('must be a function returning milliseconds', 'now');
    this.#policy = resolveAssociationPolicy(options);
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#fetcher = options.fetcher ?? createFetcher();
    const cache = options.returnToCache;
    if (cache !== undefined && cache !== false && (cache === null || typeof cache !== 'object')) throw new OpenIDConfigError('must be cache options or false', 'returnToCache');
    this.#returnTos = cache === false ? undefined : new ReturnToCache(cache ?? {}, this.#now);
    this.signatory = new Signatory({
      store: options.store,
      opEndpoint: this.opEndpoint,
      associationLifetime: lifetime(options.associationLifetime, 14 * 24 * 60 * 60, 'associationLifetime'),
      privateLifetime: lifetime(options.privateAssociationLifetime, 300, 'privateAssociationLifetime'),
      now: this.#now,
      sealedHandles: options.sealedHandles,
    });
  }

  /**
   * Decodes an OpenID request.
   * @param args query (GET) or form body (POST) arguments
   * @param context.secure whether the request came over HTTPS (no-encryption associations need it, §8.4.1)
   * @returns undefined when the arguments are not an OpenID request (no openid.mode)
   * @throws ProtocolError, ready for {@link Server.encodeError}
   */
  decodeRequest(args: MessageArgs | Message, context: RequestContext): DecodedRequest | undefined {
    let message: Message;
    try {
      message = args instanceof Message ? args : Message.fromPostArgs(args);
    } catch (error) {
      if (error instanceof MessageError && !(args instanceof Message)) throw malformed(args, error);
      throw error;
    }
    const mode = message.getArg(OPENID_NS, 'mode');
    switch (mode) {
      case undefined:
        return undefined;
      case 'checkid_setup':
      case 'checkid_immediate':
        return CheckIDRequest.fromMessage(message, {
          opEndpoint: this.opEndpoint,
          now: this.#now,
          sign: (response, handle, fields) => this.signatory.sign(response, handle, fields),
          discoverReturnTos: (realm) => this.#discoverReturnTos(realm),
        });
      case 'associate':
        return AssociateRequest.fromMessage(message, context.secure === true, this.#policy);
      case 'check_authentication':
        return CheckAuthRequest.fromMessage(message);
      default:
        // Without return_to nobody can be sent back: a direct answer. With
        // one, it is not verified here, so the user gets an error page.
        throw new ProtocolError(`Unknown openid.mode ${JSON.stringify(mode.slice(0, 64))}`, {
          namespace: message.namespace,
          direct: !message.hasKey(OPENID_NS, 'return_to'),
        });
    }
  }

  #discoverReturnTos(realm: string): Promise<string[]> {
    const load = (key: string): Promise<string[]> => discoverRelyingPartyReturnTos(key, this.#fetcher);
    return this.#returnTos === undefined ? load(realm) : this.#returnTos.get(realm, load);
  }

  /** Answers associate and check_authentication requests (checkid requests are answered with `request.answer`). */
  handleRequest(request: AssociateRequest | CheckAuthRequest): Promise<OpenIDResponse> {
    if (request instanceof AssociateRequest) return request.answer(this.signatory);
    return request.answer(this.signatory, this.#store, `${this.opEndpoint}|check_authentication`);
  }

  /** Encodes a response: KV form (direct), a 302 redirect, an auto-submitting form, or an error page. */
  encodeResponse(response: OpenIDResponse): EncodedResponse {
    return encodeResponse(response);
  }

  /** Encodes a protocol error the way §5.1.2.2 and §5.2.3 say, never redirecting to an unverified URL. */
  encodeError(error: ProtocolError): EncodedResponse {
    return encodeResponse(errorResponse(error));
  }
}
