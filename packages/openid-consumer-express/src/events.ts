/**
 * The `onEvent` option: one structured object per step of a login (see
 * `OpenIDEvent` in openid2-core), for pino, winston or console. A logger
 * that throws must not turn a login into a 500, so its faults are dropped
 * here (and only here).
 */
import type { AuthRequest, OpenIDEvent, SuccessResult } from 'openid2-core';
import { causeChain } from 'openid2-core/internals';
import type { ConsumerFailure, ResolvedConsumerOptions } from './options.js';

/** Sends one event to the app's `onEvent`, if any. */
export function emit(options: Pick<ResolvedConsumerOptions, 'onEvent'>, event: OpenIDEvent): void {
  if (options.onEvent === undefined) return;
  try {
    options.onEvent(event);
  } catch {
    // Logging is best effort: the login goes on whatever the logger does.
  }
}

/** What a failure event adds to the failure itself. */
export interface FailureDetails {
  identifier?: string | undefined;
  opEndpoint?: string | undefined;
  startedAt?: number | undefined;
}

const EVENT_OF = { cancel: 'login_cancelled', setup_needed: 'login_setup_needed', failure: 'login_failed' } as const;

/** The event of a cancel, setup needed, failure or refused request: its reason, cause chain and the login it ends. */
export function failureEvent(result: ConsumerFailure, details: FailureDetails = {}, now = Date.now()): OpenIDEvent {
  const refused = 'httpStatus' in result;
  const event: OpenIDEvent = {
    event: refused ? 'request_refused' : EVENT_OF[result.status],
    reason: result.status === 'failure' ? result.reason : result.status,
  };
  if (result.status === 'failure') event.message = result.message;
  // A preset's refusal: which preset, and its own code (the reason is the core's `preset_refused`).
  if ('preset' in result && result.preset !== undefined) event.preset = result.preset;
  if ('presetCode' in result && result.presetCode !== undefined) event.presetCode = result.presetCode;
  if (details.identifier !== undefined) event.identifier = details.identifier;
  if (details.opEndpoint !== undefined) event.opEndpoint = details.opEndpoint;
  if (details.startedAt !== undefined) event.durationMs = now - details.startedAt;
  const cause = 'cause' in result ? result.cause : undefined;
  if (cause !== undefined) event.cause = causeChain(cause);
  return event;
}

/**
 * The events of a begun login, before its request leaves: discovery, and
 * the association (made by this login, or reused from the store or a
 * concurrent login's request).
 */
export function emitBegun(options: Pick<ResolvedConsumerOptions, 'onEvent'>, auth: AuthRequest, login: { identifier: string; startedAt: number }, now = Date.now()): void {
  const { endpoint, association } = auth;
  emit(options, { event: 'discovery_succeeded', identifier: login.identifier, opEndpoint: endpoint.opEndpoint, version: endpoint.version, durationMs: now - login.startedAt });
  if (association !== undefined) emit(options, { event: auth.associationMade ? 'association_made' : 'association_reused', opEndpoint: endpoint.opEndpoint, assocType: association.assocType });
}

/** The event of a verified login. */
export function successEvent(result: SuccessResult, startedAt: number | undefined, now = Date.now()): OpenIDEvent {
  return {
    event: 'login_succeeded',
    identifier: result.claimedId,
    opEndpoint: result.endpoint.opEndpoint,
    version: result.endpoint.version,
    ...(startedAt === undefined ? {} : { durationMs: now - startedAt }),
  };
}
