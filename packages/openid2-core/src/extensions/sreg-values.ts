/**
 * Formats of Simple Registration values (SREG §4), also used for the same
 * fields received through Attribute Exchange. Free text is UTF-8 without
 * control characters (a newline would break key-value form); the structured
 * fields are checked loosely, as deployed providers send them.
 * @see openid-simple-registration-extension-1_0.txt §4
 */
/** The fields of SREG §4, in the spec's order. */
export const SREG_FIELDS = ['nickname', 'email', 'fullname', 'dob', 'gender', 'postcode', 'country', 'language', 'timezone'] as const;
/** A Simple Registration field name (SREG §4). */
export type SRegField = (typeof SREG_FIELDS)[number];
/** SREG values by field. */
export type SRegData = Partial<Record<SRegField, string>>;

/** Whether a name is one of {@link SREG_FIELDS}. */
export function isSRegField(name: string): name is SRegField {
  return (SREG_FIELDS as readonly string[]).includes(name);
}

/** Longest value accepted in any field. */
export const MAX_VALUE_LENGTH = 1024;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const DOB = /^(\d{4})-(\d{2})-(\d{2})$/;
const EMAIL = /^[^\s@]+@[^\s@.][^\s@]*$/u;
const COUNTRY = /^[A-Za-z]{2,3}$/;
const LANGUAGE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8}){0,3}$/;
const TIMEZONE = /^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/;

/** Whether a value is an absolute http or https URL without whitespace or control characters. */
export function isHttpUrl(value: string): boolean {
  if (/[\s\u0000-\u001f\u007f\\]/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function textProblem(value: string): string | undefined {
  if (value.length === 0) return 'is empty';
  if (value.length > MAX_VALUE_LENGTH) return `is longer than ${MAX_VALUE_LENGTH} characters`;
  if (CONTROL.test(value)) return 'contains a control character (such as a newline)';
  return undefined;
}

function dobProblem(value: string): string | undefined {
  const match = DOB.exec(value);
  // SREG §4: zeros stand for the parts the user keeps private ("1980-00-00").
  if (match === null || Number(match[2]) > 12 || Number(match[3]) > 31) return 'must be YYYY-MM-DD (zeros for parts not given)';
  return undefined;
}

const CHECKS: Readonly<Record<SRegField | 'policy_url', (value: string) => string | undefined>> = {
  nickname: () => undefined,
  fullname: () => undefined,
  postcode: () => undefined,
  email: (value) => (value.length <= 254 && EMAIL.test(value) ? undefined : 'is not an email address (local@domain)'),
  dob: dobProblem,
  gender: (value) => (value === 'M' || value === 'F' ? undefined : 'must be M or F'),
  country: (value) => (COUNTRY.test(value) ? undefined : 'must be an ISO 3166 country code such as FR'),
  language: (value) => (LANGUAGE.test(value) ? undefined : 'must be an ISO 639 language code such as fr or en-GB'),
  timezone: (value) => (TIMEZONE.test(value) ? undefined : 'must be a time zone database name such as Europe/Paris'),
  policy_url: (value) => (isHttpUrl(value) ? undefined : 'must be an absolute http or https URL'),
};

/** Why a value is not well-formed for its field, or undefined when it is (SREG §4). */
export function sregValueProblem(field: SRegField | 'policy_url', value: string): string | undefined {
  return textProblem(value) ?? CHECKS[field](value);
}
