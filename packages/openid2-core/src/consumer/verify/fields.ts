/**
 * The fields an assertion must carry, and must sign.
 * @see OpenID 2.0 §10.1, §11.4; OpenID 1.1 §4.2.2
 */
import { OPENID_NS, type Message } from '../../message.js';
import { failure, type FailureResult } from '../result.js';

/** The signed list as a set of field names. */
export function signedSet(message: Message): Set<string> {
  return new Set((message.getArg(OPENID_NS, 'signed') ?? '').split(',').filter((field) => field !== ''));
}

/** @param signed the message's {@link signedSet}, read once per verification */
export function checkFields(message: Message, signed: ReadonlySet<string> = signedSet(message)): FailureResult | undefined {
  const v2 = message.isOpenID2();
  const required = v2 ? ['op_endpoint', 'return_to', 'response_nonce', 'assoc_handle', 'signed', 'sig'] : ['return_to', 'identity', 'assoc_handle', 'signed', 'sig'];
  for (const field of required) {
    if (!message.hasKey(OPENID_NS, field)) return failure('missing_field', `The assertion has no openid.${field}`);
  }
  const claimed = message.hasKey(OPENID_NS, 'claimed_id');
  const identity = message.hasKey(OPENID_NS, 'identity');
  if (v2 && (!claimed || !identity)) {
    return failure('missing_field', 'The assertion is not about an identifier (openid.claimed_id and openid.identity are required here)');
  }
  const mustSign = v2 ? ['op_endpoint', 'return_to', 'response_nonce', 'assoc_handle', 'claimed_id', 'identity'] : ['return_to', 'identity'];
  for (const field of mustSign) {
    if (!signed.has(field)) return failure('missing_signed_field', `openid.${field} is not covered by the signature (openid.signed)`);
  }
  return undefined;
}
