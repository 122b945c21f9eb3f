/**
 * `associate` requests: a relying party asks for a shared secret.
 * @see OpenID 2.0 §8; OpenID 1.1 §4.1
 */
import { isAssociationType, type AssociationType } from '../association.js';
import {
  assocTypeMatchesSession,
  createServerSession,
  isSessionType,
  sessionAllowedOverTransport,
  type ServerSession,
  type SessionType,
} from '../association-session.js';
import type { DiffieHellmanLimits } from '../diffie-hellman.js';
import { DiffieHellmanError, IntegerError, ProtocolError } from '../errors.js';
import { Message, OPENID_NS } from '../message.js';
import type { OpenIDResponse } from './response.js';
import type { Signatory } from './signatory.js';

export interface AssociationPolicy {
  /** Association types the OP accepts. @default ['HMAC-SHA256', 'HMAC-SHA1'] */
  assocTypes?: readonly AssociationType[];
  /** What an `unsupported-type` error suggests (§8.2.4). @default HMAC-SHA256 over DH-SHA256 */
  preferred?: { assocType: AssociationType; sessionType: SessionType };
  /** Limits on relying-party supplied Diffie-Hellman groups. */
  dhLimits?: DiffieHellmanLimits;
}

export class AssociateRequest {
  readonly message: Message;
  readonly assocType: AssociationType;
  readonly session: ServerSession;

  private constructor(message: Message, assocType: AssociationType, session: ServerSession) {
    this.message = message;
    this.assocType = assocType;
    this.session = session;
  }

  /**
   * Reads an associate request. Types the OP does not support, or a session
   * that does not fit the association or the transport (no-encryption over
   * plain HTTP), are `unsupported-type` errors suggesting the preferred pair.
   */
  static fromMessage(message: Message, secure: boolean, policy: AssociationPolicy = {}): AssociateRequest {
    const namespace = message.namespace;
    const preferred = policy.preferred ?? { assocType: 'HMAC-SHA256', sessionType: 'DH-SHA256' };
    const allowed = policy.assocTypes ?? ['HMAC-SHA256', 'HMAC-SHA1'];
    const unsupported = (text: string): ProtocolError =>
      new ProtocolError(text, {
        namespace,
        direct: true,
        errorCode: 'unsupported-type',
        extra: message.isOpenID2() ? { assoc_type: preferred.assocType, session_type: preferred.sessionType } : {},
      });
    const assocType = message.getArg(OPENID_NS, 'assoc_type');
    // OpenID 1.x: a missing session_type means no-encryption (1.1 §4.1.1).
    const sessionType = message.getArg(OPENID_NS, 'session_type') ?? (message.isOpenID1() ? 'no-encryption' : undefined);
    if (assocType === undefined) throw new ProtocolError('openid.assoc_type is missing', { namespace, direct: true });
    if (sessionType === undefined) throw new ProtocolError('openid.session_type is missing', { namespace, direct: true });
    if (!isAssociationType(assocType) || !allowed.includes(assocType)) throw unsupported(`Association type ${assocType} is not supported`);
    if (!isSessionType(sessionType)) throw unsupported(`Session type ${sessionType} is not supported`);
    if (!assocTypeMatchesSession(assocType, sessionType)) throw unsupported(`${assocType} cannot be sent over a ${sessionType} session`);
    if (!sessionAllowedOverTransport(sessionType, secure)) {
      throw unsupported('no-encryption sessions are only allowed over HTTPS (§8.4.1)');
    }
    try {
      return new AssociateRequest(message, assocType, createServerSession(sessionType, message.getArgs(OPENID_NS), policy.dhLimits));
    } catch (error) {
      if (error instanceof DiffieHellmanError || error instanceof IntegerError) {
        throw new ProtocolError(`Invalid Diffie-Hellman parameters: ${error.message}`, { namespace, direct: true });
      }
      throw error;
    }
  }

  /** Creates a shared association and answers with its secret (§8.2). */
  async answer(signatory: Signatory): Promise<OpenIDResponse> {
    const association = await signatory.createAssociation(this.assocType, true);
    const response = new Message(this.message.namespace, { implicit: this.message.isImplicitNamespace });
    response.setArg(OPENID_NS, 'assoc_type', this.assocType);
    response.setArg(OPENID_NS, 'assoc_handle', association.handle);
    response.setArg(OPENID_NS, 'expires_in', String(association.lifetime));
    // 1.x relying parties expect no session_type for no-encryption (1.1 §4.1.2).
    if (this.session.sessionType !== 'no-encryption' || response.isOpenID2()) {
      response.setArg(OPENID_NS, 'session_type', this.session.sessionType);
    }
    response.updateArgs(OPENID_NS, this.session.answer(association.secret));
    return { kind: 'direct', message: response, status: 200 };
  }
}
