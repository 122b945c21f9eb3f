/**
 * The result of discovery, apart from the code that produces it so that the
 * cache and the bounds can name it without importing discovery itself.
 * @see OpenID 2.0 §7
 */
import type { ServiceEndpoint } from './endpoint.js';

/**
 * What discovery found. Frozen: results are shared through the cache.
 * Bounded (see DISCOVERY_LIMITS): at most 10 endpoints, no over-long URL or type URI.
 */
export interface DiscoveryResult {
  /** The identifier as normalized from the input (§7.2). */
  readonly normalizedInput: string;
  /** The claimed identifier: the URL after redirects, or the XRI's CanonicalID. */
  readonly claimedId: string;
  /** The URL discovery ended at (URL identifiers). */
  readonly finalUrl: string | undefined;
  /** Endpoints in order of preference: OP Identifier elements, then 2.0, then 1.x, then priority. */
  readonly endpoints: readonly ServiceEndpoint[];
}
