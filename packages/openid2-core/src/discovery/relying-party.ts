/**
 * Relying party discovery: the return_to URLs a realm publishes, which an
 * OP uses to check that a return_to really belongs to the relying party.
 * @see OpenID 2.0 §9.2.1, §13
 */
import { RP_RETURN_TO_TYPE } from '../constants.js';
import type { Fetcher } from '../fetch/fetcher.js';
import { Realm } from '../realm.js';
import { parseXRDS } from './xrds.js';
import { yadisDiscover } from './yadis.js';

/**
 * Fetches the realm's XRDS by Yadis (a wildcard realm at `www.` + its
 * domain) and returns the URIs of its return_to services, in priority order.
 * An empty list means none were published (no XRDS, or no such service);
 * failures throw (DiscoveryError, also when the XRDS a page points to
 * cannot be fetched; RealmError).
 */
export async function discoverRelyingPartyReturnTos(realm: string, fetcher: Fetcher): Promise<string[]> {
  const url = Realm.parse(realm).buildDiscoveryURL();
  const yadis = await yadisDiscover(url, fetcher, realm);
  if (yadis.xrdsError !== undefined) throw yadis.xrdsError;
  if (yadis.xrds === undefined) return [];
  return parseXRDS(yadis.xrds, realm)
    .services.filter((service) => service.types.includes(RP_RETURN_TO_TYPE))
    .flatMap((service) => service.uris);
}
