/** Shared set-up of the server tests: a server, requests, and readers of its answers. */
import { Server, type ServerOptions } from '../../src/server/server.js';
import type { AssociateRequest } from '../../src/server/associate-request.js';
import type { CheckAuthRequest } from '../../src/server/check-auth-request.js';
import type { EncodedResponse, OpenIDResponse } from '../../src/server/response.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { Association, type AssociationType } from '../../src/association.js';
import { createConsumerSession, type SessionType } from '../../src/association-session.js';
import { ProtocolError } from '../../src/errors.js';
import { OPENID2_NS } from '../../src/constants.js';
import { kvForm } from '../../src/kv-form.js';
import { Message } from '../../src/message.js';

export const ENDPOINT = 'https://op.example/openid';
export const RETURN_TO = 'https://rp.example/return?state=1';
export const ALICE = 'https://op.example/user/alice';

/** A controllable clock (milliseconds) shared by a server and its store. */
export function clock(start = Date.UTC(2026, 0, 1)): { now: () => number; advance(seconds: number): void } {
  let time = start;
  return { now: () => time, advance: (seconds) => void (time += seconds * 1000) };
}

export function newServer(options: Partial<ServerOptions> = {}): Server {
  return new Server({ store: new MemoryStore(options.now === undefined ? {} : { now: options.now }), opEndpoint: ENDPOINT, ...options });
}

/** OpenID 2.0 checkid_setup arguments for alice; `extra` overrides (undefined removes). */
export function checkid(extra: Record<string, string | undefined> = {}): Record<string, string> {
  const args: Record<string, string | undefined> = {
    'openid.ns': OPENID2_NS,
    'openid.mode': 'checkid_setup',
    'openid.claimed_id': ALICE,
    'openid.identity': ALICE,
    'openid.return_to': RETURN_TO,
    'openid.realm': 'https://rp.example/',
    ...extra,
  };
  return Object.fromEntries(Object.entries(args).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** The ProtocolError decoding throws. */
export function decodeError(server: Server, args: unknown, secure = true): ProtocolError {
  try {
    server.decodeRequest(args as Record<string, string>, { secure });
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

/** A direct answer's status and fields. */
export function kv(encoded: EncodedResponse): { status: number; fields: Record<string, string> } {
  expect(encoded.headers['content-type']).toBe('text/plain; charset=utf-8');
  return { status: encoded.status, fields: { ...kvForm.parse(encoded.body) } };
}

/** The message an indirect response carries. */
export function indirect(response: OpenIDResponse): Message {
  if (response.kind !== 'indirect') throw new Error(`expected an indirect response, got ${response.kind}`);
  return response.message;
}

/** Runs `associate` as a relying party would and returns the association it would store. */
export async function associate(server: Server, assocType: AssociationType = 'HMAC-SHA256', sessionType: SessionType = 'DH-SHA256'): Promise<Association> {
  const session = createConsumerSession(sessionType);
  const args: Record<string, string> = { 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', 'openid.assoc_type': assocType, 'openid.session_type': sessionType };
  for (const [key, value] of Object.entries(session.requestArgs())) args[`openid.${key}`] = value;
  const request = server.decodeRequest(args, { secure: sessionType === 'no-encryption' }) as AssociateRequest;
  const { status, fields } = kv(server.encodeResponse(await server.handleRequest(request)));
  expect(status).toBe(200);
  const secret = session.extractSecret(fields, assocType);
  return new Association({ handle: fields.assoc_handle as string, secret, issued: 0, lifetime: Number(fields.expires_in), assocType });
}

/** Sends an assertion back as check_authentication and returns the answer's fields. */
export async function checkAuthentication(server: Server, assertion: Message, change: Record<string, string> = {}): Promise<Record<string, string>> {
  const args = { ...assertion.toPostArgs(), 'openid.mode': 'check_authentication', ...change };
  const request = server.decodeRequest(args, { secure: true }) as CheckAuthRequest;
  return kv(server.encodeResponse(await server.handleRequest(request))).fields;
}
