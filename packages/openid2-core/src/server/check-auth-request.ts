/**
 * `check_authentication`: a stateless relying party asks the OP whether an
 * assertion it signed with a private association is genuine.
 * @see OpenID 2.0 §11.4.2; OpenID 1.1 §4.4
 */
import { isValidHandle } from '../association.js';
import { ProtocolError } from '../errors.js';
import { Message, OPENID_NS } from '../message.js';
import { parseNonce } from '../nonce.js';
import type { OpenIDStore } from '../store/store.js';
import type { OpenIDResponse } from './response.js';
import type { Signatory } from './signatory.js';

/**
 * A decoded `check_authentication` request: a relying party without an
 * association of its own asks whether an assertion is genuine.
 * {@link CheckAuthRequest.answer} checks it against the OP's private
 * association and answers `is_valid`.
 * @see OpenID 2.0 §11.4.2
 */
export class CheckAuthRequest {
  /** The request as received (mode `check_authentication`). */
  readonly message: Message;
  /** The assertion as the OP signed it (mode id_res). */
  readonly signed: Message;

  private constructor(message: Message, signed: Message) {
    this.message = message;
    this.signed = signed;
  }

  /**
   * Reads a `check_authentication` request: `assoc_handle`, `sig` and
   * `signed` must be present, and handles must be well formed (§8.2.1).
   * @throws ProtocolError (a direct error answer) for a request missing a field or with a malformed handle
   */
  static fromMessage(message: Message): CheckAuthRequest {
    const namespace = message.namespace;
    for (const field of ['assoc_handle', 'sig', 'signed']) {
      if (!message.hasKey(OPENID_NS, field)) throw new ProtocolError(`openid.${field} is missing`, { namespace, direct: true });
    }
    // Handles are looked up in the store, and invalidate_handle is echoed in
    // the key-value answer: anything but a handle is refused here (§8.2.1).
    for (const field of ['assoc_handle', 'invalidate_handle']) {
      const handle = message.getArg(OPENID_NS, field);
      if (handle !== undefined && !isValidHandle(handle)) {
        throw new ProtocolError(`openid.${field} is not an association handle (1 to 255 printable ASCII characters, §8.2.1)`, { namespace, direct: true });
      }
    }
    const signed = message.copy();
    signed.setArg(OPENID_NS, 'mode', 'id_res');
    return new CheckAuthRequest(message, signed);
  }

  /**
   * Verifies the signature with the private association named, once: the
   * association is removed after a successful check and the response nonce
   * is recorded, so a replayed check says `is_valid:false`. Signatures by
   * shared associations are never confirmed here.
   */
  async answer(signatory: Signatory, store: OpenIDStore, nonceKey: string): Promise<OpenIDResponse> {
    let valid = await signatory.verifyPrivate(this.signed);
    const nonce = this.signed.getArg(OPENID_NS, 'response_nonce');
    // This OP signs a nonce into 1.x assertions too: checked whenever present. A sealed
    // private handle was recorded as used by verifyPrivate: it signs one assertion, so that is the one write.
    if (valid && (this.signed.isOpenID2() || nonce !== undefined) && !signatory.usesOnce(this.signed.getArg(OPENID_NS, 'assoc_handle'))) {
      try {
        const { timestamp, salt } = parseNonce(nonce ?? '');
        valid = await store.useNonce(nonceKey, timestamp, salt);
      } catch {
        valid = false;
      }
    }
    const response = new Message(this.message.namespace, { implicit: this.message.isImplicitNamespace });
    response.setArg(OPENID_NS, 'is_valid', valid ? 'true' : 'false');
    const invalidate = this.message.getArg(OPENID_NS, 'invalidate_handle');
    if (invalidate !== undefined && (await signatory.getAssociation(invalidate, true)) === undefined) {
      response.setArg(OPENID_NS, 'invalidate_handle', invalidate);
    }
    return { kind: 'direct', message: response, status: 200 };
  }
}
