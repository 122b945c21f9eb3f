/**
 * Common Attribute Exchange type URIs, in both the axschema.org spelling and
 * the older schema.openid.net one, with the SREG field each one matches.
 * @see openid-attribute-exchange-1_0.txt §3.2 (and the axschema.org schema)
 */
import type { SRegField } from './sreg.js';

/** The fields of a normalized profile. */
export const PROFILE_FIELDS = ['email', 'nickname', 'fullname', 'firstName', 'lastName', 'dob', 'gender', 'postcode', 'country', 'language', 'timezone', 'image'] as const;
/** A field of a normalized profile (see {@link PROFILE_FIELDS}). */
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** Whether a name is one of {@link PROFILE_FIELDS}. */
export function isProfileField(name: string): name is ProfileField {
  return (PROFILE_FIELDS as readonly string[]).includes(name);
}

/** One common attribute. */
export interface AXAttribute {
  readonly field: ProfileField;
  /** The axschema.org URI (what we ask for). */
  readonly uri: string;
  /** The schema.openid.net URI some older providers use. */
  readonly legacyUri: string;
  /** The Simple Registration field with the same meaning, if any. */
  readonly sreg?: SRegField;
}

const attribute = (field: ProfileField, path: string, sreg?: SRegField): AXAttribute =>
  Object.freeze({
    field,
    uri: `http://axschema.org/${path}`,
    legacyUri: `http://schema.openid.net/${path}`,
    ...(sreg === undefined ? {} : { sreg }),
  });

/** The table: one row per profile field. */
export const AX_ATTRIBUTES: readonly AXAttribute[] = Object.freeze([
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
]);

/** The attribute of a type URI, in either spelling. */
export function attributeOfUri(uri: string): AXAttribute | undefined {
  return AX_ATTRIBUTES.find((entry) => entry.uri === uri || entry.legacyUri === uri);
}

/** The attribute of a profile field. */
export function attributeOfField(field: string): AXAttribute | undefined {
  return AX_ATTRIBUTES.find((entry) => entry.field === field);
}

/** The attribute of an SREG field. */
export function attributeOfSRegField(field: string): AXAttribute | undefined {
  return AX_ATTRIBUTES.find((entry) => entry.sreg === field);
}
