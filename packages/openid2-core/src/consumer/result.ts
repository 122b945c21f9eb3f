/**
 * What `complete()` returns: a failed login is a result, not an exception.
 * Every failure names the check that failed.
 */
import type { ServiceEndpoint } from '../discovery/endpoint.js';

/**
 * Why an assertion was refused, one code per check.
 *
 * | reason | check |
 * | --- | --- |
 * | `invalid_message` | the arguments are not one well-formed OpenID message (duplicate keys, NUL bytes, unknown namespace, unexpected mode) |
 * | `provider_error` | the OP answered `openid.mode=error` |
 * | `unsolicited_assertion` | no login in this session started it (§11: login CSRF) |
 * | `transaction_expired` | the login took longer than the transaction lifetime |
 * | `missing_field` | a field §10.1 requires is absent |
 * | `missing_signed_field` | a field §10.1 requires to be signed is not in `openid.signed` |
 * | `return_to_mismatch` | `openid.return_to` is not the URL the answer arrived at (§11.1) |
 * | `signature_mismatch` | the stored association's signature does not match (§11.4.1) |
 * | `discovery_failed` / `discovery_mismatch` | the claimed identifier does not, by discovery, name the OP that signed (§11.2) |
 * | `check_authentication_failed` | the OP did not confirm the signature with exactly `is_valid:true` (§11.4.2) |
 * | `check_authentication_redirected` | the verified OP endpoint answered check_authentication with a redirect, which is never followed |
 * | `invalid_nonce` / `nonce_stale` / `nonce_reused` | the response nonce is malformed, outside the time window, or used before (§11.3) |
 * | `preset_refused` | the consumer's preset refused it; `preset` names the preset, `presetCode` is the preset's own code (each preset lists its codes) |
 * | `rejected_by_application` | the application refused the verified identity (the Passport strategy's `verify` answering false) |
 * | `store_error` | the store failed (a fault, never read as "fresh nonce") |
 */
export const FAILURE_REASONS = Object.freeze([
  'invalid_message',
  'provider_error',
  'unsolicited_assertion',
  'transaction_expired',
  'missing_field',
  'missing_signed_field',
  'return_to_mismatch',
  'signature_mismatch',
  'discovery_failed',
  'discovery_mismatch',
  'check_authentication_failed',
  'check_authentication_redirected',
  'invalid_nonce',
  'nonce_stale',
  'nonce_reused',
  'preset_refused',
  'rejected_by_application',
  'store_error',
] as const);

/** Why a login failed: one of {@link FAILURE_REASONS}. */
export type FailureReason = (typeof FAILURE_REASONS)[number];

/** A verified positive assertion. */
export interface SuccessResult {
  status: 'success';
  /**
   * The verified claimed identifier (with any fragment, §11.5.1): the key to
   * the user's account. Always the identifier as discovery verified it
   * (normalized, §7.2), never the OP's spelling of it: every spelling of one
   * identity gives this same string.
   */
  claimedId: string;
  /** The claimed identifier without fragment, to show to the user. */
  displayIdentifier: string;
  /** The OP-local identifier (`openid.identity`). */
  identity: string;
  /** The verified OP endpoint that signed the assertion. */
  endpoint: ServiceEndpoint;
  /** Fields covered by the signature, without `openid.` (`op_endpoint`, `sreg.email`, ...). */
  signedFields: readonly string[];
  /**
   * The arguments of an extension, by namespace URI whatever alias the OP
   * chose, that the signature covers; unsigned ones are never returned (in
   * OpenID 2.0 the alias declaration must be signed too).
   * @see OpenID 2.0 §12
   */
  getSignedArgs(namespace: string): Record<string, string>;
  /**
   * The fields the consumer's preset added (its `extend`), frozen; absent
   * without a preset or when it adds none. The Steam preset's SteamID64:
   * `steamIdOf(result)`.
   */
  presetData?: Readonly<Record<string, unknown>>;
}

/** The user cancelled at the OP. */
export interface CancelResult {
  status: 'cancel';
}

/** An immediate request the OP cannot answer without the user. */
export interface SetupNeededResult {
  status: 'setup_needed';
  /**
   * Where the user can finish at the OP (OpenID 1.x `user_setup_url`), when
   * given as an http(s) URL. Unverified (the answer is unsigned): show it as a
   * link at most.
   */
  setupUrl: string | undefined;
}

/** A refused assertion. */
export interface FailureResult {
  status: 'failure';
  reason: FailureReason;
  /** What went wrong and a hint, for logs and developers (may quote the response: escape before showing it). */
  message: string;
  cause?: unknown;
  /** For `preset_refused`: the name of the preset that refused (`steam`). */
  preset?: string;
  /** For `preset_refused`: the preset's own code (`endpoint_mismatch`). */
  presetCode?: string;
}

/**
 * What {@link Consumer.complete} returns for an OP's answer, told apart by
 * `status`: `success` (a verified assertion), `cancel` (the user declined),
 * `setup_needed` (an immediate request the OP cannot answer without the
 * user), or `failure` (a refused assertion, with a `reason` code). A failed
 * login is a result, not an exception.
 * @see OpenID 2.0 §10, §11
 */
export type CompletionResult = SuccessResult | CancelResult | SetupNeededResult | FailureResult;

/** Builds a failure result. */
export function failure(reason: FailureReason, message: string, cause?: unknown): FailureResult {
  return cause === undefined ? { status: 'failure', reason, message } : { status: 'failure', reason, message, cause };
}

/** What an assertion claims, before any of it is verified: what presets pin before any request is made. */
export interface AssertionClaims {
  version: '2.0' | '1.x';
  /** `openid.op_endpoint` (2.0), or the endpoint the 1.x request went to. */
  opEndpoint: string;
  /** `openid.claimed_id` (2.0), or the claimed identifier the 1.x request was for. */
  claimedId: string | undefined;
  /** `openid.identity`. */
  identity: string;
}
