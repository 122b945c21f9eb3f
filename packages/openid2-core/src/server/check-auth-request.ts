/**
 * `check_authentication`: a stateless relying party asks the OP whether an
 * assertion it signed with a private association is genuine.
 * @see OpenID 2.0 §11.4.2; OpenID 1.1 §4.4
 */
import { ProtocolError } from '../errors.js';
import { Message, OPENID_NS } from '../message.js';
import { parseNonce } from '../nonce.js';
import type { OpenIDStore } from '../store/store.js';
import type { OpenIDResponse } from './response.js';
import type { Signatory } from './signatory.js';

export class CheckAuthRequest {
  readonly message: Message;
  /** The assertion as the OP signed it (mode id_res). */
  readonly signed: Message;

  private constructor(message: Message, signed: Message) {
    this.message = message;
    this.signed = signed;
  }

  static fromMessage(message: Message): CheckAuthRequest {
    const namespace = message.namespace;
    for (const field of ['assoc_handle', 'sig', 'signed']) {
      if (!message.hasKey(OPENID_NS, field)) throw new ProtocolError(`openid.${field} is missing`, { namespace, direct: true });
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
    // A sealed private handle was recorded as used by verifyPrivate: it signs one assertion, so that is the one write.
    if (valid && this.signed.isOpenID2() && !signatory.usesOnce(this.signed.getArg(OPENID_NS, 'assoc_handle'))) {
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
