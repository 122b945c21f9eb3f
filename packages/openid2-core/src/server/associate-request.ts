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
import { DiffieHellmanError, IntegerError, OpenIDConfigError, ProtocolError } from '../errors.js';
import { Message, OPENID_NS } from '../message.js';
import type { OpenIDResponse } from './response.js';
import type { Signatory } from './signatory.js';

/**
 * Which associations an OP hands out: the association types it accepts, the
 * pair it suggests when a request asks for another, and the bounds on a
 * relying party's own Diffie-Hellman group. Part of {@link ServerOptions}.
 * @see OpenID 2.0 §8.3, §8.4, §8.2.4
 */
export interface AssociationPolicy {
  /** Association types the OP accepts. @default ['HMAC-SHA256', 'HMAC-SHA1'] */
  assocTypes?: readonly AssociationType[];
  /**
   * What an `unsupported-type` error suggests (§8.2.4). Over plain HTTP a
   * no-encryption preference is replaced by the DH session of the same hash,
   * so the suggestion is always one the OP would accept.
   * @default HMAC-SHA256 over DH-SHA256
   */
  preferred?: { assocType: AssociationType; sessionType: SessionType };
  /** Limits on relying-party supplied Diffie-Hellman groups. @default 1024 to 2048 bits */
  dhLimits?: DiffieHellmanLimits;
}

type Pair = { assocType: AssociationType; sessionType: SessionType };

/**
 * Checks an association policy: known, non-empty types, and a preferred pair
 * the OP accepts itself.
 * @throws OpenIDConfigError naming the option at fault
 */
export function resolveAssociationPolicy(policy: AssociationPolicy): Required<Pick<AssociationPolicy, 'assocTypes' | 'preferred'>> & AssociationPolicy {
  const assocTypes = policy.assocTypes ?? ['HMAC-SHA256', 'HMAC-SHA1'];
  if (!Array.isArray(assocTypes) || assocTypes.length === 0 || !assocTypes.every(isAssociationType)) {
    throw new OpenIDConfigError('must be a non-empty list of HMAC-SHA1 and HMAC-SHA256', 'assocTypes');
  }
  const preferred = policy.preferred ?? { assocType: assocTypes[0] as AssociationType, sessionType: assocTypes[0] === 'HMAC-SHA1' ? 'DH-SHA1' : 'DH-SHA256' };
  if (!assocTypes.includes(preferred.assocType) || !isSessionType(preferred.sessionType) || !assocTypeMatchesSession(preferred.assocType, preferred.sessionType)) {
    throw new OpenIDConfigError('must be an accepted association type over a session type that can carry it (HMAC-SHA256 over DH-SHA256, HMAC-SHA1 over DH-SHA1, either over no-encryption)', 'preferred');
  }
  return { ...policy, assocTypes, preferred };
}

/** The pair to suggest over this transport: never no-encryption over plain HTTP. */
function suggestion(preferred: Pair, secure: boolean): Pair {
  if (sessionAllowedOverTransport(preferred.sessionType, secure)) return preferred;
  return { assocType: preferred.assocType, sessionType: preferred.assocType === 'HMAC-SHA1' ? 'DH-SHA1' : 'DH-SHA256' };
}

/**
 * A decoded `associate` request (mode `associate`): the association type and
 * the session (no-encryption or Diffie-Hellman) over which the secret is
 * sent. {@link Server.decodeRequest} builds it; {@link AssociateRequest.answer}
 * creates the association and writes the direct response.
 * @see OpenID 2.0 §8.1, §8.2
 */
export class AssociateRequest {
  /** The request as received. */
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
    const resolved = resolveAssociationPolicy(policy);
    const preferred = suggestion(resolved.preferred, secure);
    const allowed = resolved.assocTypes;
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
