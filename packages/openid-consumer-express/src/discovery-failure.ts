/**
 * A login that could not start, told in terms the user can act on: the
 * reason comes from the error's cause chain (openid2-core's
 * `discoveryFailureReason`), and the message never speaks of "that
 * identifier" when the user typed none ("Sign in through Steam"). A store
 * that fails while the login associates is a failed start too
 * (`store_error`), never an error for the app's error handler.
 */
import { DiscoveryError, StoreError, type DiscoveryFailureReason } from 'openid2-core';
import { discoveryFailureReason, isLoopbackRefusal } from 'openid2-core/internals';
import type { LoginFailure, ResolvedConsumerOptions } from './options.js';

type Texts = Readonly<Record<DiscoveryFailureReason, string>>;

const TYPED: Texts = {
  private_address: '{id} is on a private or local network address, which this site does not contact.',
  no_openid_service: 'No OpenID provider was found at {id}: check the spelling.',
  unreachable: '{id} could not be reached. Check the spelling, or try again later.',
  timeout: '{id} did not answer in time. Try again later.',
  xri_unsupported: 'XRI identifiers (such as =name) are not supported here: enter a URL.',
  invalid_identifier: '{id} is not an OpenID identifier: enter a URL such as example.com/you.',
  discovery_failed: 'No OpenID provider could be found for {id}.',
};

const BUTTON: Texts = {
  private_address: 'The sign-in service is on a private or local network address, which this site does not contact.',
  no_openid_service: 'The sign-in service does not offer OpenID sign-in at the moment. Try again later.',
  unreachable: 'The sign-in service could not be reached. Try again later.',
  timeout: 'The sign-in service did not answer in time. Try again later.',
  xri_unsupported: 'The sign-in service is configured with an XRI, which is not supported.',
  invalid_identifier: 'The sign-in service is misconfigured.',
  discovery_failed: 'The sign-in service could not be used. Try again later.',
};

/**
 * The failure of a login whose discovery or association failed.
 * @param typed whether the user typed the identifier (else it is the configured OP identifier)
 */
export function discoveryFailure(options: Pick<ResolvedConsumerOptions, 'xriProxy' | 'onEvent'>, error: DiscoveryError, identifier: string, typed: boolean): LoginFailure {
  const reason = discoveryFailureReason(error, { xriProxy: options.xriProxy });
  let text = (typed ? TYPED : BUTTON)[reason].replace('{id}', identifier);
  if (isLoopbackRefusal(error)) {
    // Local development against a provider on this machine: name the switch, and say so even without onEvent.
    text += ' For local development, set allowLoopback: true on the OpenID consumer router or strategy (refused when NODE_ENV=production).';
    if (options.onEvent === undefined && process.env.NODE_ENV !== 'production') process.emitWarning(text, { code: 'OPENID_LOOPBACK_REFUSED' });
  }
  return { status: 'failure', reason, message: text, cause: error };
}

/**
 * The failure of a login whose start threw: discovery or association
 * (`discoveryFailure`), or the store (`store_error`); undefined for any other
 * error, which is a fault of the program. The router and the Passport
 * strategy both ask it.
 */
export function startFailure(options: Pick<ResolvedConsumerOptions, 'xriProxy' | 'onEvent'>, error: unknown, identifier: string, typed: boolean): LoginFailure | undefined {
  if (error instanceof DiscoveryError) return discoveryFailure(options, error, identifier, typed);
  if (error instanceof StoreError) return { status: 'failure', reason: 'store_error', message: 'Sign-in is unavailable at the moment. Try again later.', cause: error };
  return undefined;
}
