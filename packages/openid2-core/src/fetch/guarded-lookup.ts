/**
 * The DNS look-up the fetcher hands to the HTTP client: it resolves the name
 * and refuses the connection when any resolved address is not allowed. The
 * addresses checked are the ones the socket connects to, so there is no
 * window between a check and the connection for DNS rebinding to use.
 */
import type { LookupAddress } from 'node:dns';
import { PRIVATE_ADDRESS_CODE } from './fetch-errors.js';

/** A `dns.lookup`-compatible function, called with `{ all: true }`. */
export type LookupFunction = (
  hostname: string,
  options: { all: true },
  callback: (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;

/** The callback shapes of `dns.lookup`: one address, or all of them. */
type LookupCallback = (error: NodeJS.ErrnoException | null, address?: string | LookupAddress[], family?: number) => void;

/** A `net.connect`-compatible `lookup` option. */
export type ConnectLookup = (hostname: string, options: unknown, callback: LookupCallback) => void;

function refusal(hostname: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${hostname} resolves to a private address`), { code: PRIVATE_ADDRESS_CODE });
}

/**
 * Wraps a look-up so that a name is refused when any of its addresses fails
 * `allowed`: a name with one public and one private address could otherwise
 * be connected to either, at the client's choice.
 */
export function guardLookup(base: LookupFunction, allowed: (address: string) => boolean): ConnectLookup {
  return (hostname, options, callback) => {
    // net.connect asks for all addresses when it races address families (autoSelectFamily).
    const wantAll = typeof options === 'object' && options !== null && (options as { all?: unknown }).all === true;
    base(hostname, { all: true }, (error, addresses) => {
      if (error) return callback(error);
      if (addresses.length === 0 || !addresses.every((entry) => allowed(entry.address))) {
        return callback(refusal(hostname));
      }
      if (wantAll) return callback(null, addresses);
      const first = addresses[0] as LookupAddress;
      return callback(null, first.address, first.family);
    });
  };
}
