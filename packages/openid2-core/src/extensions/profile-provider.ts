/**
 * The provider's side of the profile: which fields a checkid request asks
 * for (SREG and AX merged), and the extension arguments answering it in the
 * extensions and namespaces the request used.
 */
import { AX_1_0_NS, SREG_1_0_NS } from '../constants.js';
import type { Message } from '../message.js';
import type { Extension } from './extension.js';
import { AXFetchRequest, AXFetchResponse } from './ax.js';
import { attributeOfSRegField, attributeOfUri, type ProfileField } from './ax-attributes.js';
import { ExtensionError } from './extension.js';
import { profileValueProblem, type Profile } from './profile-values.js';
import { SRegRequest, SRegResponse } from './sreg.js';

/** The fields a relying party asked for. */
export interface RequestedProfile {
  required: ProfileField[];
  optional: ProfileField[];
}

/** Extension requests that cannot be read are ignored: the answer simply leaves them out. */
function readable<T>(read: () => T | undefined): T | undefined {
  try {
    return read();
  } catch (error) {
    if (error instanceof ExtensionError) return undefined;
    throw error;
  }
}

function requests(message: Message): { sreg: SRegRequest | undefined; ax: AXFetchRequest | undefined } {
  return { sreg: readable(() => SRegRequest.fromMessage(message)), ax: readable(() => AXFetchRequest.fromMessage(message)) };
}

/**
 * The profile fields a checkid request asks for, from SREG and AX together
 * (a field required by either is required). AX attributes outside the
 * common table, and malformed extension requests, are left out.
 */
export function requestedProfile(message: Message): RequestedProfile {
  const required = new Set<ProfileField>();
  const optional = new Set<ProfileField>();
  const { sreg, ax } = requests(message);
  for (const field of sreg?.required ?? []) addField(required, attributeOfSRegField(field)?.field);
  for (const field of sreg?.optional ?? []) addField(optional, attributeOfSRegField(field)?.field);
  for (const attribute of ax?.attributes ?? []) addField(attribute.required ? required : optional, attributeOfUri(attribute.typeUri)?.field);
  for (const field of required) optional.delete(field);
  return { required: [...required], optional: [...optional] };
}

function addField(set: Set<ProfileField>, field: ProfileField | undefined): void {
  if (field !== undefined) set.add(field);
}

function checkedValue(extension: 'sreg' | 'ax', field: ProfileField, value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  const problem = profileValueProblem(field, value);
  if (problem !== undefined) throw new ExtensionError(extension, 'invalid_value', `The ${field} value ${problem}`);
  return value;
}

function sregAnswer(message: Message, request: SRegRequest, values: Profile): Extension {
  const data: Record<string, string | undefined> = {};
  for (const field of request.fields) {
    const profileField = attributeOfSRegField(field)?.field;
    if (profileField !== undefined) data[field] = checkedValue('sreg', profileField, values[profileField]);
  }
  const namespace = message.isOpenID1() ? SREG_1_0_NS : request.namespace;
  return { namespace, args: SRegResponse.extractResponse(request, data).args };
}

function axAnswer(request: AXFetchRequest, values: Profile): Extension {
  const response = AXFetchResponse.fromRequest(request, (typeUri) => {
    const field = attributeOfUri(typeUri)?.field;
    return field === undefined ? undefined : checkedValue('ax', field, values[field]);
  });
  return { namespace: AX_1_0_NS, args: response.args };
}

/**
 * The extension arguments answering a checkid request with these released
 * values: an SREG response when SREG was asked (in the request's namespace),
 * an AX fetch response when AX was (with the request's aliases and type
 * URIs), each carrying only requested fields. Pass them to
 * `CheckIDRequest.answer(true, { extensions })` to be signed.
 * @throws ExtensionError (`invalid_value`) when a released value has the wrong format
 */
export function answerProfile(message: Message, values: Profile): Extension[] {
  const { sreg, ax } = requests(message);
  const out: Extension[] = [];
  if (sreg !== undefined && sreg.wereFieldsRequested()) out.push(sregAnswer(message, sreg, values));
  if (ax !== undefined) out.push(axAnswer(ax, values));
  return out;
}
