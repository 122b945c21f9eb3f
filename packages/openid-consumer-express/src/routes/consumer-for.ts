/** The consumer of one request: the options' settings over this user's session. */
import type { Request } from 'express';
import { Consumer, objectSession } from 'openid2-core';
import type { ResolvedConsumerOptions } from '../options.js';
import { sessionOf } from '../request-context.js';

export function consumerFor(options: ResolvedConsumerOptions, req: Request): Consumer {
  return new Consumer({
    ...options.consumer,
    session: objectSession(sessionOf(req)),
    store: options.store ?? options.consumer?.store,
    ...(options.fetcher === undefined ? {} : { fetcher: options.fetcher }),
    ...(options.discoveryCache === undefined ? {} : { discoveryCache: options.discoveryCache }),
    associationFlights: options.associationFlights,
    allowUnsolicitedAssertions: options.allowUnsolicitedAssertions === true || options.consumer?.allowUnsolicitedAssertions === true,
  });
}
