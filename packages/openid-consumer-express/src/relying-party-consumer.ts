/**
 * The one consumer of a router or of a Passport strategy, made the same way
 * for both: one fetcher, discovery cache and set of association flights for
 * the adapter's lifetime, so a second login with the same identifier makes
 * no discovery request, and logins starting at once share one associate
 * request per OP endpoint.
 */
import { Consumer, createFetcher, MemoryDiscoveryCache, OpenIDConfigError } from 'openid2-core';
import type { ConsumerOptions, ConsumerPreset, DiscoveryCache, Fetcher, OpenIDStore } from 'openid2-core';

/** The adapter options that shape its consumer (documented on the router's and the strategy's options). */
export interface RelyingPartyConsumerSettings {
  store?: OpenIDStore | undefined;
  fetcher?: Fetcher | undefined;
  discoveryCache?: DiscoveryCache | undefined;
  allowLoopback?: boolean | undefined;
  allowUnsolicitedAssertions?: boolean | undefined;
  consumer?: ConsumerOptions | undefined;
  preset?: ConsumerPreset | undefined;
}

/**
 * The `consumer` settings under the adapter's own (`store`, `fetcher`,
 * `discoveryCache`, `preset`, and `allowUnsolicitedAssertions` when true win), checked
 * as `new Consumer()` checks them.
 * @throws OpenIDConfigError naming the consumer option at fault
 */
export function relyingPartyConsumer(options: RelyingPartyConsumerSettings): Consumer {
  const settings = options.consumer ?? {};
  if (options.allowLoopback === true && (options.fetcher !== undefined || settings.fetcher !== undefined)) {
    throw new OpenIDConfigError('applies to the default fetcher only: with your own fetcher, use createFetcher({ allowLoopback: true })', 'allowLoopback');
  }
  return new Consumer({
    ...settings,
    preset: options.preset,
    store: options.store ?? settings.store,
    // createFetcher refuses allowLoopback under NODE_ENV=production, naming the option.
    fetcher: options.fetcher ?? settings.fetcher ?? createFetcher(options.allowLoopback === true ? { allowLoopback: true } : {}),
    discoveryCache: options.discoveryCache ?? settings.discoveryCache ?? new MemoryDiscoveryCache(),
    allowUnsolicitedAssertions: options.allowUnsolicitedAssertions === true || settings.allowUnsolicitedAssertions === true,
  });
}
