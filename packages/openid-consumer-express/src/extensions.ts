/**
 * The `profile` and `pape` options: what goes into each authentication
 * request, and the signed answer in one normalized shape for the session.
 * The extension rules themselves live in openid2-core.
 */
import { AX_1_0_NS, normalizeProfile, PapeRequest, PapeResponse, profileFromSuccess, profileRequest, SREG_1_0_NS, SREG_1_1_NS, type AuthRequest, type Profile, type SuccessResult } from 'openid2-core';
import type { ResolvedConsumerOptions } from './options.js';

/** Adds the SREG/AX profile request (as the endpoint advertises them) and the PAPE request the options ask for. */
export function addExtensions(options: Pick<ResolvedConsumerOptions, 'profile' | 'pape'>, auth: AuthRequest): void {
  const openid1 = !auth.endpoint.isOpenID2();
  if (options.profile !== undefined) {
    const plan = profileRequest(options.profile, { typeUris: auth.endpoint.typeUris, openid1 });
    for (const extension of plan.extensions) auth.addExtension(extension);
  }
  // PAPE needs OpenID 2.0's namespace declarations.
  if (options.pape !== undefined && !openid1) {
    auth.addExtension(new PapeRequest([...(options.pape.policies ?? [])], options.pape.maxAuthAge));
  }
}

/** Which extension gave each field of the merged profile: AX wins where both answer (as in `profileFromSuccess`). */
export function profileSourcesOf(result: SuccessResult, profile: Profile): Record<string, 'sreg' | 'ax'> {
  const sreg11 = result.getSignedArgs(SREG_1_1_NS);
  const sreg = Object.keys(sreg11).length > 0 ? sreg11 : result.getSignedArgs(SREG_1_0_NS);
  const fromAX: Record<string, unknown> = normalizeProfile(undefined, result.getSignedArgs(AX_1_0_NS));
  const fromSReg: Record<string, unknown> = normalizeProfile(sreg, undefined);
  const sources: Record<string, 'sreg' | 'ax'> = {};
  for (const [field, value] of Object.entries(profile)) {
    if (fromAX[field] === value) sources[field] = 'ax';
    else if (fromSReg[field] === value) sources[field] = 'sreg';
  }
  return sources;
}

/** The signed extension answers of a success, in the one shape both adapters give the app. */
export interface ExtensionData {
  /** Signed profile fields: SREG 1.1 (else 1.0) and AX, AX winning where both answer; `{}` when none. */
  profile: Profile;
  /** Where each profile field came from (`'sreg'` or `'ax'`). */
  profileSources: Record<string, 'sreg' | 'ax'>;
  /** The signed PAPE answer, when PAPE was asked for and answered. */
  pape?: { policies: string[]; authTime: string | undefined; levels: Record<string, string> };
}

/** The signed profile, where each field came from, and the PAPE answer (when asked for) of a success. */
export function extensionData(options: Pick<ResolvedConsumerOptions, 'pape'>, result: SuccessResult, papeAsked = false): ExtensionData {
  const profile = profileFromSuccess(result);
  const data: ExtensionData = { profile, profileSources: profileSourcesOf(result, profile) };
  if (options.pape !== undefined || papeAsked) {
    try {
      const pape = PapeResponse.fromSuccess(result);
      if (pape !== undefined) data.pape = { policies: pape.policies, authTime: pape.authTime, levels: pape.levels };
    } catch {
      // A malformed PAPE answer is left out rather than failing the login.
    }
  }
  return data;
}
