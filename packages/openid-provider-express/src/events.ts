/**
 * The provider's `onEvent` option: one structured object per request it
 * answers (see `OpenIDEvent` in openid2-core), for pino, winston or console.
 * Never a secret: no association handles or MAC keys, no signatures, no
 * query strings. A logger that throws is ignored: the answer goes out.
 */
import { ProtocolError, type CheckIDRequest, type DecodedRequest, type EncodedResponse, type OpenIDEvent } from 'openid2-core';
import { causeChain, withoutQuery } from 'openid2-core/internals';
import type { Decision } from './options.js';

export type EventSink = ((event: OpenIDEvent) => void) | undefined;

export function emit(sink: EventSink, event: OpenIDEvent): void {
  if (sink === undefined) return;
  try {
    sink(event);
  } catch {
    // Logging is best effort.
  }
}

/** The event of a direct request's answer: an association made, or a signature checked. */
export function directEvent(request: DecodedRequest, encoded: EncodedResponse, startedAt: number): OpenIDEvent {
  const durationMs = Date.now() - startedAt;
  if ('assocType' in request) {
    const made = encoded.status === 200 && !/^mode:error$/m.test(encoded.body);
    return { event: made ? 'association_made' : 'association_refused', mode: 'associate', assocType: request.assocType, durationMs, status: encoded.status };
  }
  // check_authentication: the answer says is_valid:true or not; nothing else of it is logged.
  return { event: 'signature_checked', mode: 'check_authentication', reason: /^is_valid:true$/m.test(encoded.body) ? 'valid' : 'invalid', durationMs };
}

/** The event of a checkid request's outcome. */
export function decisionEvent(request: CheckIDRequest, outcome: Decision['type'] | 'setup_needed', startedAt: number): OpenIDEvent {
  const event = { allow: 'assertion_issued', deny: 'assertion_denied', interact: 'interaction_started', setup_needed: 'setup_needed' }[outcome];
  return { event, mode: request.mode, identifier: request.identity, realm: request.realm.toString(), returnTo: withoutQuery(request.returnTo), durationMs: Date.now() - startedAt };
}

/** The event of a request refused with a protocol error. */
export function protocolErrorEvent(error: ProtocolError): OpenIDEvent {
  return { event: 'request_failed', reason: error.errorCode ?? 'invalid-request', message: error.message, direct: error.direct, cause: causeChain(error.cause) };
}
