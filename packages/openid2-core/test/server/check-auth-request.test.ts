/** check_authentication (§11.4.2): private signatures only, once, with invalidate_handle honoured. */
import type { Association } from '../../src/association.js';
import type { CheckIDRequest } from '../../src/server/check-id-request.js';
import { OPENID_NS } from '../../src/message.js';
import { OPENID2_NS } from '../../src/constants.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { ALICE, associate, checkAuthentication, checkid, clock, decodeError, indirect, kv, newServer, RETURN_TO } from './fixtures.js';

describe('check_authentication', () => {
  test('an expired shared handle: the assertion is signed privately, invalidate_handle is sent and confirmed', async () => {
    const time = clock();
    const server = newServer({ associationLifetime: 60, now: time.now });
    const association = await associate(server);
    time.advance(61);
    const request = server.decodeRequest(checkid({ 'openid.assoc_handle': association.handle }), { secure: true }) as CheckIDRequest;
    const assertion = indirect(await request.answer(true));
    expect(assertion.getArg(OPENID_NS, 'invalidate_handle')).toBe(association.handle);
    expect(assertion.getArg(OPENID_NS, 'assoc_handle')).not.toBe(association.handle);
    expect(association.verifyMessage(assertion)).toBe(false);
    expect(await checkAuthentication(server, assertion)).toEqual({ ns: OPENID2_NS, is_valid: 'true', invalidate_handle: association.handle });
  });

  test('the signatory checks expiry on its own clock even when the store still returns the association', async () => {
    const time = clock();
    const frozen = time.now();
    const server = newServer({ associationLifetime: 60, now: time.now, store: new MemoryStore({ now: () => frozen }) });
    const association = await associate(server);
    time.advance(120);
    const request = server.decodeRequest(checkid({ 'openid.assoc_handle': association.handle }), { secure: true }) as CheckIDRequest;
    expect(indirect(await request.answer(true)).getArg(OPENID_NS, 'invalidate_handle')).toBe(association.handle);
  });

  test('invalidate_handle naming a live shared association is not echoed', async () => {
    const server = newServer();
    const live = await associate(server);
    const assertion = indirect(await (server.decodeRequest(checkid(), { secure: true }) as CheckIDRequest).answer(true));
    expect(await checkAuthentication(server, assertion, { 'openid.invalidate_handle': live.handle })).toEqual({ ns: OPENID2_NS, is_valid: 'true' });
  });

  test('a failed check does not use up the genuine assertion', async () => {
    const server = newServer();
    const assertion = indirect(await (server.decodeRequest(checkid(), { secure: true }) as CheckIDRequest).answer(true));
    expect((await checkAuthentication(server, assertion, { 'openid.return_to': 'https://rp.example/other' })).is_valid).toBe('false');
    expect((await checkAuthentication(server, assertion)).is_valid).toBe('true');
    expect((await checkAuthentication(server, assertion)).is_valid).toBe('false');
  });

  test('a private association past its lifetime is no longer confirmed', async () => {
    const time = clock();
    const server = newServer({ privateAssociationLifetime: 30, now: time.now });
    const assertion = indirect(await (server.decodeRequest(checkid(), { secure: true }) as CheckIDRequest).answer(true));
    time.advance(31);
    expect((await checkAuthentication(server, assertion)).is_valid).toBe('false');
  });

  test('concurrent checks of one assertion: exactly one is valid', async () => {
    const server = newServer();
    const assertion = indirect(await (server.decodeRequest(checkid(), { secure: true }) as CheckIDRequest).answer(true));
    const answers = await Promise.all([1, 2, 3, 4].map(() => checkAuthentication(server, assertion)));
    expect(answers.filter((fields) => fields.is_valid === 'true')).toHaveLength(1);
  });

  test('OpenID 1.x: a replayed check is not valid (each private association signs once)', async () => {
    const server = newServer();
    const args = { 'openid.mode': 'checkid_setup', 'openid.identity': ALICE, 'openid.return_to': RETURN_TO, 'openid.trust_root': 'https://rp.example/' };
    const assertion = indirect(await (server.decodeRequest(args, { secure: true }) as CheckIDRequest).answer(true));
    expect(await checkAuthentication(server, assertion)).toEqual({ is_valid: 'true' });
    expect(await checkAuthentication(server, assertion)).toEqual({ is_valid: 'false' });
  });

  test('17.11: OpenID 1.x: the signed response_nonce is recorded, so a second private association cannot confirm the same answer', async () => {
    const server = newServer();
    const args = { 'openid.mode': 'checkid_setup', 'openid.identity': ALICE, 'openid.return_to': RETURN_TO, 'openid.trust_root': 'https://rp.example/' };
    const first = indirect(await (server.decodeRequest(args, { secure: true }) as CheckIDRequest).answer(true));
    const nonce = first.getArg(OPENID_NS, 'response_nonce') as string;
    expect(first.getArg(OPENID_NS, 'signed')?.split(',')).toContain('response_nonce');
    expect(await checkAuthentication(server, first)).toEqual({ is_valid: 'true' });
    // Another answer signed with its own private association but carrying the used nonce.
    const second = indirect(await (server.decodeRequest(args, { secure: true }) as CheckIDRequest).answer(true));
    const handle = second.getArg(OPENID_NS, 'assoc_handle') as string;
    const association = (await server.signatory.getAssociation(handle, false)) as Association;
    const fields = (second.getArg(OPENID_NS, 'signed') as string).split(',');
    second.delArg(OPENID_NS, 'sig');
    second.delArg(OPENID_NS, 'signed');
    second.setArg(OPENID_NS, 'response_nonce', nonce);
    association.signMessage(second, fields.filter((field) => field !== 'signed'));
    expect(association.verifyMessage(second)).toBe(true);
    expect(await checkAuthentication(server, second)).toEqual({ is_valid: 'false' });
  });

  test.each(['assoc_handle', 'sig', 'signed'])('without openid.%s: a KV error (400)', (field) => {
    const server = newServer();
    const args: Record<string, string> = { 'openid.ns': OPENID2_NS, 'openid.mode': 'check_authentication', 'openid.assoc_handle': 'h', 'openid.sig': 'c2ln', 'openid.signed': 'mode' };
    delete args[`openid.${field}`];
    const { status, fields } = kv(server.encodeError(decodeError(server, args)));
    expect(status).toBe(400);
    expect(fields).toEqual({ ns: OPENID2_NS, mode: 'error', error: `openid.${field} is missing` });
  });

  test('a signed list naming a missing field is simply not valid', async () => {
    const server = newServer();
    const assertion = indirect(await (server.decodeRequest(checkid(), { secure: true }) as CheckIDRequest).answer(true));
    const fields = await checkAuthentication(server, assertion, { 'openid.signed': `${assertion.getArg(OPENID_NS, 'signed')},nothing_here` });
    expect(fields.is_valid).toBe('false');
  });
});
