/**
 * Opt-in deployment checks of the provider (openid-doctor's checks on this
 * middleware's options): call `providerDeploymentCheck` once the app
 * listens, and mount `providerArrivalCheck` to check the first request.
 * Findings go to `log` / `onWarning` (an event logger); `strict` throws.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { createFetcher, OpenIDConfigError, type Fetcher, type OpenIDStore, type SealedHandlesOptions } from 'openid2-core';
import { checkArrival, checkProviderDeployment, report, type Finding, type ReportOptions } from 'openid-doctor';
import type { ProviderOptions } from './options.js';

/** Options of {@link providerDeploymentCheck}: what to check beyond the provider's own options, and where findings go. */
export interface ProviderDeploymentCheckOptions extends ReportOptions {
  /** A user's identity page, checked to lead to the endpoint. @default not checked */
  identityUrl?: string;
  /** The OP Identifier, checked to name the endpoint. @default not checked */
  opIdentifier?: string;
  /** The store, when the options give a `server` (whose store is private). @default options.store */
  store?: OpenIDStore;
  /** For discovery. @default options.fetcher, else createFetcher() */
  fetcher?: Fetcher;
  /** Discover the identity page and OP Identifier (the app must be listening). @default false */
  network?: boolean;
  /** The `sealedHandles` option given to the provider's Server, checked for usable keys. @default not checked */
  sealedHandles?: SealedHandlesOptions;
  /** How many instances serve the endpoint. @default 1 */
  instances?: number;
  /** Whether every instance reaches the same association store: several instances need one, or sealed handles. @default true */
  sharedStore?: boolean;
}

function endpointOf(options: Pick<ProviderOptions, 'server' | 'opEndpoint'>): string {
  const endpoint = options.server?.opEndpoint ?? options.opEndpoint;
  if (typeof endpoint !== 'string') throw new OpenIDConfigError('give either server, or opEndpoint and store', 'opEndpoint');
  return endpoint;
}

/**
 * Checks the provider's configuration: HTTPS, the store (reachable, schema,
 * clock), and with `network` the identity page and OP Identifier leading to
 * the endpoint.
 * @throws OpenIDConfigError without an endpoint, or in strict mode when a finding is an error
 */
export async function providerDeploymentCheck(options: Pick<ProviderOptions, 'server' | 'opEndpoint' | 'store' | 'fetcher'>, check: ProviderDeploymentCheckOptions = {}): Promise<readonly Finding[]> {
  const findings = await checkProviderDeployment({
    opEndpoint: endpointOf(options),
    identityUrl: check.identityUrl,
    opIdentifier: check.opIdentifier,
    store: check.store ?? options.store,
    fetcher: check.fetcher ?? options.fetcher ?? createFetcher(),
    network: check.network === true,
    sealedHandles: check.sealedHandles,
    instances: check.instances,
    sharedStore: check.sharedStore,
  });
  return report(findings, check);
}

/** Checks where the first request arrived (scheme and host against the endpoint, proxy headers against trust proxy) and reports once. Never fails a request. */
export function providerArrivalCheck(options: Pick<ProviderOptions, 'server' | 'opEndpoint'>, check: Omit<ReportOptions, 'strict'> = {}): RequestHandler {
  const endpoint = endpointOf(options);
  let done = false;
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!done) {
      done = true;
      const arrival = { protocol: req.protocol, host: req.get('host') ?? '', forwardedProto: req.get('x-forwarded-proto'), forwardedHost: req.get('x-forwarded-host'), trustProxy: Boolean(req.app.get('trust proxy')) };
      report(checkArrival('op', endpoint, arrival), check);
    }
    next();
  };
}
