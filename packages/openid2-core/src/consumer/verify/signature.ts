/**
 * Checking the signature with an association the relying party holds: no
 * request leaves the relying party, so it can run before anything the
 * assertion names is fetched (CVE-2019-11027).
 * @see OpenID 2.0 §11.4.1
 */
import type { Association } from '../../association.js';
import { OPENID_NS, type Message } from '../../message.js';
import type { OpenIDStore } from '../../store/store.js';
import { failure, type FailureResult } from '../result.js';

/**
 * The stored, unexpired association the assertion names, or undefined (then
 * only `check_authentication` can verify it). The expiry is checked here too,
 * so a store with a skewed clock cannot hand out an expired key.
 * @throws StoreError when the store fails
 */
export async function storedAssociation(message: Message, opEndpoint: string, store: OpenIDStore | undefined, nowMs: number): Promise<Association | undefined> {
  if (store === undefined) return undefined;
  const handle = message.getArg(OPENID_NS, 'assoc_handle');
  if (handle === undefined) return undefined;
  const association = await store.getAssociation(opEndpoint, handle);
  if (association === undefined || association.isExpired(Math.floor(nowMs / 1000))) return undefined;
  return association;
}

/** Verifies `openid.sig` with the association, in constant time. */
export function checkSignature(message: Message, association: Association): FailureResult | undefined {
  if (association.verifyMessage(message)) return undefined;
  return failure('signature_mismatch', 'The signature does not match: the response was altered on its way, or signed with another key');
}
