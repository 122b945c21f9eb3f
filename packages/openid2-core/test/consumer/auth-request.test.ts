/** The request message (§9.1) in each form the OP may need, without a network. */
import { AuthRequest } from '../../src/consumer/auth-request.js';
import { ServiceEndpoint } from '../../src/discovery/endpoint.js';
import { OpenIDConfigError } from '../../src/errors.js';
import { AX_1_0_NS, IDENTIFIER_SELECT, OPENID_1_1_TYPE, OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE, SREG_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';
import { Message, OPENID_NS } from '../../src/message.js';
import { knownAssociation } from './forge.js';

const REALM = 'https://rp.example/';
const RETURN = 'https://rp.example/openid/return?next=%2Fhome';
const TX = 'T'.repeat(32);

function request(init: Partial<ConstructorParameters<typeof ServiceEndpoint>[0]> & { typeUris: string[] }, withAssociation = false): AuthRequest {
  const endpoint = new ServiceEndpoint({ opEndpoint: 'https://op.example/openid', claimedId: 'https://alice.example/', ...init });
  return new AuthRequest(endpoint, withAssociation ? knownAssociation({ handle: 'h1' }) : undefined, TX);
}

function argsOf(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

describe('AuthRequest', () => {
  test.each([
    ['OpenID 2.0 (§9.1)', { typeUris: [OPENID_2_0_TYPE] }, { 'openid.ns': 'http://specs.openid.net/auth/2.0', 'openid.claimed_id': 'https://alice.example/', 'openid.identity': 'https://alice.example/', 'openid.realm': REALM }],
    ['OpenID 2.0 delegated (§7.3.1)', { typeUris: [OPENID_2_0_TYPE], localId: 'https://op.example/u/alice' }, { 'openid.claimed_id': 'https://alice.example/', 'openid.identity': 'https://op.example/u/alice' }],
    ['identifier select (§9.1)', { typeUris: [OPENID_IDP_2_0_TYPE], claimedId: undefined }, { 'openid.claimed_id': IDENTIFIER_SELECT, 'openid.identity': IDENTIFIER_SELECT }],
    ['OpenID 1.1 (trust_root, no ns, no claimed_id)', { typeUris: [OPENID_1_1_TYPE], localId: 'https://op.example/u/alice' }, { 'openid.identity': 'https://op.example/u/alice', 'openid.trust_root': REALM }],
  ])('%s', (_name, init, expected) => {
    const args = argsOf(request(init).redirectUrl(REALM, RETURN));
    expect(args).toMatchObject({ 'openid.mode': 'checkid_setup', ...expected });
    expect(new URL(args['openid.return_to'] as string).searchParams.get('openid_tx')).toBe(TX);
    expect(new URL(args['openid.return_to'] as string).searchParams.get('next')).toBe('/home');
    if (init.typeUris.includes(OPENID_1_1_TYPE)) expect(args).not.toHaveProperty('openid.claimed_id');
  });

  test('immediate mode and the association handle', () => {
    const args = argsOf(request({ typeUris: [OPENID_2_0_TYPE] }, true).redirectUrl(REALM, RETURN, { immediate: true }));
    expect(args).toMatchObject({ 'openid.mode': 'checkid_immediate', 'openid.assoc_handle': 'h1' });
  });

  test('extension arguments by namespace URI, with their preferred aliases; OpenID 1.x SREG under the implicit sreg alias', () => {
    const v2 = request({ typeUris: [OPENID_2_0_TYPE] });
    v2.addExtensionArgs(SREG_1_1_NS, { required: 'email' }).addExtension({ namespace: AX_1_0_NS, preferredAlias: 'ax', args: { mode: 'fetch_request', 'type.email': 'http://axschema.org/contact/email', required: 'email' } });
    const args = argsOf(v2.redirectUrl(REALM, RETURN));
    expect(args).toMatchObject({ 'openid.ns.sreg': SREG_1_1_NS, 'openid.sreg.required': 'email', 'openid.ns.ax': AX_1_0_NS, 'openid.ax.mode': 'fetch_request' });
    const v1 = request({ typeUris: [OPENID_1_1_TYPE] }).addExtensionArgs(SREG_1_0_NS, { optional: 'nickname' });
    const v1Args = argsOf(v1.redirectUrl(REALM, RETURN));
    expect(v1Args['openid.sreg.optional']).toBe('nickname');
    expect(Object.keys(v1Args).some((key) => key.startsWith('openid.ns'))).toBe(false);
  });

  test('a request too long for a URL becomes an auto-submitting form (OpenID 2.0, §5.2.2); the form and page carry the same message', () => {
    const auth = request({ typeUris: [OPENID_2_0_TYPE] }).addExtensionArgs(SREG_1_1_NS, { policy_url: `https://rp.example/${'p'.repeat(2100)}` });
    const indirect = auth.indirect(REALM, RETURN);
    expect(indirect.kind).toBe('form');
    expect(auth.formMarkup(REALM, RETURN)).toContain('action="https://op.example/openid"');
    expect(auth.htmlMarkup(REALM, RETURN)).toContain('<form');
    const short = request({ typeUris: [OPENID_2_0_TYPE] }).indirect(REALM, RETURN);
    expect(short.kind).toBe('redirect');
  });

  test('the message round-trips through Message parsing', () => {
    const message = request({ typeUris: [OPENID_2_0_TYPE] }).getMessage(REALM, RETURN);
    const parsed = Message.fromPostArgs(message.toPostArgs());
    expect(parsed.getArg(OPENID_NS, 'return_to')).toBe(message.getArg(OPENID_NS, 'return_to'));
  });

  test.each([
    ['a realm that does not cover return_to', 'https://other.example/', RETURN],
    ['an invalid realm', 'not a realm', RETURN],
    ['a return_to that is not http(s)', REALM, 'javascript:alert(1)'],
    ['a return_to that is not a URL', REALM, '/relative'],
  ])('%s: OpenIDConfigError', (_name, realm, returnTo) => {
    expect(() => request({ typeUris: [OPENID_2_0_TYPE] }).redirectUrl(realm, returnTo)).toThrow(OpenIDConfigError);
  });

  test('an empty extension namespace is refused', () => {
    expect(() => request({ typeUris: [OPENID_2_0_TYPE] }).addExtensionArgs('', {})).toThrow(OpenIDConfigError);
  });
});
