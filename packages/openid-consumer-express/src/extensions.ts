/**
 * The `profile` and `pape` options: what goes into each authentication
 * request, and the signed answer in one normalized shape for the session.
 * The extension rules themselves live in openid2-core.
 */
import { PapeRequest, PapeResponse, profileFromSuccess, profileRequest, type AuthRequest, type SuccessResult } from 'openid2-core';
import type { ResolvedConsumerOptions } from './options.js';

/** Adds the SREG/AX profile request (as the endpoint advertises them) and the PAPE request the options ask for. */
export function addExtensions(options: ResolvedConsumerOptions, auth: AuthRequest): void {
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

/** The signed profile (and PAPE answer, when asked for) of a success. */
export function extensionData(options: ResolvedConsumerOptions, result: SuccessResult): Record<string, unknown> {
  const data: Record<string, unknown> = { profile: profileFromSuccess(result) };
  if (options.pape !== undefined) {
    try {
      const pape = PapeResponse.fromSuccess(result);
      if (pape !== undefined) data.pape = { policies: pape.policies, authTime: pape.authTime, levels: pape.levels };
    } catch {
      // A malformed PAPE answer is left out rather than failing the login.
    }
  }
  return data;
}
