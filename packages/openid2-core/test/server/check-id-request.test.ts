/** checkid requests (§9, §10): what is signed, in which version's form, and how the application may answer. */
import { startServer, type TestServer } from 'openid-test-helpers';
import { Server } from '../../src/server/server.js';
import type { CheckIDRequest } from '../../src/server/check-id-request.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { BARE_NS, Message, OPENID_NS } from '../../src/message.js';
import { AnswerError } from '../../src/errors.js';
import { SRegResponse } from '../../src/extensions/sreg.js';
import { IDENTIFIER_SELECT, OPENID2_NS, RP_RETURN_TO_TYPE, SREG_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';
import { ALICE, associate, checkid, clock, ENDPOINT, indirect, newServer, RETURN_TO } from './fixtures.js';

const V1 = { 'openid.mode': 'checkid_setup', 'openid.identity': ALICE, 'openid.return_to': RETURN_TO, 'openid.trust_root': 'https://rp.example/' };

function decode(server: Server, args: Record<string, string>): CheckIDRequest {
  return server.decodeRequest(args, { secure: true }) as CheckIDRequest;
}

describe('positive assertions', () => {
  test('OpenID 2.0: every field §10.1 requires is signed, extensions and their declarations too (UTF-8 included)', async () => {
    const server = newServer();
    const association = await associate(server);
    const request = decode(server, checkid({ 'openid.assoc_handle': association.handle }));
    const message = indirect(await request.answer(true, { extensions: [{ namespace: SREG_1_1_NS, args: { fullname: 'Zoë 東京', email: 'z@example.com' } }] }));
    expect(message.getArg(OPENID_NS, 'signed')?.split(',')).toEqual([
      'ns', 'ns.sreg', 'mode', 'op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'sreg.fullname', 'sreg.email', 'assoc_handle', 'signed',
    ]);
    const received = Message.fromPostArgs(new URL(message.toURL(RETURN_TO)).searchParams);
    expect(association.verifyMessage(received)).toBe(true);
    expect(received.getArg(SREG_1_1_NS, 'fullname')).toBe('Zoë 東京');
    expect(received.getArg(OPENID_NS, 'response_nonce')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ./);
  });

  test('an extension response object is an Extension: answer signs it as it signs { namespace, args }', async () => {
    const server = newServer();
    const message = indirect(await decode(server, checkid()).answer(true, { extensions: [new SRegResponse({ email: 'z@example.com' })] }));
    expect(message.getArg(SREG_1_1_NS, 'email')).toBe('z@example.com');
    expect(message.getArg(OPENID_NS, 'signed')?.split(',')).toContain('sreg.email');
  });

  test('OpenID 1.x: answered in 1.x form (no ns, op_endpoint or claimed_id), with the undeclared sreg alias', async () => {
    const server = newServer();
    const message = indirect(await decode(server, V1).answer(true, { extensions: [{ namespace: SREG_1_0_NS, args: { nickname: 'alice' } }] }));
    expect(Object.keys(message.toPostArgs()).sort()).toEqual(
      ['openid.assoc_handle', 'openid.identity', 'openid.mode', 'openid.response_nonce', 'openid.return_to', 'openid.sig', 'openid.signed', 'openid.sreg.nickname'],
    );
    expect(message.getArg(OPENID_NS, 'signed')).toBe('mode,identity,return_to,response_nonce,sreg.nickname,assoc_handle,signed');
  });

  test('17.11: an OpenID 1.1 assertion carries a fresh, signed openid.response_nonce', async () => {
    const time = clock(Date.UTC(2026, 5, 1, 12, 0, 0));
    const server = newServer({ now: time.now });
    const association = await associate(server, 'HMAC-SHA1', 'DH-SHA1');
    const first = indirect(await decode(server, { ...V1, 'openid.assoc_handle': association.handle }).answer(true));
    const second = indirect(await decode(server, { ...V1, 'openid.assoc_handle': association.handle }).answer(true));
    const nonce = first.getArg(OPENID_NS, 'response_nonce') as string;
    expect(nonce.startsWith('2026-06-01T12:00:00Z')).toBe(true);
    expect(second.getArg(OPENID_NS, 'response_nonce')).not.toBe(nonce);
    expect(first.getArg(OPENID_NS, 'signed')?.split(',')).toContain('response_nonce');
    // The nonce is covered by the signature: changing it breaks the signature.
    const received = Message.fromPostArgs(new URL(first.toURL(RETURN_TO)).searchParams);
    expect(association.verifyMessage(received)).toBe(true);
    received.setArg(OPENID_NS, 'response_nonce', '2026-06-01T12:00:00Zother');
    expect(association.verifyMessage(received)).toBe(false);
  });

  test('a delegated identifier: claimed_id and the OP-local identity both come from the request', async () => {
    const server = newServer();
    const request = decode(server, checkid({ 'openid.claimed_id': 'https://alice.example/' }));
    const message = indirect(await request.answer(true, { identity: ALICE, claimedId: 'https://alice.example/' }));
    expect(message.getArg(OPENID_NS, 'claimed_id')).toBe('https://alice.example/');
    expect(message.getArg(OPENID_NS, 'identity')).toBe(ALICE);
  });

  test('identifier select: the chosen identity, and a claimed identifier of the application\'s choice', async () => {
    const request = decode(newServer(), checkid({ 'openid.claimed_id': IDENTIFIER_SELECT, 'openid.identity': IDENTIFIER_SELECT }));
    const message = indirect(await request.answer(true, { identity: ALICE, claimedId: 'https://alice.example/' }));
    expect(message.getArg(OPENID_NS, 'identity')).toBe(ALICE);
    expect(message.getArg(OPENID_NS, 'claimed_id')).toBe('https://alice.example/');
  });

  test('return_to keeps its own query; the answer goes to return_to, never elsewhere', async () => {
    const encoded = newServer().encodeResponse(await decode(newServer(), checkid()).answer(true));
    expect(encoded.status).toBe(302);
    expect(encoded.headers.location?.startsWith(`${RETURN_TO}&openid.ns=`)).toBe(true);
  });
});

describe('18.6: the application answering wrongly is an AnswerError (answered to the relying party, not a configuration error), and nothing is signed', () => {
  test.each([
    ['identifier select without identity', checkid({ 'openid.claimed_id': IDENTIFIER_SELECT, 'openid.identity': IDENTIFIER_SELECT }), {}, /^identity:/],
    ['identifier select with an identity holding a newline', checkid({ 'openid.claimed_id': IDENTIFIER_SELECT, 'openid.identity': IDENTIFIER_SELECT }), { identity: `${ALICE}\nx` }, /^identity:/],
    ['another user\'s identity', checkid(), { identity: 'https://op.example/user/mallory' }, /^identity:/],
    ['another claimed identifier', checkid(), { claimedId: 'https://mallory.example/' }, /^claimedId:/],
    ['an extension value with a line break', checkid(), { extensions: [{ namespace: SREG_1_1_NS, args: { fullname: 'a\nis_valid:true' } }] }, /^extensions\[0\]\.args\.fullname:/],
    ['an extension key with a comma', checkid(), { extensions: [{ namespace: SREG_1_1_NS, args: { 'a,b': 'x' } }] }, /^extensions\[0\]\.args\["a,b"\]:/],
    ['the OpenID namespace as an extension', checkid(), { extensions: [{ namespace: OPENID2_NS, args: { identity: 'x' } }] }, /^extensions\[0\]\.namespace:/],
  ])('%s', async (_name, args, options, message) => {
    const store = new MemoryStore();
    const server = new Server({ store, opEndpoint: ENDPOINT });
    const answer = decode(server, args).answer(true, options as never);
    await expect(answer).rejects.toBeInstanceOf(AnswerError);
    await expect(decode(server, args).answer(true, options as never)).rejects.toThrow(message);
    expect(await store.getAssociation(`${ENDPOINT}|private`)).toBeUndefined();
  });

  test('18.6: the AnswerError is encoded as an error answer to return_to, with a generic text that names no identity', async () => {
    const server = newServer();
    const error = await decode(server, checkid()).answer(true, { identity: 'https://op.example/user/mallory' }).catch((caught: unknown) => caught);
    if (!(error instanceof AnswerError)) throw new Error('expected an AnswerError');
    expect([error.code, error.field, error.returnTo]).toEqual(['ERR_ANSWER', 'identity', RETURN_TO]);
    const encoded = server.encodeError(error);
    expect(encoded.status).toBe(302);
    const answer = new URL(encoded.headers.location as string);
    expect(answer.origin + answer.pathname).toBe(new URL(RETURN_TO).origin + new URL(RETURN_TO).pathname);
    expect(answer.searchParams.get('openid.mode')).toBe('error');
    expect(answer.searchParams.get('openid.error')).toBe(error.publicMessage);
    expect(encoded.headers.location).not.toContain('mallory');
  });
});

describe('negative assertions', () => {
  test('cancel carries nothing but the mode, unsigned', async () => {
    const message = indirect(await decode(newServer(), checkid()).answer(false));
    expect(message.toPostArgs()).toEqual({ 'openid.ns': OPENID2_NS, 'openid.mode': 'cancel' });
  });

  test('OpenID 1.x setup needed: id_res with a user_setup_url repeating the request in setup mode at our endpoint (1.1 §4.2.2)', async () => {
    const server = newServer();
    const request = decode(server, { ...V1, 'openid.mode': 'checkid_immediate', 'openid.assoc_handle': 'h', foo: 'bar' });
    const message = indirect(await request.answer(false));
    const setup = new URL(message.getArg(OPENID_NS, 'user_setup_url') as string);
    expect(`${setup.origin}${setup.pathname}`).toBe(ENDPOINT);
    expect(Object.fromEntries(setup.searchParams)).toEqual({ ...V1, 'openid.assoc_handle': 'h' });
    expect(message.getArg(BARE_NS, 'foo')).toBeUndefined();
    expect(message.getArg(OPENID_NS, 'mode')).toBe('id_res');
  });
});

describe('realm and return_to', () => {
  test.each([
    ['2.0 without realm: the realm is return_to', checkid({ 'openid.realm': undefined }), RETURN_TO],
    ['1.x: trust_root', V1, 'https://rp.example/'],
    ['1.x without trust_root: return_to', { ...V1, 'openid.trust_root': undefined as unknown as string }, RETURN_TO],
  ])('%s', (_name, args, realm) => {
    const request = decode(newServer(), Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as Record<string, string>);
    expect(request.realm.toString()).toBe(realm);
    expect(request.trustRootValid()).toBe(true);
  });
});

describe('return_to verification through relying party discovery (§9.2.1, §13)', () => {
  let rp: TestServer;
  let published: string[];
  beforeAll(async () => {
    rp = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/xrds+xml' });
      const uris = published.map((uri) => `<URI>${uri}</URI>`).join('');
      res.end(`<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service><Type>${RP_RETURN_TO_TYPE}</Type>${uris}</Service></XRD></xrds:XRDS>`);
    });
  });
  afterAll(() => rp.close());

  function server(allowPrivateAddresses: boolean): Server {
    return new Server({ store: new MemoryStore(), opEndpoint: ENDPOINT, fetcher: createFetcher({ allowPrivateAddresses, timeoutMs: 2000 }) });
  }

  test.each([
    ['a published return_to', true, ['/return'], true],
    ['an unpublished return_to', true, ['/elsewhere'], false],
    ['no return_to published', true, [], false],
    ['a realm on a private address, with the default guard', false, ['/return'], false],
  ])('%s', async (_name, allowPrivate, paths, verified) => {
    published = paths.map((path) => `${rp.url}${path}`);
    const before = rp.requests.length;
    const request = decode(server(allowPrivate), checkid({ 'openid.return_to': `${rp.url}/return`, 'openid.realm': `${rp.url}/` }));
    expect(await request.returnToVerified()).toBe(verified);
    expect(await request.returnToVerified()).toBe(verified);
    expect(rp.requests.length - before).toBe(allowPrivate ? 1 : 0);
  });
});
