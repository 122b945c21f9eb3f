/**
 * What `complete()` returns: a failed login is a result, not an exception.
 * Every failure names the check that failed.
 */
import type { ServiceEndpoint } from '../discovery/endpoint.js';
import type { Message } from '../message.js';

/** Why an assertion was refused. */
export type FailureReason =
  | 'invalid_message'
  | 'provider_error'
  | 'unsolicited_assertion'
  | 'missing_field'
  | 'missing_signed_field'
  | 'return_to_mismatch'
  | 'signature_mismatch'
  | 'discovery_failed'
  | 'discovery_mismatch'
  | 'check_authentication_failed'
  | 'invalid_nonce'
  | 'nonce_stale'
  | 'nonce_reused'
  | 'transaction_expired'
  | 'rejected_by_policy'
  | 'store_error';

export interface SuccessResult {
  status: 'success';
  /** The verified claimed identifier (with any fragment, §11.5.1). */
  claimedId: string;
  /** The claimed identifier without fragment, to show to the user. */
  displayIdentifier: string;
  /** The OP-local identifier. */
  identity: string;
  endpoint: ServiceEndpoint;
  /** Fields covered by the signature, without `openid.`. */
  signedFields: readonly string[];
  message: Message;
  /** The arguments of an extension that the signature covers; unsigned ones are never returned. */
  getSignedArgs(namespace: string): Record<string, string>;
  /** Set by the Steam preset: the SteamID64. */
  steamId?: string;
}

export interface CancelResult {
  status: 'cancel';
}

export interface SetupNeededResult {
  status: 'setup_needed';
  /** Where the user can finish at the OP (OpenID 1.x `user_setup_url`), when given. */
  setupUrl: string | undefined;
}

export interface FailureResult {
  status: 'failure';
  reason: FailureReason;
  /** What went wrong and a hint, for logs and developers. */
  message: string;
  cause?: unknown;
}

export type CompletionResult = SuccessResult | CancelResult | SetupNeededResult | FailureResult;

export function failure(reason: FailureReason, message: string, cause?: unknown): FailureResult {
  return cause === undefined ? { status: 'failure', reason, message } : { status: 'failure', reason, message, cause };
}
