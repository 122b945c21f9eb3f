/**
 * Checks of the profile and PAPE choices, shared by the router's options,
 * its per-login `loginOptions` answers and the Passport strategy.
 */
import { isProfileField, OpenIDConfigError, PROFILE_FIELDS } from 'openid2-core';

/** Refuses names that are not profile fields (shared with the Passport strategy). */
export function checkProfileFields(profile: { required?: readonly string[]; optional?: readonly string[] } | undefined, option: string): void {
  if (profile === undefined) return;
  if (profile === null || typeof profile !== 'object') throw new OpenIDConfigError('must be { required?: string[], optional?: string[] }', option);
  const { required = [], optional = [] } = profile;
  if (!Array.isArray(required) || !Array.isArray(optional)) throw new OpenIDConfigError('must be { required?: string[], optional?: string[] }', option);
  for (const name of [...required, ...optional]) {
    if (typeof name !== 'string' || !isProfileField(name)) throw new OpenIDConfigError(`${JSON.stringify(name)} is not a profile field (known: ${PROFILE_FIELDS.join(', ')})`, option);
  }
}

/** Refuses a PAPE request that is not `{ policies?: URI[], maxAuthAge?: seconds }` (shared with `loginOptions`). */
export function checkPape(pape: { policies?: readonly string[]; maxAuthAge?: number } | undefined, option: string): void {
  if (pape === undefined) return;
  if (pape === null || typeof pape !== 'object') throw new OpenIDConfigError('must be { policies?: string[], maxAuthAge?: number }', option);
  const { policies = [], maxAuthAge } = pape;
  if (!Array.isArray(policies) || policies.some((policy) => typeof policy !== 'string' || !URL.canParse(policy))) throw new OpenIDConfigError('policies must be policy URIs', option);
  if (maxAuthAge !== undefined && (!Number.isSafeInteger(maxAuthAge) || maxAuthAge < 0)) throw new OpenIDConfigError('maxAuthAge must be whole seconds, 0 or more', option);
}
