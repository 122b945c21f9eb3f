// The human sentence for each reason code the relying party can be sent
// back with (`?openid_error=`). Anything else in that parameter is ignored:
// the page shows only what the site itself said.
export const MESSAGES = Object.freeze({
  cancel: 'You cancelled the sign-in at your provider.',
  setup_needed: 'Your provider needs you to sign in there first.',
  missing_identifier: 'Enter an OpenID identifier.',
  discovery_failed: 'No OpenID provider could be found for that identifier.',
  private_address: 'That identifier points to a private network address, which this site does not contact.',
  no_openid_service: 'That page names no OpenID provider.',
  unreachable: 'The provider for that identifier could not be reached.',
  timeout: 'The provider for that identifier took too long to answer.',
  xri_unsupported: 'XRI identifiers (=name, @name) are not supported here.',
  invalid_identifier: 'That is not a valid OpenID identifier.',
  invalid_return_to: 'The page to return to after sign-in was not on this site.',
  csrf_failed: 'The sign-in form expired or did not come from this site. Please try again.',
  check_authentication_redirected: 'Your provider did not confirm its answer.',
  invalid_message: 'Your provider sent an answer that could not be read.',
  provider_error: 'Your provider reported an error.',
  unsolicited_assertion: 'The answer did not belong to a sign-in started here. Please start again.',
  transaction_expired: 'The sign-in took too long. Please try again.',
  missing_field: 'Your provider’s answer was incomplete.',
  missing_signed_field: 'Your provider’s answer was not fully signed.',
  return_to_mismatch: 'The answer was meant for another address.',
  signature_mismatch: 'The answer’s signature did not match.',
  discovery_mismatch: 'That provider is not allowed to speak for this identifier.',
  check_authentication_failed: 'Your provider did not confirm its answer.',
  invalid_nonce: 'The answer carried an invalid one-time value.',
  nonce_stale: 'The answer was too old. Please try again.',
  nonce_reused: 'The answer was already used. Please sign in again.',
  preset_refused: 'That sign-in service’s answer was not one this site accepts.',
  rejected_by_application: 'This site does not accept that identity.',
  store_error: 'Sign-in is unavailable right now (the site could not reach its storage). Please try again later.',
});

/** The notice for a reason code, or undefined for anything this site does not know. */
export function failureMessage(reason) {
  return typeof reason === 'string' && Object.hasOwn(MESSAGES, reason) ? MESSAGES[reason] : undefined;
}
