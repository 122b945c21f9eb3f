/**
 * Common Attribute Exchange type URIs, in both the axschema.org and the
 * older schema.openid.net spellings, with the SREG field each matches.
 */
import type { SRegField } from './sreg.js';

export type ProfileField = 'email' | 'nickname' | 'fullname' | 'firstName' | 'lastName' | 'dob' | 'gender' | 'postcode' | 'country' | 'language' | 'timezone' | 'image';

export interface AXAttribute {
  field: ProfileField;
  /** The axschema.org URI (preferred). */
  uri: string;
  /** The schema.openid.net URI, used by some older providers. */
  legacyUri: string;
  sreg?: SRegField;
}

const attribute = (field: ProfileField, path: string, sreg?: SRegField): AXAttribute => ({
  field,
  uri: `http://axschema.org/${path}`,
  legacyUri: `http://schema.openid.net/${path}`,
  ...(sreg === undefined ? {} : { sreg }),
});

export const AX_ATTRIBUTES: readonly AXAttribute[] = [
  attribute('email', 'contact/email', 'email'),
  attribute('nickname', 'namePerson/friendly', 'nickname'),
  attribute('fullname', 'namePerson', 'fullname'),
  attribute('firstName', 'namePerson/first'),
  attribute('lastName', 'namePerson/last'),
  attribute('dob', 'birthDate', 'dob'),
  attribute('gender', 'person/gender', 'gender'),
  attribute('postcode', 'contact/postalCode/home', 'postcode'),
  attribute('country', 'contact/country/home', 'country'),
  attribute('language', 'pref/language', 'language'),
  attribute('timezone', 'pref/timezone', 'timezone'),
  attribute('image', 'media/image/default'),
];

/** The attribute of a type URI, whichever spelling. */
export function attributeOfUri(uri: string): AXAttribute | undefined {
  return AX_ATTRIBUTES.find((entry) => entry.uri === uri || entry.legacyUri === uri);
}

export function attributeOfField(field: string): AXAttribute | undefined {
  return AX_ATTRIBUTES.find((entry) => entry.field === field);
}
