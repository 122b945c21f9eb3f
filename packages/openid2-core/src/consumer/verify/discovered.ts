/**
 * Verifying discovered information: the claimed identifier must, by
 * discovery, name the OP endpoint that signed the assertion.
 * @see OpenID 2.0 §11.2; OpenID 1.1 §4.2.2
 */
import { ServiceEndpoint } from '../../discovery/endpoint.js';
import { sameUrl, verifiedClaimedId, verifyDiscoveredEndpoint } from '../../discovery/verify-discovered.js';
import type { DiscoverOptions } from '../../discovery/discover.js';
import { OPENID_NS, type Message } from '../../message.js';
import { withoutFragment } from '../../normalize-url.js';
import { failure, type FailureResult } from '../result.js';
import type { Transaction } from '../session.js';

/**
 * The transaction an OpenID 1.x assertion is verified against, or the
 * failure without one: 1.x assertions name neither their OP endpoint nor a
 * claimed identifier, so only the request's own transaction can vouch
 * for them (no unsolicited 1.x assertions).
 * @see OpenID 1.1 §4.2.2
 */
export function openID1Transaction(transaction: Transaction | undefined): (Transaction & { claimedId: string }) | FailureResult {
  if (transaction === undefined || transaction.claimedId === undefined) {
    return failure('unsolicited_assertion', 'An OpenID 1.x assertion can only be verified against the request that started it');
  }
  return transaction as Transaction & { claimedId: string };
}

function fromTransaction(transaction: Transaction, claimedId: string): ServiceEndpoint {
  return new ServiceEndpoint({
    opEndpoint: transaction.opEndpoint,
    claimedId,
    localId: transaction.localId,
    typeUris: transaction.typeUris,
    displayIdentifier: withoutFragment(claimedId),
    usedYadis: transaction.usedYadis,
  });
}

/**
 * The verified endpoint of the assertion: from the transaction when the
 * assertion is about what begin() discovered, else by discovering the
 * asserted claimed identifier (identifier select, another identifier than
 * requested, unsolicited). An op_endpoint that discovery does not name is
 * refused before anything is sent to it.
 */
export async function checkDiscovered(
  message: Message,
  transaction: Transaction | undefined,
  options: DiscoverOptions,
): Promise<{ ok: true; endpoint: ServiceEndpoint } | FailureResult> {
  const identity = message.getArg(OPENID_NS, 'identity') as string;
  if (!message.isOpenID2()) {
    const own = openID1Transaction(transaction);
    if ('status' in own) return own;
    if (!sameUrl(identity, own.localId ?? own.claimedId)) {
      return failure('discovery_mismatch', 'openid.identity is not the identifier the request was made for');
    }
    return { ok: true, endpoint: fromTransaction(own, own.claimedId) };
  }
  const claimedId = message.getArg(OPENID_NS, 'claimed_id') as string;
  const opEndpoint = message.getArg(OPENID_NS, 'op_endpoint') as string;
  // The common case: the assertion is about what begin() discovered, no network needed.
  if (transaction !== undefined && transaction.claimedId !== undefined) {
    // The identifier as begin() discovered it, never as the OP spelled it.
    const endpoint = fromTransaction(transaction, verifiedClaimedId(claimedId, transaction.claimedId));
    if (
      endpoint.isOpenID2() &&
      sameUrl(withoutFragment(claimedId), transaction.claimedId) &&
      sameUrl(opEndpoint, transaction.opEndpoint) &&
      sameUrl(identity, transaction.localId ?? transaction.claimedId)
    ) {
      return { ok: true, endpoint };
    }
  }
  // Identifier select, another identifier than requested, or unsolicited: rediscover.
  const verified = await verifyDiscoveredEndpoint({ claimedId, localId: identity, opEndpoint, version: '2.0' }, options);
  if (!verified.ok) return failure(verified.reason, verified.message, verified.cause);
  return verified;
}
