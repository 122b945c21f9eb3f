/**
 * One profile, two extensions: a relying party asks for fields by name and
 * gets them from SREG or AX, whichever the provider answered; a provider
 * learns which fields were asked for and answers in the same extensions.
 */
import { AX_1_0_NS, SREG_1_0_NS, SREG_1_1_NS } from '../constants.js';
import type { Message } from '../message.js';
import { FetchRequest, FetchResponse } from './ax.js';
import { AX_ATTRIBUTES, attributeOfField, attributeOfUri, type ProfileField } from './ax-attributes.js';
import { SRegRequest, SRegResponse, isSRegField, sregNamespaceOf } from './sreg.js';

export type Profile = Partial<Record<ProfileField, string>>;

export interface ProfileRequest {
  required?: readonly string[];
  optional?: readonly string[];
}

/** The SREG and AX requests asking for these fields. */
export function profileRequest(request: ProfileRequest): { sreg: SRegRequest; ax: FetchRequest } {
  const sregFields = (names: readonly string[] | undefined): string[] =>
    (names ?? []).map((name) => attributeOfField(name)?.sreg ?? name).filter(isSRegField);
  const sreg = new SRegRequest({ required: sregFields(request.required), optional: sregFields(request.optional) });
  const ax = new FetchRequest();
  for (const [names, required] of [[request.required ?? [], true], [request.optional ?? [], false]] as const) {
    for (const name of names) {
      const attribute = attributeOfField(name);
      if (attribute !== undefined && !ax.attributes.some((a) => a.typeUri === attribute.uri)) ax.add(attribute.uri, { alias: attribute.field, required });
    }
  }
  return { sreg, ax };
}

/** Adds the profile request to an outgoing message: SREG always; AX only in OpenID 2.0. */
export function addProfileRequest(message: Message, request: ProfileRequest): void {
  const { sreg, ax } = profileRequest(request);
  if (sreg.fields.length > 0) sreg.toMessage(message);
  if (message.isOpenID2() && ax.attributes.length > 0) ax.toMessage(message);
}

/** One normalized profile from signed SREG and AX arguments (AX wins where both answer). */
export function normalizeProfile(signed: { sreg?: Readonly<Record<string, string>>; ax?: Readonly<Record<string, string>> }): Profile {
  const profile: Profile = {};
  const sreg = SRegResponse.fromSignedArgs(signed.sreg ?? {});
  for (const attribute of AX_ATTRIBUTES) {
    const value = attribute.sreg === undefined ? undefined : sreg.data[attribute.sreg];
    if (value !== undefined) profile[attribute.field] = value;
  }
  if (signed.ax !== undefined && signed.ax.mode === 'fetch_response') {
    try {
      const ax = FetchResponse.fromSignedArgs(signed.ax);
      for (const [uri, values] of ax.values) {
        const attribute = attributeOfUri(uri);
        if (attribute !== undefined && values[0] !== undefined) profile[attribute.field] = values[0];
      }
    } catch {
      // A malformed AX response adds nothing.
    }
  }
  return profile;
}

/** The profile fields a checkid request asks for, from SREG and AX together. */
export function requestedProfile(message: Message): { required: ProfileField[]; optional: ProfileField[] } {
  const required = new Set<ProfileField>();
  const optional = new Set<ProfileField>();
  const sreg = SRegRequest.fromMessage(message);
  const byS = (field: string): ProfileField | undefined => AX_ATTRIBUTES.find((a) => a.sreg === field)?.field;
  for (const field of sreg?.required ?? []) {
    const name = byS(field);
    if (name) required.add(name);
  }
  for (const field of sreg?.optional ?? []) {
    const name = byS(field);
    if (name) optional.add(name);
  }
  let ax: FetchRequest | undefined;
  try {
    ax = FetchRequest.fromMessage(message);
  } catch {
    ax = undefined;
  }
  for (const attribute of ax?.attributes ?? []) {
    const name = attributeOfUri(attribute.typeUri)?.field;
    if (name) (attribute.required ? required : optional).add(name);
  }
  for (const name of required) optional.delete(name);
  return { required: [...required], optional: [...optional] };
}

/**
 * The extension arguments answering a checkid request with these values:
 * SREG and/or AX, mirroring what the request used.
 */
export function answerProfile(message: Message, values: Profile): Array<{ namespace: string; args: Record<string, string> }> {
  const out: Array<{ namespace: string; args: Record<string, string> }> = [];
  const sreg = SRegRequest.fromMessage(message);
  if (sreg !== undefined) {
    const data: Record<string, string> = {};
    for (const attribute of AX_ATTRIBUTES) {
      const value = values[attribute.field];
      if (attribute.sreg !== undefined && value !== undefined) data[attribute.sreg] = value;
    }
    const namespace = message.isOpenID1() ? SREG_1_0_NS : (sregNamespaceOf(message) ?? SREG_1_1_NS);
    out.push({ namespace, args: SRegResponse.extractResponse(sreg, data).toArgs() });
  }
  let ax: FetchRequest | undefined;
  try {
    ax = FetchRequest.fromMessage(message);
  } catch {
    ax = undefined;
  }
  if (ax !== undefined) {
    const response = FetchResponse.answer(ax, (uri) => {
      const field = attributeOfUri(uri)?.field;
      const value = field === undefined ? undefined : values[field];
      return value === undefined ? undefined : [value];
    });
    out.push({ namespace: AX_1_0_NS, args: response.toArgs(ax) });
  }
  return out;
}
