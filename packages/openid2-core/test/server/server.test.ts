import { Server } from '../../src/server/server.js';
import { CheckIDRequest } from '../../src/server/check-id-request.js';
import { AssociateRequest } from '../../src/server/associate-request.js';
import { CheckAuthRequest } from '../../src/server/check-auth-request.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { Message, OPENID_NS } from '../../src/message.js';
import { Association } from '../../src/association.js';
import { createConsumerSession } from '../../src/association-session.js';
import { intToBase64 } from '../../src/btwoc.js';
import { DEFAULT_DH_MODULUS } from '../../src/diffie-hellman.js';
import { AnswerError, ProtocolError } from '../../src/errors.js';
import { IDENTIFIER_SELECT, OPENID2_NS, SREG_1_1_NS } from '../../src/constants.js';
import { kvForm } from '../../src/kv-form.js';

const ENDPOINT = 'https://op.example/openid';
const RETURN_TO = 'https://rp.example/return?state=1';

function newServer(): Server {
  return new Server({ store: new MemoryStore(), opEndpoint: ENDPOINT });
}

function checkid(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'openid.ns': OPENID2_NS,
    'openid.mode': 'checkid_setup',
    'openid.claimed_id': 'https://op.example/user/alice',
    'openid.identity': 'https://op.example/user/alice',
    'openid.return_to': RETURN_TO,
    'openid.realm': 'https://rp.example/',
    ...extra,
  };
}

function decodeError(server: Server, args: Record<string, string>, secure = true): ProtocolError {
  try {
    server.decodeRequest(args, { secure });
  } catch (error) {
    expect(error).toBeInstanceOf(ProtocolError);
    return error as ProtocolError;
  }
  throw new Error('expected a ProtocolError');
}

async function associate(server: Server, assocType = 'HMAC-SHA256', sessionType = 'DH-SHA256'): Promise<Association> {
  const session = createConsumerSession(sessionType as 'DH-SHA256');
  const args = { 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', 'openid.assoc_type': assocType, 'openid.session_type': sessionType };
  for (const [key, value] of Object.entries(session.requestArgs())) (args as Record<string, string>)[`openid.${key}`] = value;
  const request = server.decodeRequest(args, { secure: false }) as AssociateRequest;
  const encoded = server.encodeResponse(await server.handleRequest(request));
  expect(encoded.status).toBe(200);
  const fields = kvForm.parse(encoded.body);
  const secret = session.extractSecret(fields, assocType as 'HMAC-SHA256');
  return new Association({ handle: fields.assoc_handle as string, secret, issued: 0, lifetime: Number(fields.expires_in), assocType: assocType as 'HMAC-SHA256' });
}

describe('associate (§8)', () => {
  test.each([['HMAC-SHA256', 'DH-SHA256'], ['HMAC-SHA1', 'DH-SHA1']])('%s over %s', async (assocType, sessionType) => {
    const server = newServer();
    const association = await associate(server, assocType, sessionType);
    expect(association.handle).toMatch(/^\{HMAC-SHA/);
    expect(await server.signatory.getAssociation(association.handle, true)).toBeDefined();
  });

  test.each([
    ['no-encryption over plain HTTP', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'no-encryption' }, 'unsupported-type'],
    ['HMAC-SHA256 over DH-SHA1', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA1', 'openid.dh_consumer_public': intToBase64(5n) }, 'unsupported-type'],
    ['an unknown association type', { 'openid.assoc_type': 'HMAC-MD5', 'openid.session_type': 'DH-SHA256' }, 'unsupported-type'],
    ['an unknown session type', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-MD5' }, 'unsupported-type'],
    ['a DH public key of 0', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(0n) }, undefined],
    ['a DH public key of 1', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(1n) }, undefined],
    ['a DH public key of p − 1', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(DEFAULT_DH_MODULUS - 1n) }, undefined],
    ['a DH public key ≥ p', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(DEFAULT_DH_MODULUS) }, undefined],
    ['an 8192-bit modulus', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': intToBase64(5n), 'openid.dh_modulus': intToBase64((1n << 8191n) + 1n) }, undefined],
    ['no session type', { 'openid.assoc_type': 'HMAC-SHA256' }, undefined],
  ])('refuses %s with a KV error (400)', (_name, args, errorCode) => {
    const server = newServer();
    const error = decodeError(server, { 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', ...args }, false);
    const encoded = server.encodeError(error);
    expect(encoded.status).toBe(400);
    expect(encoded.headers['content-type']).toMatch(/^text\/plain/);
    const fields = kvForm.parse(encoded.body);
    expect(fields.mode).toBe('error');
    expect(fields.error_code).toBe(errorCode);
    if (errorCode === 'unsupported-type') {
      expect(fields.assoc_type).toBe('HMAC-SHA256');
      expect(fields.session_type).toBe('DH-SHA256');
    }
  });

  test('no-encryption is fine over HTTPS', () => {
    const request = newServer().decodeRequest({ 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA1', 'openid.session_type': 'no-encryption' }, { secure: true });
    expect(request).toBeInstanceOf(AssociateRequest);
  });
});

describe('checkid (§9, §10)', () => {
  test('a positive assertion signs every required field with the shared association', async () => {
    const server = newServer();
    const association = await associate(server);
    const request = server.decodeRequest(checkid({ 'openid.assoc_handle': association.handle }), { secure: true }) as CheckIDRequest;
    const response = await request.answer(true, { extensions: [{ namespace: SREG_1_1_NS, args: { email: 'zoë@example.com' } }] });
    const encoded = server.encodeResponse(response);
    expect(encoded.status).toBe(302);
    const location = new URL(encoded.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe('https://rp.example/return');
    expect(location.searchParams.get('state')).toBe('1');
    const message = Message.fromPostArgs([...location.searchParams].filter(([k]) => k !== 'state'));
    const signed = message.getArg(OPENID_NS, 'signed')?.split(',') ?? [];
    expect(signed).toEqual(expect.arrayContaining(['op_endpoint', 'return_to', 'response_nonce', 'assoc_handle', 'claimed_id', 'identity', 'ns.sreg', 'sreg.email']));
    expect(message.getArg(OPENID_NS, 'op_endpoint')).toBe(ENDPOINT);
    expect(association.verifyMessage(message)).toBe(true);
    expect(message.getArg(OPENID_NS, 'invalidate_handle')).toBeUndefined();
  });

  test('without an association: a private one, checkable once by check_authentication', async () => {
    const server = newServer();
    const request = server.decodeRequest(checkid({ 'openid.assoc_handle': '{expired}' }), { secure: true }) as CheckIDRequest;
    const response = await request.answer(true);
    if (response.kind !== 'indirect') throw new Error('expected an indirect response');
    expect(response.message.getArg(OPENID_NS, 'invalidate_handle')).toBe('{expired}');
    const check = Object.fromEntries(Object.entries(response.message.toPostArgs()).map(([k, v]) => [k, k === 'openid.mode' ? 'check_authentication' : v]));
    const first = kvForm.parse(server.encodeResponse(await server.handleRequest(server.decodeRequest(check, { secure: true }) as CheckAuthRequest)).body);
    expect(first.is_valid).toBe('true');
    expect(first.invalidate_handle).toBe('{expired}');
    const replay = kvForm.parse(server.encodeResponse(await server.handleRequest(server.decodeRequest(check, { secure: true }) as CheckAuthRequest)).body);
    expect(replay.is_valid).toBe('false');
  });

  test('check_authentication never confirms a shared-association signature', async () => {
    const server = newServer();
    const association = await associate(server);
    const request = server.decodeRequest(checkid({ 'openid.assoc_handle': association.handle }), { secure: true }) as CheckIDRequest;
    const response = await request.answer(true);
    if (response.kind !== 'indirect') throw new Error('expected an indirect response');
    const check = { ...response.message.toPostArgs(), 'openid.mode': 'check_authentication' };
    const answer = kvForm.parse(server.encodeResponse(await server.handleRequest(server.decodeRequest(check, { secure: true }) as CheckAuthRequest)).body);
    expect(answer.is_valid).toBe('false');
  });

  test('identifier select needs the chosen identity', async () => {
    const server = newServer();
    const request = server.decodeRequest(checkid({ 'openid.claimed_id': IDENTIFIER_SELECT, 'openid.identity': IDENTIFIER_SELECT }), { secure: true }) as CheckIDRequest;
    expect(request.idSelect).toBe(true);
    await expect(request.answer(true)).rejects.toBeInstanceOf(AnswerError);
    const response = await request.answer(true, { identity: 'https://op.example/user/bob' });
    if (response.kind !== 'indirect') throw new Error('expected an indirect response');
    expect(response.message.getArg(OPENID_NS, 'claimed_id')).toBe('https://op.example/user/bob');
  });

  test('deny: cancel for setup, setup_needed for immediate', async () => {
    const server = newServer();
    const setup = server.decodeRequest(checkid(), { secure: true }) as CheckIDRequest;
    const cancel = await setup.answer(false);
    expect(new URL(server.encodeResponse(cancel).headers.location as string).searchParams.get('openid.mode')).toBe('cancel');
    const immediate = server.decodeRequest(checkid({ 'openid.mode': 'checkid_immediate' }), { secure: true }) as CheckIDRequest;
    expect(new URL(server.encodeResponse(await immediate.answer(false)).headers.location as string).searchParams.get('openid.mode')).toBe('setup_needed');
  });

  test('OpenID 1.x requests are answered in 1.x form', async () => {
    const server = newServer();
    const args = { 'openid.mode': 'checkid_immediate', 'openid.identity': 'https://op.example/user/alice', 'openid.return_to': RETURN_TO, 'openid.trust_root': 'https://rp.example/' };
    const request = server.decodeRequest(args, { secure: true }) as CheckIDRequest;
    const setup = new URL(server.encodeResponse(await request.answer(false)).headers.location as string);
    expect(setup.searchParams.get('openid.ns')).toBeNull();
    expect(setup.searchParams.get('openid.mode')).toBe('id_res');
    const setupUrl = new URL(setup.searchParams.get('openid.user_setup_url') as string);
    expect(setupUrl.searchParams.get('openid.mode')).toBe('checkid_setup');
    const positive = await request.answer(true);
    if (positive.kind !== 'indirect') throw new Error('expected an indirect response');
    expect(positive.message.isOpenID1()).toBe(true);
    expect(positive.message.getArg(OPENID_NS, 'op_endpoint')).toBeUndefined();
  });

  test('a long assertion becomes an auto-submitting form', async () => {
    const server = newServer();
    const request = server.decodeRequest(checkid(), { secure: true }) as CheckIDRequest;
    const encoded = server.encodeResponse(await request.answer(true, { extensions: [{ namespace: SREG_1_1_NS, args: { fullname: 'x'.repeat(2100) } }] }));
    expect(encoded.status).toBe(200);
    expect(encoded.body).toContain('<form');
    expect(encoded.headers['x-frame-options']).toBe('DENY');
  });
});

describe('checkid errors never hurt the user', () => {
  test.each([
    ['a return_to outside the realm', { 'openid.realm': 'https://other.example/' }, 'page'],
    ['a malformed return_to', { 'openid.return_to': 'javascript:alert(1)' }, 'page'],
    ['a return_to with CR/LF', { 'openid.return_to': 'https://rp.example/r\r\nSet-Cookie: x=1' }, 'page'],
    ['a data: return_to', { 'openid.return_to': 'data:text/html,<script>alert(1)</script>', 'openid.realm': 'data:text/html' }, 'page'],
    ['an invalid realm', { 'openid.realm': 'https://*.ex*ample.com/' }, 'page'],
    ['an insane realm', { 'openid.realm': 'https://*.com/', 'openid.return_to': 'https://rp.com/return' }, 'redirect'],
    ['no identity', { 'openid.identity': '', 'openid.claimed_id': '' }, 'redirect'],
    ['claimed_id without identity', { 'openid.identity': undefined as unknown as string }, 'redirect'],
  ])('%s → %s', (_name, change, expected) => {
    const server = newServer();
    const args = Object.fromEntries(Object.entries(checkid(change)).filter(([, v]) => v !== undefined && v !== ''));
    const encoded = server.encodeError(decodeError(server, args));
    if (expected === 'page') {
      expect(encoded.status).toBe(400);
      expect(encoded.headers.location).toBeUndefined();
      expect(encoded.body).not.toMatch(/<script>alert/);
    } else {
      expect(encoded.status).toBe(302);
      const location = new URL(encoded.headers.location as string);
      expect(location.protocol).toBe('https:');
      expect(location.searchParams.get('openid.mode')).toBe('error');
    }
  });

  test.each([
    ['an identity with a line break', { 'openid.identity': 'https://op.example/user/alice\nis_valid:true' }, 'redirect'],
    ['a claimed_id with a carriage return', { 'openid.claimed_id': 'https://op.example/user/alice\r' }, 'redirect'],
    ['an identity with a tab', { 'openid.identity': 'https://op.example/user/\talice' }, 'redirect'],
    ['an identity of 10 kB', { 'openid.identity': `https://op.example/user/${'a'.repeat(10240)}` }, 'redirect'],
    ['an assoc_handle with a line break', { 'openid.assoc_handle': 'handle\ninvalidate_handle:x' }, 'redirect'],
    ['an assoc_handle of 256 characters', { 'openid.assoc_handle': 'h'.repeat(256) }, 'redirect'],
    ['an assoc_handle with a space', { 'openid.assoc_handle': 'a handle' }, 'redirect'],
    ['a return_to of 10 kB', { 'openid.return_to': `https://rp.example/return?${'a'.repeat(10240)}` }, 'page'],
    ['a realm of 10 kB', { 'openid.realm': `https://rp.example/${'a'.repeat(10240)}` }, 'page'],
  ])('17.7: %s is refused when the request is decoded → %s', (_name, change, expected) => {
    const server = newServer();
    const error = decodeError(server, checkid(change));
    expect(error.direct).toBe(false);
    expect(error.returnTo).toBe(expected === 'redirect' ? RETURN_TO : undefined);
    const encoded = server.encodeError(error);
    expect(encoded.status).toBe(expected === 'redirect' ? 302 : 400);
  });

  test.each([
    ['an invalidate_handle with a line break', { 'openid.invalidate_handle': 'h\nis_valid:true' }],
    ['an invalidate_handle with a carriage return', { 'openid.invalidate_handle': 'h\r' }],
    ['an invalidate_handle of 10 kB', { 'openid.invalidate_handle': 'h'.repeat(10240) }],
    ['an assoc_handle with a line break', { 'openid.assoc_handle': 'h\nx' }],
    ['an empty assoc_handle', { 'openid.assoc_handle': '' }],
  ])('17.7: check_authentication with %s is a 400 key-value error', (_name, change) => {
    const server = newServer();
    const args = { 'openid.ns': OPENID2_NS, 'openid.mode': 'check_authentication', 'openid.assoc_handle': 'h', 'openid.sig': 'AAAA', 'openid.signed': 'mode', ...change };
    const error = decodeError(server, args);
    expect(error.direct).toBe(true);
    const encoded = server.encodeError(error);
    expect(encoded.status).toBe(400);
    const fields = kvForm.parse(encoded.body);
    expect(fields).toMatchObject({ mode: 'error' });
    expect(fields.is_valid).toBeUndefined();
    expect(fields.error).toMatch(/not an association handle/);
  });

  test('error text cannot smuggle KV lines', () => {
    const server = newServer();
    const error = decodeError(server, { 'openid.ns': OPENID2_NS, 'openid.mode': 'bogus\nis_valid:true' });
    const encoded = server.encodeError(error);
    expect(encoded.status).toBe(400);
    const fields = kvForm.parse(encoded.body);
    expect(fields.is_valid).toBeUndefined();
    expect(fields.mode).toBe('error');
  });

  test('duplicate keys are a malformed request', () => {
    const server = newServer();
    const error = decodeError(server, new URLSearchParams('openid.mode=checkid_setup&openid.mode=associate') as never);
    expect(error.message).toMatch(/more than once/);
  });

  test('arguments without openid.mode are not an OpenID request', () => {
    expect(newServer().decodeRequest({ foo: 'bar' }, { secure: true })).toBeUndefined();
  });
});
