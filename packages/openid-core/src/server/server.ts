/**
 * The OpenID provider, framework-free: decode a request, handle direct
 * requests, answer checkid requests, encode the response.
 * @see OpenID 2.0 §5, §8, §9, §10, §11.4.2
 */
import { OpenIDConfigError, MessageError, ProtocolError } from '../errors.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { discoverRelyingPartyReturnTos } from '../discovery/relying-party.js';
import { Message, OPENID_NS, type MessageArgs } from '../message.js';
import { normalizeUrl } from '../normalize-url.js';
import type { OpenIDStore } from '../store/store.js';
import { AssociateRequest, type AssociationPolicy } from './associate-request.js';
import { CheckAuthRequest } from './check-auth-request.js';
import { CheckIDRequest } from './check-id-request.js';
import { encodeResponse, errorResponse, type EncodedResponse, type OpenIDResponse } from './response.js';
import { Signatory } from './signatory.js';

export interface ServerOptions extends AssociationPolicy {
  /** Where associations and check_authentication nonces are kept. */
  store: OpenIDStore;
  /** The OP endpoint URL (http or https), as relying parties discover it. */
  endpoint: string;
  /** For relying party discovery (return_to verification). @default createFetcher() */
  fetcher?: Fetcher;
  /** Lifetime of shared associations, in seconds. @default 1209600 (14 days) */
  associationLifetime?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
}

export type DecodedRequest = CheckIDRequest | AssociateRequest | CheckAuthRequest;

export class Server {
  readonly endpoint: string;
  readonly signatory: Signatory;
  readonly #options: ServerOptions;
  readonly #fetcher: Fetcher;
  readonly #now: () => number;

  constructor(options: ServerOptions) {
    if (options === undefined || typeof options.store?.useNonce !== 'function') throw new OpenIDConfigError('a store is required', 'store');
    try {
      this.endpoint = normalizeUrl(options.endpoint);
    } catch (cause) {
      throw new OpenIDConfigError(`must be an absolute http or https URL (${(cause as Error).message})`, 'endpoint');
    }
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#fetcher = options.fetcher ?? createFetcher();
    this.signatory = new Signatory({ store: options.store, endpoint: this.endpoint, associationLifetime: options.associationLifetime, now: this.#now });
  }

  /**
   * Decodes an OpenID request.
   * @param args query (GET) or form body (POST) arguments
   * @param context.secure whether the request came over HTTPS
   * @returns undefined when the arguments are not an OpenID request (no openid.mode)
   * @throws ProtocolError, ready for {@link Server.encodeError}
   */
  decodeRequest(args: MessageArgs | Message, context: { secure: boolean }): DecodedRequest | undefined {
    let message: Message;
    try {
      message = args instanceof Message ? args : Message.fromPostArgs(args);
    } catch (error) {
      if (error instanceof MessageError) throw new ProtocolError(`Malformed OpenID request: ${error.message}`, { cause: error });
      throw error;
    }
    const mode = message.getArg(OPENID_NS, 'mode');
    const namespace = message.namespace;
    switch (mode) {
      case undefined:
        return undefined;
      case 'checkid_setup':
      case 'checkid_immediate':
        return CheckIDRequest.fromMessage(message, {
          endpoint: this.endpoint,
          now: this.#now,
          sign: (response, handle, fields) => this.signatory.sign(response, handle, fields),
          discoverReturnTos: (realm) => discoverRelyingPartyReturnTos(realm, this.#fetcher),
        });
      case 'associate':
        return AssociateRequest.fromMessage(message, context.secure, this.#options);
      case 'check_authentication':
        return CheckAuthRequest.fromMessage(message);
      default: {
        const returnTo = message.getArg(OPENID_NS, 'return_to');
        const direct = returnTo === undefined;
        throw new ProtocolError(`Unknown openid.mode ${JSON.stringify(mode.slice(0, 64))}`, { namespace, direct });
      }
    }
  }

  /** Answers associate and check_authentication requests (checkid requests are answered with `request.answer`). */
  handleRequest(request: AssociateRequest | CheckAuthRequest): Promise<OpenIDResponse> {
    if (request instanceof AssociateRequest) return request.answer(this.signatory);
    return request.answer(this.signatory, this.#options.store, `${this.endpoint}|check_authentication`);
  }

  encodeResponse(response: OpenIDResponse): EncodedResponse {
    return encodeResponse(response);
  }

  encodeError(error: ProtocolError): EncodedResponse {
    return encodeResponse(errorResponse(error));
  }
}
