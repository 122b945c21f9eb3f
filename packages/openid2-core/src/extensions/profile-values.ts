/**
 * The normalized profile: one shape for what SREG and AX deliver, with the
 * same value checks whichever extension carried a value.
 */
import type { ProfileField } from './ax-attributes.js';
import { attributeOfField } from './ax-attributes.js';
import { isHttpUrl, sregValueProblem } from './sreg-values.js';

/** Profile values by field, e.g. `{ email: 'zoe@example.com', firstName: 'Zoë' }`. */
export type Profile = Partial<Record<ProfileField, string>>;

/**
 * Why a value is not valid for a profile field, or undefined when it is:
 * SREG §4 formats for the SREG fields, text for names, an http(s) URL for
 * the image (it ends up in pages as a link).
 */
export function profileValueProblem(field: ProfileField, value: string): string | undefined {
  const sreg = attributeOfField(field)?.sreg;
  if (sreg !== undefined) return sregValueProblem(sreg, value);
  const text = sregValueProblem('nickname', value);
  if (text !== undefined || field !== 'image') return text;
  return isHttpUrl(value) ? undefined : 'must be an absolute http or https URL';
}
