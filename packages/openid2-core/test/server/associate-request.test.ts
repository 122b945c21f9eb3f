/** associate (§8): lifetimes, the unsupported-type suggestion, OpenID 1.x form. */
import { AssociateRequest } from '../../src/server/associate-request.js';
import { OPENID2_NS } from '../../src/constants.js';
import { associate, clock, decodeError, kv, newServer } from './fixtures.js';

describe('associate', () => {
  test('the configured lifetime is what expires_in says, and the association lives that long', async () => {
    const time = clock();
    const server = newServer({ associationLifetime: 3600, now: time.now });
    const association = await associate(server);
    expect(association.lifetime).toBe(3600);
    time.advance(3599);
    expect(await server.signatory.getAssociation(association.handle, true)).toBeDefined();
    time.advance(1);
    expect(await server.signatory.getAssociation(association.handle, true)).toBeUndefined();
  });

  test('a shared handle is never a private one, and the other way round', async () => {
    const server = newServer();
    const association = await associate(server);
    expect(await server.signatory.getAssociation(association.handle, false)).toBeUndefined();
    const privateOne = await server.signatory.createAssociation('HMAC-SHA256', false);
    expect(await server.signatory.getAssociation(privateOne.handle, true)).toBeUndefined();
  });

  test('no-encryption over HTTPS sends the MAC key in the clear', async () => {
    const association = await associate(newServer(), 'HMAC-SHA1', 'no-encryption');
    expect(association.secret).toHaveLength(20);
  });

  test.each([
    ['no-encryption preferred, plain HTTP: the DH session of the same hash', { assocType: 'HMAC-SHA1', sessionType: 'no-encryption' }, false, { assoc_type: 'HMAC-SHA1', session_type: 'DH-SHA1' }],
    ['no-encryption preferred, HTTPS: no-encryption', { assocType: 'HMAC-SHA256', sessionType: 'no-encryption' }, true, { assoc_type: 'HMAC-SHA256', session_type: 'no-encryption' }],
    ['the default', undefined, false, { assoc_type: 'HMAC-SHA256', session_type: 'DH-SHA256' }],
  ] as const)('unsupported-type suggests %s (§8.2.4)', (_name, preferred, secure, suggestion) => {
    const server = newServer(preferred === undefined ? {} : { preferred });
    const error = decodeError(server, { 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-MD5', 'openid.session_type': 'DH-SHA256' }, secure);
    const { status, fields } = kv(server.encodeError(error));
    expect(status).toBe(400);
    expect(fields).toEqual({ ns: OPENID2_NS, mode: 'error', error: 'Association type HMAC-MD5 is not supported', error_code: 'unsupported-type', ...suggestion });
  });

  test('an OP limited to HMAC-SHA1 refuses HMAC-SHA256', () => {
    const server = newServer({ assocTypes: ['HMAC-SHA1'] });
    const error = decodeError(server, { 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': 'Ag==' }, false);
    expect(kv(server.encodeError(error)).fields).toMatchObject({ error_code: 'unsupported-type', assoc_type: 'HMAC-SHA1', session_type: 'DH-SHA1' });
  });

  test.each([
    ['no assoc_type', { 'openid.session_type': 'DH-SHA256' }, 'openid.assoc_type is missing'],
    ['no dh_consumer_public', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256' }, 'Invalid Diffie-Hellman parameters: dh_consumer_public is missing'],
    ['a dh_consumer_public that is not base64', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': '!!!' }, /^Invalid Diffie-Hellman parameters: /],
    ['an even modulus', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': 'Ag==', 'openid.dh_modulus': 'BAA=' }, /^Invalid Diffie-Hellman parameters: .*odd prime/],
    ['a modulus of 512 bits', { 'openid.assoc_type': 'HMAC-SHA256', 'openid.session_type': 'DH-SHA256', 'openid.dh_consumer_public': 'Ag==', 'openid.dh_modulus': Buffer.concat([Buffer.from([0x7f]), Buffer.alloc(62, 0xff), Buffer.from([0xff])]).toString('base64') }, /at least 1024/],
  ])('%s: a KV error without error_code', (_name, args, text) => {
    const server = newServer();
    const { status, fields } = kv(server.encodeError(decodeError(server, { 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', ...args }, false)));
    expect(status).toBe(400);
    expect(fields.error_code).toBeUndefined();
    expect(fields.error).toMatch(text);
  });
});

describe('OpenID 1.x associate (1.1 §4.1)', () => {
  test('no session_type means no-encryption: refused over plain HTTP, with no 2.0 fields', () => {
    const server = newServer();
    const { status, fields } = kv(server.encodeError(decodeError(server, { 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA1' }, false)));
    expect(status).toBe(400);
    expect(fields).toEqual({ mode: 'error', error: 'no-encryption sessions are only allowed over HTTPS (§8.4.1)' });
  });

  test('over HTTPS: mac_key in the clear, no session_type in the answer (1.1 §4.1.2)', async () => {
    const server = newServer();
    const request = server.decodeRequest({ 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA1' }, { secure: true }) as AssociateRequest;
    const { fields } = kv(server.encodeResponse(await server.handleRequest(request)));
    expect(Object.keys(fields).sort()).toEqual(['assoc_handle', 'assoc_type', 'expires_in', 'mac_key']);
    expect(Buffer.from(fields.mac_key as string, 'base64')).toHaveLength(20);
  });
});
