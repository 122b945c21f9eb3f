/**
 * Single use: the response nonce is recorded in the store, after every
 * other check has passed.
 * @see OpenID 2.0 §11.3
 */
import { NonceError, StoreError } from '../../errors.js';
import { OPENID_NS, type Message } from '../../message.js';
import { parseNonce, checkNonceTimestamp } from '../../nonce.js';
import type { OpenIDStore } from '../../store/store.js';
import { failure, type FailureResult } from '../result.js';

export async function checkNonce(message: Message, serverUrl: string, store: OpenIDStore | undefined, options: { skewSeconds?: number; now: () => number }): Promise<FailureResult | undefined> {
  if (!message.isOpenID2()) return undefined; // 1.x: the session transaction is the single-use token
  const text = message.getArg(OPENID_NS, 'response_nonce') as string;
  let parsed;
  try {
    parsed = parseNonce(text);
  } catch (cause) {
    if (cause instanceof NonceError) return failure('invalid_nonce', `openid.response_nonce is malformed: ${cause.message}`, cause);
    throw cause;
  }
  const timing = options.skewSeconds === undefined ? { now: options.now() } : { now: options.now(), skewSeconds: options.skewSeconds };
  if (!checkNonceTimestamp(parsed.timestamp, timing)) {
    return failure('nonce_stale', 'openid.response_nonce is too old or in the future (check both clocks)');
  }
  if (store === undefined) return undefined; // stateless: the OP's check_authentication answers once
  try {
    if (!(await store.useNonce(serverUrl, parsed.timestamp, parsed.salt))) {
      return failure('nonce_reused', 'This response was already used (a replay)');
    }
  } catch (cause) {
    if (cause instanceof StoreError) return failure('store_error', `The nonce store failed: ${cause.message}`, cause);
    throw cause;
  }
  return undefined;
}
