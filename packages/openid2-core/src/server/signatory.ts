/**
 * The OP's signatory: creates associations, signs positive assertions and
 * verifies private-association signatures for check_authentication.
 *
 * Shared associations (made by `associate`) and private ones (made for
 * stateless relying parties, checked only through check_authentication) are
 * kept under different store keys, so a handle of one kind is never accepted
 * as the other.
 *
 * With sealed handles (see sealed-handles.ts) nothing is stored: the handle
 * carries the association. Handles that are not sealed are still looked up
 * in the store, so associations made before sealing was turned on keep
 * working until they expire. A private sealed handle is used once by
 * recording it as a nonce (its issue time and the handle itself), the one
 * write a stateless login makes.
 * @see OpenID 2.0 §8, §10.1, §11.4.2
 */
import { Association, newHandle, type AssociationType } from '../association.js';
import { newSecret } from '../association-session.js';
import { OpenIDConfigError } from '../errors.js';
import { OPENID_NS, type Message } from '../message.js';
import type { OpenIDStore } from '../store/store.js';
import { isSealedHandle, SealedHandles, type SealedHandlesOptions } from './sealed-handles.js';

/** Options of {@link Signatory}; {@link Server} fills them from {@link ServerOptions}. */
export interface SignatoryOptions {
  /** Where associations and check_authentication nonces are kept. */
  store: OpenIDStore;
  /** The OP endpoint URL: store keys derive from it. */
  opEndpoint: string;
  /** Lifetime of shared associations, in seconds. @default 1209600 (14 days) */
  associationLifetime?: number;
  /** Lifetime of private associations: how long an RP has to call check_authentication. @default 300 */
  privateLifetime?: number;
  /** Clock in milliseconds. @default Date.now */
  now?: () => number;
  /** Seal associations into their handles instead of storing them. @default undefined (stored) */
  sealedHandles?: SealedHandlesOptions;
}

/** Creates, finds and uses the OP's associations (see the module comment). */
export class Signatory {
  readonly #store: OpenIDStore;
  readonly #sharedKey: string;
  readonly #privateKey: string;
  readonly #lifetime: number;
  readonly #privateLifetime: number;
  readonly #now: () => number;
  readonly #sealed: SealedHandles | undefined;
  readonly #usedKey: string;

  /** @throws OpenIDConfigError for bad sealed-handle keys */
  constructor(options: SignatoryOptions) {
    this.#store = options.store;
    this.#sharedKey = `${options.opEndpoint}|shared`;
    this.#privateKey = `${options.opEndpoint}|private`;
    this.#lifetime = options.associationLifetime ?? 14 * 24 * 60 * 60;
    this.#privateLifetime = options.privateLifetime ?? 300;
    this.#now = options.now ?? Date.now;
    this.#sealed = options.sealedHandles === undefined ? undefined : new SealedHandles(options.sealedHandles);
    // A sealed handle carries its lifetime in 32 bits (136 years).
    if (this.#sealed !== undefined && Math.max(this.#lifetime, this.#privateLifetime) > 0xffffffff) {
      throw new OpenIDConfigError('association lifetimes must fit in 32 bits of seconds with sealed handles', 'sealedHandles');
    }
    this.#usedKey = `${options.opEndpoint}|sealed-private-used`;
  }

  /** Whether new associations are sealed into their handles (nothing stored). */
  get sealed(): boolean {
    return this.#sealed !== undefined;
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Makes and stores a new association: shared (for `associate`) or private (for stateless relying parties). */
  async createAssociation(assocType: AssociationType, shared: boolean): Promise<Association> {
    const issued = this.#seconds();
    const lifetime = shared ? this.#lifetime : this.#privateLifetime;
    if (this.#sealed !== undefined) return this.#sealed.create(assocType, shared, issued, lifetime);
    const association = new Association({
      handle: newHandle(assocType, issued),
      secret: newSecret(assocType),
      issued,
      lifetime,
      assocType,
    });
    await this.#store.storeAssociation(shared ? this.#sharedKey : this.#privateKey, association);
    return association;
  }

  /**
   * An unexpired association of the given kind, or undefined. Expiry is
   * checked against this signatory's clock as well as the store's.
   */
  async getAssociation(handle: string, shared: boolean): Promise<Association | undefined> {
    // A sealed handle that does not open (unknown key, altered, truncated) is an unknown handle, never an error.
    const association =
      this.#sealed !== undefined && isSealedHandle(handle)
        ? this.#sealed.open(handle, shared)
        : await this.#store.getAssociation(shared ? this.#sharedKey : this.#privateKey, handle);
    return association === undefined || association.isExpired(this.#seconds()) ? undefined : association;
  }

  /**
   * Removes an association; true if it was there (so exactly one caller wins
   * a race). A sealed private handle cannot be removed: it is recorded as
   * used instead (a nonce of its issue time), with the same answer. A sealed
   * shared one lives until it expires.
   */
  async invalidate(handle: string, shared: boolean): Promise<boolean> {
    if (this.#sealed === undefined || !isSealedHandle(handle)) {
      return this.#store.removeAssociation(shared ? this.#sharedKey : this.#privateKey, handle);
    }
    const association = this.#sealed.open(handle, shared);
    if (association === undefined || shared) return false;
    return this.#store.useNonce(this.#usedKey, association.issued, handle);
  }

  /**
   * Whether verifying this private handle also records it as used, so a
   * replayed check fails without the response nonce (sealed handles).
   */
  usesOnce(handle: string | undefined): boolean {
    return this.#sealed !== undefined && handle !== undefined && isSealedHandle(handle);
  }

  /**
   * Signs a positive assertion with the association the RP asked for, or,
   * when it has none or an unknown or expired one, with a fresh private
   * association, telling the RP to drop its handle (`invalidate_handle`).
   */
  async sign(response: Message, requestedHandle: string | undefined, fields: readonly string[]): Promise<void> {
    let association = requestedHandle === undefined ? undefined : await this.getAssociation(requestedHandle, true);
    if (association === undefined) {
      if (requestedHandle !== undefined) response.setArg(OPENID_NS, 'invalidate_handle', requestedHandle);
      association = await this.createAssociation('HMAC-SHA256', false);
    }
    association.signMessage(response, fields);
  }

  /**
   * Verifies a signature made with a private association, and removes that
   * association: each private association signs one assertion, so a second
   * check of the same assertion fails.
   */
  async verifyPrivate(message: Message): Promise<boolean> {
    const handle = message.getArg(OPENID_NS, 'assoc_handle');
    if (handle === undefined) return false;
    const association = await this.getAssociation(handle, false);
    if (association === undefined || !association.verifyMessage(message)) return false;
    return this.invalidate(handle, false);
  }
}
