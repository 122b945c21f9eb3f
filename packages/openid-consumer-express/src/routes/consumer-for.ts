/** The consumer of one request: the options' settings over this user's session. */
import type { Request } from 'express';
import { Consumer, objectSession, type OpenIDStore } from 'openid2-core';
import type { ResolvedConsumerOptions } from '../options.js';
import { sessionOf } from '../request-context.js';

/** What one login may change: its `loginOptions` choice, and a listener for a new association (the events' made/reused). */
export interface PerLogin {
  stateless?: boolean | undefined;
  onAssociationStored?: () => void;
}

/** The store as it is, except that storing an association is reported (it was made by this login, not reused). */
function watched(store: OpenIDStore, onStored: () => void): OpenIDStore {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'storeAssociation') return value.bind(target);
      return (...args: unknown[]) => {
        onStored();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

export function consumerFor(options: ResolvedConsumerOptions, req: Request, perLogin: PerLogin = {}): Consumer {
  const store = options.store ?? options.consumer?.store;
  return new Consumer({
    ...options.consumer,
    session: objectSession(sessionOf(req)),
    store: store === undefined || perLogin.onAssociationStored === undefined ? store : watched(store, perLogin.onAssociationStored),
    ...(options.fetcher === undefined ? {} : { fetcher: options.fetcher }),
    ...(options.discoveryCache === undefined ? {} : { discoveryCache: options.discoveryCache }),
    associationFlights: options.associationFlights,
    ...(perLogin.stateless === undefined ? {} : { stateless: perLogin.stateless }),
    allowUnsolicitedAssertions: options.allowUnsolicitedAssertions === true || options.consumer?.allowUnsolicitedAssertions === true,
  });
}
