/**
 * One profile, two extensions. A relying party asks for fields by name
 * (`email`, `nickname`, `firstName`, ...) and gets them through SREG or AX,
 * whichever the provider answers, in one normalized shape read from signed
 * arguments only; a provider learns which fields were asked for and answers
 * in the extensions the request used (profile-provider.ts).
 */
import { AX_1_0_NS, SREG_1_0_NS, SREG_1_1_NS } from '../constants.js';
import { OpenIDConfigError } from '../errors.js';
import type { Message } from '../message.js';
import { AXFetchRequest, AXFetchResponse } from './ax.js';
import { AX_ATTRIBUTES, attributeOfField, attributeOfUri, isProfileField, PROFILE_FIELDS, type ProfileField } from './ax-attributes.js';
import { signedArgsFrom, type SignedSource } from './extension.js';
import { profileValueProblem, type Profile } from './profile-values.js';
import { SRegRequest, sregNamespaceFor, supportsSReg } from './sreg.js';

export { answerProfile, requestedProfile, type RequestedProfile } from './profile-provider.js';
export { profileValueProblem, type Profile } from './profile-values.js';

/** The fields a relying party wants. */
export interface ProfileRequest {
  required?: readonly string[];
  optional?: readonly string[];
}

/** Options of {@link profileRequest}: what the endpoint supports, and the SREG policy URL. */
export interface ProfileRequestOptions {
  /**
   * Type URIs of the discovered endpoint: only the extensions it advertises
   * are sent (both when it advertises neither, as many providers do not).
   * @default undefined (both SREG and AX are sent)
   */
  typeUris?: readonly string[];
  /** An OpenID 1.x provider: SREG only (AX needs OpenID 2.0), in the 1.0 namespace. @default false */
  openid1?: boolean;
  /** SREG `policy_url`: where users read how the data is used. @default undefined (none sent) */
  policyUrl?: string;
}

/** Both requests for a profile, and the ones to send. */
export interface ProfilePlan {
  sreg: SRegRequest;
  ax: AXFetchRequest;
  /** What to add to the authentication request, in order (requests without fields left out). */
  extensions: Array<SRegRequest | AXFetchRequest>;
}

function checkedFields(names: readonly string[] | undefined, option: string): ProfileField[] {
  return (names ?? []).map((name, index) => {
    if (!isProfileField(name)) throw new OpenIDConfigError(`${JSON.stringify(name)} is not a profile field (${PROFILE_FIELDS.join(', ')})`, `${option}[${index}]`);
    return name;
  });
}

function chooseExtensions(sreg: SRegRequest, ax: AXFetchRequest, options: ProfileRequestOptions): Array<SRegRequest | AXFetchRequest> {
  const typeUris = options.typeUris ?? [];
  const advertisesSReg = supportsSReg(typeUris);
  const advertisesAX = typeUris.includes(AX_1_0_NS);
  const either = !advertisesSReg && !advertisesAX;
  const chosen: Array<SRegRequest | AXFetchRequest> = [];
  if (sreg.wereFieldsRequested() && (either || advertisesSReg || options.openid1 === true)) chosen.push(sreg);
  if (ax.attributes.length > 0 && options.openid1 !== true && (either || advertisesAX)) chosen.push(ax);
  return chosen;
}

/**
 * The SREG request and the AX fetch request (axschema.org URIs, aliases
 * named after the fields) asking for these fields, and which of them to send.
 * firstName, lastName and image exist in AX only.
 * @throws OpenIDConfigError for a name that is not a profile field
 */
export function profileRequest(request: ProfileRequest, options: ProfileRequestOptions = {}): ProfilePlan {
  const required = checkedFields(request.required, 'profile.required');
  const optional = checkedFields(request.optional, 'profile.optional').filter((field) => !required.includes(field));
  const sregOf = (fields: ProfileField[]): string[] => fields.flatMap((field) => attributeOfField(field)?.sreg ?? []);
  const sreg = new SRegRequest({
    required: sregOf(required),
    optional: sregOf(optional),
    namespace: sregNamespaceFor(options),
    ...(options.policyUrl === undefined ? {} : { policyUrl: options.policyUrl }),
  });
  const ax = new AXFetchRequest();
  for (const [fields, isRequired] of [[required, true], [optional, false]] as const) {
    for (const field of new Set(fields)) ax.add((attributeOfField(field) as { uri: string }).uri, { alias: field, required: isRequired });
  }
  return { sreg, ax, extensions: chooseExtensions(sreg, ax, options) };
}

/** Adds a profile request to an outgoing checkid message (SREG always; AX in OpenID 2.0 only, or as `typeUris` advertise). */
export function addProfileRequest(message: Message, request: ProfileRequest, options: Omit<ProfileRequestOptions, 'openid1'> = {}): void {
  const plan = profileRequest(request, { ...options, openid1: message.isOpenID1() });
  for (const extension of plan.extensions) extension.toMessage(message);
}

type Args = Readonly<Record<string, string>>;

function isPair(value: unknown): value is { sreg?: Args; ax?: Args } {
  const candidate = value as { sreg?: unknown; ax?: unknown };
  return typeof candidate.sreg === 'object' || typeof candidate.ax === 'object';
}

function put(profile: Profile, field: ProfileField, value: string | undefined): void {
  if (value !== undefined && profileValueProblem(field, value) === undefined) profile[field] = value;
}

function fromAX(profile: Profile, ax: Args): void {
  let response: AXFetchResponse;
  try {
    response = AXFetchResponse.fromSignedArgs(ax);
  } catch {
    return; // A malformed AX answer contributes nothing.
  }
  for (const [uri, values] of response.values) {
    const attribute = attributeOfUri(uri);
    if (attribute !== undefined) put(profile, attribute.field, values[0]);
  }
}

/**
 * One normalized profile from signed SREG and/or AX arguments (what
 * `result.getSignedArgs(...)` returns), e.g. `normalizeProfile(sreg, ax)` or
 * `normalizeProfile({ sreg, ax })`. AX is read in both URI spellings and wins
 * where both answer; values that fail the field's format are left out, and
 * so is a malformed AX answer. The first of several AX values is taken.
 */
export function normalizeProfile(sreg?: Args | { sreg?: Args; ax?: Args }, ax?: Args): Profile {
  const pair = sreg !== undefined && isPair(sreg) ? sreg : { sreg: sreg as Args | undefined, ax };
  const profile: Profile = {};
  for (const attribute of AX_ATTRIBUTES) {
    if (attribute.sreg !== undefined) put(profile, attribute.field, pair.sreg?.[attribute.sreg]);
  }
  if (pair.ax !== undefined && Object.keys(pair.ax).length > 0) fromAX(profile, pair.ax);
  return profile;
}

/** The normalized profile of a success result: signed SREG (1.1, else 1.0) and signed AX arguments only. */
export function profileFromSuccess(result: SignedSource): Profile {
  const sreg11 = signedArgsFrom(result, SREG_1_1_NS);
  const sreg = Object.keys(sreg11).length > 0 ? sreg11 : signedArgsFrom(result, SREG_1_0_NS);
  return normalizeProfile(sreg, signedArgsFrom(result, AX_1_0_NS));
}
