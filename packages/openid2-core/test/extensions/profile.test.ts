import { Message, OPENID_NS } from '../../src/message.js';
import { OpenIDConfigError } from '../../src/errors.js';
import { AX_1_0_NS, OPENID1_NS, OPENID2_NS, SREG_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';
import { ExtensionError, signedExtensionArgs } from '../../src/extensions/extension.js';
import { AX_ATTRIBUTES, attributeOfField, attributeOfSRegField, attributeOfUri, PROFILE_FIELDS } from '../../src/extensions/ax-attributes.js';
import { AXFetchRequest } from '../../src/extensions/ax.js';
import { SRegRequest } from '../../src/extensions/sreg.js';
import { addProfileRequest, answerProfile, normalizeProfile, profileFromSuccess, profileRequest, profileValueProblem, requestedProfile } from '../../src/extensions/profile.js';

function checkid(ns: string): Message {
  const message = new Message(ns);
  message.setArg(OPENID_NS, 'mode', 'checkid_setup');
  message.setArg(OPENID_NS, 'return_to', 'http://rp.example/return');
  message.setArg(OPENID_NS, ns === OPENID2_NS ? 'realm' : 'trust_root', 'http://rp.example/');
  return message;
}

function overTheWire(message: Message): Message {
  return Message.fromPostArgs(new URL(message.toURL('http://peer.example/endpoint')).searchParams);
}

describe('the attribute table', () => {
  test.each([
    ['email', 'http://axschema.org/contact/email', 'http://schema.openid.net/contact/email', 'email'],
    ['nickname', 'http://axschema.org/namePerson/friendly', 'http://schema.openid.net/namePerson/friendly', 'nickname'],
    ['fullname', 'http://axschema.org/namePerson', 'http://schema.openid.net/namePerson', 'fullname'],
    ['firstName', 'http://axschema.org/namePerson/first', 'http://schema.openid.net/namePerson/first', undefined],
    ['lastName', 'http://axschema.org/namePerson/last', 'http://schema.openid.net/namePerson/last', undefined],
    ['dob', 'http://axschema.org/birthDate', 'http://schema.openid.net/birthDate', 'dob'],
    ['gender', 'http://axschema.org/person/gender', 'http://schema.openid.net/person/gender', 'gender'],
    ['postcode', 'http://axschema.org/contact/postalCode/home', 'http://schema.openid.net/contact/postalCode/home', 'postcode'],
    ['country', 'http://axschema.org/contact/country/home', 'http://schema.openid.net/contact/country/home', 'country'],
    ['language', 'http://axschema.org/pref/language', 'http://schema.openid.net/pref/language', 'language'],
    ['timezone', 'http://axschema.org/pref/timezone', 'http://schema.openid.net/pref/timezone', 'timezone'],
    ['image', 'http://axschema.org/media/image/default', 'http://schema.openid.net/media/image/default', undefined],
  ])('%s: %s, %s, SREG %s', (field, uri, legacyUri, sreg) => {
    expect(attributeOfField(field)).toEqual({ field, uri, legacyUri, ...(sreg === undefined ? {} : { sreg }) });
    expect(attributeOfUri(uri)?.field).toBe(field);
    expect(attributeOfUri(legacyUri)?.field).toBe(field);
    if (sreg !== undefined) expect(attributeOfSRegField(sreg)?.field).toBe(field);
  });

  test('one row per profile field, and unknown URIs are not guessed', () => {
    expect(AX_ATTRIBUTES.map((a) => a.field)).toEqual([...PROFILE_FIELDS]);
    expect(attributeOfUri('http://example.com/email')).toBeUndefined();
  });
});

describe('profileRequest (relying party)', () => {
  test('one request becomes SREG (fields it knows) and AX (every field, aliases named after fields)', () => {
    const plan = profileRequest({ required: ['email'], optional: ['nickname', 'email', 'firstName'] });
    expect(plan.sreg).toMatchObject({ required: ['email'], optional: ['nickname'], namespace: SREG_1_1_NS });
    expect(plan.ax.args).toEqual({
      mode: 'fetch_request',
      'type.email': 'http://axschema.org/contact/email',
      'type.nickname': 'http://axschema.org/namePerson/friendly',
      'type.firstName': 'http://axschema.org/namePerson/first',
      required: 'email',
      if_available: 'nickname,firstName',
    });
    expect(plan.extensions).toEqual([plan.sreg, plan.ax]);
  });

  test.each([
    ['advertises SREG 1.1 only', { typeUris: [SREG_1_1_NS] }, ['sreg'], SREG_1_1_NS],
    ['advertises SREG 1.0 only', { typeUris: [SREG_1_0_NS] }, ['sreg'], SREG_1_0_NS],
    ['advertises AX only', { typeUris: [AX_1_0_NS] }, ['ax'], SREG_1_1_NS],
    ['advertises both', { typeUris: [AX_1_0_NS, SREG_1_1_NS] }, ['sreg', 'ax'], SREG_1_1_NS],
    ['advertises neither', { typeUris: [] }, ['sreg', 'ax'], SREG_1_1_NS],
    ['is OpenID 1.x', { openid1: true, typeUris: [AX_1_0_NS] }, ['sreg'], SREG_1_0_NS],
  ])('a provider that %s gets %j', (_name, options, expected, sregNs) => {
    const plan = profileRequest({ required: ['email'] }, options);
    expect(plan.extensions.map((e) => e.preferredAlias)).toEqual(expected);
    expect(plan.sreg.namespace).toBe(sregNs);
  });

  test('AX-only fields leave SREG out entirely', () => {
    expect(profileRequest({ optional: ['firstName', 'lastName'] }).extensions.map((e) => e.preferredAlias)).toEqual(['ax']);
    expect(profileRequest({ optional: ['firstName'] }, { openid1: true }).extensions).toEqual([]);
  });

  test('unknown field names are a configuration error naming the option', () => {
    expect(() => profileRequest({ optional: ['email', 'password'] })).toThrow(OpenIDConfigError);
    expect(() => profileRequest({ required: ['Email'] })).toThrow(/profile\.required\[0\]/);
  });

  test('policyUrl goes to SREG', () => {
    expect(profileRequest({ required: ['email'] }, { policyUrl: 'https://rp.example/privacy' }).sreg.args).toEqual({ required: 'email', policy_url: 'https://rp.example/privacy' });
  });

  test('addProfileRequest: SREG and AX in 2.0, SREG only (implicit alias) in 1.x', () => {
    const v2 = checkid(OPENID2_NS);
    addProfileRequest(v2, { required: ['email'], optional: ['firstName'] });
    expect(v2.toPostArgs()).toMatchObject({ 'openid.ns.sreg': SREG_1_1_NS, 'openid.sreg.required': 'email', 'openid.ns.ax': AX_1_0_NS, 'openid.ax.required': 'email', 'openid.ax.if_available': 'firstName' });
    const v1 = checkid(OPENID1_NS);
    addProfileRequest(v1, { required: ['email'], optional: ['firstName'] });
    expect(Object.keys(v1.toPostArgs()).filter((key) => !/^openid\.(mode|return_to|trust_root)$/.test(key))).toEqual(['openid.sreg.required']);
  });
});

describe('normalizeProfile (relying party)', () => {
  const sreg = { email: 'sreg@example.com', nickname: 'zoë', gender: 'F', dob: '1980-00-00' };
  const ax = {
    mode: 'fetch_response',
    'type.a': 'http://axschema.org/contact/email',
    'value.a': 'ax@example.com',
    'type.b': 'http://schema.openid.net/namePerson/first',
    'value.b': 'Zoë',
    'type.c': 'http://axschema.org/namePerson/last',
    'count.c': '2',
    'value.c.1': 'Smith',
    'value.c.2': 'Jones',
    'type.d': 'http://example.com/unknown',
    'value.d': 'ignored',
  };

  test('positional and object forms agree; AX wins where both answer; legacy URIs understood', () => {
    const expected = { email: 'ax@example.com', nickname: 'zoë', gender: 'F', dob: '1980-00-00', firstName: 'Zoë', lastName: 'Smith' };
    expect(normalizeProfile(sreg, ax)).toEqual(expected);
    expect(normalizeProfile({ sreg, ax })).toEqual(expected);
    expect(normalizeProfile(undefined, ax)).toEqual({ email: 'ax@example.com', firstName: 'Zoë', lastName: 'Smith' });
    expect(normalizeProfile(sreg)).toEqual(sreg);
    expect(normalizeProfile()).toEqual({});
  });

  test('values in the wrong format are left out, whichever extension carried them', () => {
    const badAx = { mode: 'fetch_response', 'type.g': 'http://axschema.org/person/gender', 'value.g': 'female', 'type.i': 'http://axschema.org/media/image/default', 'value.i': 'javascript:alert(1)' };
    expect(normalizeProfile({ gender: 'female', email: 'nope', country: 'FR' }, badAx)).toEqual({ country: 'FR' });
  });

  test('a malformed AX answer is ignored, SREG still counts', () => {
    expect(normalizeProfile(sreg, { mode: 'fetch_response', 'type.a': 'http://axschema.org/contact/email', 'count.a': '3', 'value.a.1': 'x@example.com' })).toEqual(sreg);
    expect(normalizeProfile(sreg, { mode: 'store_response_success' })).toEqual(sreg);
  });

  test('profileFromSuccess reads signed arguments only: an injected value never appears', () => {
    const message = Message.fromPostArgs({
      'openid.ns': OPENID2_NS,
      'openid.mode': 'id_res',
      'openid.ns.sreg': SREG_1_1_NS,
      'openid.sreg.email': 'signed@example.com',
      'openid.sreg.nickname': 'injected',
      'openid.ns.ax': AX_1_0_NS,
      'openid.ax.mode': 'fetch_response',
      'openid.ax.type.n': 'http://axschema.org/namePerson/friendly',
      'openid.ax.value.n': 'injected-too',
    });
    const signed = ['mode', 'ns.sreg', 'sreg.email'];
    const result = { getSignedArgs: (ns: string) => signedExtensionArgs(message, signed, ns) };
    expect(profileFromSuccess(result)).toEqual({ email: 'signed@example.com' });
  });

  test('profileFromSuccess falls back to SREG 1.0 (OpenID 1.x answers)', () => {
    const result = { getSignedArgs: (ns: string): Record<string, string> => (ns === SREG_1_0_NS ? { fullname: 'Zoë 東京' } : {}) };
    expect(profileFromSuccess(result)).toEqual({ fullname: 'Zoë 東京' });
  });

  test('profileValueProblem covers the AX-only fields', () => {
    expect(profileValueProblem('image', 'https://img.example/z.png')).toBeUndefined();
    expect(profileValueProblem('image', 'data:image/png;base64,AAAA')).toMatch(/http/);
    expect(profileValueProblem('firstName', 'Zoë')).toBeUndefined();
    expect(profileValueProblem('lastName', 'a\nb')).toMatch(/control/);
  });
});

describe('requestedProfile and answerProfile (provider)', () => {
  test('SREG and AX merge: required by either is required; legacy URIs and other aliases read', () => {
    const message = Message.fromPostArgs({
      'openid.ns': OPENID2_NS,
      'openid.mode': 'checkid_setup',
      'openid.realm': 'http://rp.example/',
      'openid.ns.reg': SREG_1_0_NS,
      'openid.reg.optional': 'email,nickname',
      'openid.ns.attrs': AX_1_0_NS,
      'openid.attrs.mode': 'fetch_request',
      'openid.attrs.type.e': 'http://schema.openid.net/contact/email',
      'openid.attrs.type.f': 'http://axschema.org/namePerson/first',
      'openid.attrs.type.x': 'http://example.com/custom',
      'openid.attrs.required': 'e',
      'openid.attrs.if_available': 'f,x',
    });
    expect(requestedProfile(message)).toEqual({ required: ['email'], optional: ['nickname', 'firstName'] });
    const answer = answerProfile(message, { email: 'zoë@example.com', nickname: 'zoë', firstName: 'Zoë', lastName: 'unrequested' });
    expect(answer).toEqual([
      { namespace: SREG_1_0_NS, args: { nickname: 'zoë', email: 'zoë@example.com' } },
      {
        namespace: AX_1_0_NS,
        args: {
          mode: 'fetch_response',
          'type.e': 'http://schema.openid.net/contact/email',
          'value.e': 'zoë@example.com',
          'type.f': 'http://axschema.org/namePerson/first',
          'value.f': 'Zoë',
          'type.x': 'http://example.com/custom',
          'count.x': '0',
        },
      },
    ]);
  });

  test('only the extensions the request used are answered; 1.x gets the implicit SREG 1.0 namespace', () => {
    const v1 = Message.fromPostArgs({ 'openid.mode': 'checkid_setup', 'openid.sreg.required': 'email' });
    expect(answerProfile(v1, { email: 'a@example.com', nickname: 'n' })).toEqual([{ namespace: SREG_1_0_NS, args: { email: 'a@example.com' } }]);
    expect(answerProfile(checkid(OPENID2_NS), { email: 'a@example.com' })).toEqual([]);
  });

  test('a malformed AX request is ignored by both; an invalid released value is refused', () => {
    const message = checkid(OPENID2_NS);
    new SRegRequest({ optional: ['gender'] }).toMessage(message);
    message.updateArgs(AX_1_0_NS, { mode: 'fetch_request', 'type.a': 'http://axschema.org/contact/email', required: 'a,b' });
    expect(requestedProfile(message)).toEqual({ required: [], optional: ['gender'] });
    expect(answerProfile(message, { gender: 'F' })).toEqual([{ namespace: SREG_1_1_NS, args: { gender: 'F' } }]);
    expect(() => answerProfile(message, { gender: 'female' })).toThrow(ExtensionError);
    expect(() => answerProfile(message, { gender: 'female' })).toThrow(/gender value must be M or F/);
  });

  test('an invalid AX value is refused too (image must be http(s))', () => {
    const message = checkid(OPENID2_NS);
    new AXFetchRequest().add('http://axschema.org/media/image/default', { alias: 'img' }).toMessage(message);
    expect(() => answerProfile(message, { image: 'javascript:alert(1)' })).toThrow(/image value/);
    expect(answerProfile(message, { image: 'https://img.example/z.png' })[0]?.args['value.img']).toBe('https://img.example/z.png');
  });

  test.each([OPENID2_NS, OPENID1_NS])('a full round trip (%s): RP request, OP answer, signed args, one profile, UTF-8 intact', (ns) => {
    const request = checkid(ns);
    addProfileRequest(request, { required: ['email'], optional: ['fullname', 'firstName', 'timezone'] });
    const atOP = overTheWire(request);
    const values = { email: 'zoë@exämple.com', fullname: 'Zoë 東京 😀', firstName: 'Zoë', timezone: 'Asia/Tokyo', country: 'JP' };
    const response = new Message(ns);
    response.setArg(OPENID_NS, 'mode', 'id_res');
    for (const { namespace, args } of answerProfile(atOP, values)) response.updateArgs(namespace, args);
    const atRP = Message.fromPostArgs(new URL(response.toURL('http://rp.example/return')).searchParams);
    const signed = atRP.openIDKeys();
    const profile = profileFromSuccess({ getSignedArgs: (namespace) => signedExtensionArgs(atRP, signed, namespace) });
    const { country: _unrequested, ...requested } = values;
    expect(profile).toEqual(ns === OPENID2_NS ? requested : { email: values.email, fullname: values.fullname, timezone: values.timezone });
  });
});
