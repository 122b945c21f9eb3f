/**
 * From the app's decision to the protocol answer: what the hook is told
 * about the extensions a request carries, and how an `allow` becomes a
 * signed assertion with the released extension data.
 */
import { answerProfile, PapeRequest, PapeResponse, requestedProfile, type CheckIDRequest, type Extension, type OpenIDResponse } from 'openid2-core';
import type { Decision, DecisionContext } from './options.js';

/** The relying party's extension requests, as the decision hook and the consent page see them. */
export function extensionContext(request: CheckIDRequest): Pick<DecisionContext, 'requested' | 'pape'> {
  let pape;
  try {
    pape = PapeRequest.fromMessage(request.message);
  } catch {
    // An unreadable PAPE request is ignored: the answer simply carries no PAPE data.
    pape = undefined;
  }
  return {
    requested: requestedProfile(request.message),
    pape: pape === undefined ? undefined : { preferredPolicies: pape.preferredPolicies, maxAuthAge: pape.maxAuthAge },
  };
}

function papeArgs(request: CheckIDRequest, pape: { policies: string[]; authTime?: Date }): Extension[] {
  let asked;
  try {
    asked = PapeRequest.fromMessage(request.message);
  } catch {
    asked = undefined;
  }
  if (asked === undefined) return [];
  // PapeResponse writes the Date in the §5.2 form and refuses an invalid one.
  return [new PapeResponse(pape.policies, pape.authTime)];
}

/** The answer to a checkid request for an allow or deny decision. */
export function answerDecision(request: CheckIDRequest, decision: Exclude<Decision, { type: 'interact' }>): Promise<OpenIDResponse> {
  if (decision.type !== 'allow') return request.answer(false);
  const { profile, pape, extensions = [] } = decision;
  const all = [...extensions];
  if (profile !== undefined) all.push(...answerProfile(request.message, profile));
  if (pape !== undefined) all.push(...papeArgs(request, pape));
  return request.answer(true, {
    ...(decision.identity === undefined ? {} : { identity: decision.identity }),
    ...(decision.claimedId === undefined ? {} : { claimedId: decision.claimedId }),
    extensions: all,
  });
}
