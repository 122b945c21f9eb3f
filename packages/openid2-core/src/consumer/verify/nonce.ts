/**
 * Single use: the response nonce is recorded in the store, after every
 * other check has passed.
 * @see OpenID 2.0 §11.3; OpenID 1.1 §4.2.2
 */
import { NonceError, StoreError } from '../../errors.js';
import { OPENID_NS, type Message } from '../../message.js';
import { parseNonce, checkNonceTimestamp } from '../../nonce.js';
import type { OpenIDStore } from '../../store/store.js';
import { failure, type FailureResult } from '../result.js';

/**
 * Checks the response nonce and records it. OpenID 1.1 defines none: the
 * session transaction is the single-use token there, but a signed
 * `openid.response_nonce` (as this library's provider and python-openid's
 * send in 1.x too) is checked the same way, so a 1.x answer replayed into a
 * session that still holds its transaction (a cookie-held session sent
 * again) is refused as well. An unsigned one proves nothing and is ignored,
 * and so is one in another format (1.1 defines none, so providers may use
 * their own).
 * @param signed the message's signed list, as a set
 * @param options the clock, and the nonce window (the store's `skewSeconds`)
 */
export async function checkNonce(
  message: Message,
  signed: ReadonlySet<string>,
  opEndpoint: string,
  store: OpenIDStore | undefined,
  options: { skewSeconds: number; now: () => number },
): Promise<FailureResult | undefined> {
  const v2 = message.isOpenID2();
  if (!v2 && !(signed.has('response_nonce') && message.hasKey(OPENID_NS, 'response_nonce'))) return undefined;
  const text = message.getArg(OPENID_NS, 'response_nonce') as string;
  let parsed;
  try {
    parsed = parseNonce(text);
  } catch (cause) {
    if (!(cause instanceof NonceError)) throw cause;
    // 1.1 defines no nonce: a 1.x provider may sign one in a format of its own.
    if (!v2) return undefined;
    return failure('invalid_nonce', `openid.response_nonce is malformed: ${cause.message}`, cause);
  }
  // The store's window: a nonce it would refuse is stale here, not "reused" there.
  if (!checkNonceTimestamp(parsed.timestamp, { now: options.now(), skewSeconds: options.skewSeconds })) {
    return failure('nonce_stale', 'openid.response_nonce is too old or in the future (check both clocks)');
  }
  if (store === undefined) return undefined; // stateless: the OP's check_authentication answers once
  try {
    if (!(await store.useNonce(opEndpoint, parsed.timestamp, parsed.salt))) {
      return failure('nonce_reused', 'This response was already used (a replay)');
    }
  } catch (cause) {
    if (cause instanceof StoreError) return failure('store_error', `The nonce store failed: ${cause.message}`, cause);
    throw cause;
  }
  return undefined;
}
