import { Message, OPENID_NS } from '../../src/message.js';
import { SRegRequest, SRegResponse, validSRegValue, supportsSReg } from '../../src/extensions/sreg.js';
import { FetchRequest, FetchResponse, StoreRequest, StoreResponse } from '../../src/extensions/ax.js';
import { PapeRequest, PapeResponse, PAPE_POLICY_MULTI_FACTOR, PAPE_POLICY_NONE, PAPE_LEVEL_NIST } from '../../src/extensions/pape.js';
import { profileRequest, normalizeProfile, requestedProfile, answerProfile, addProfileRequest } from '../../src/extensions/profile.js';
import { MessageError } from '../../src/errors.js';
import { AX_1_0_NS, OPENID1_NS, OPENID2_NS, PAPE_1_0_NS, SREG_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';

describe('Simple Registration', () => {
  test('request encoding in 2.0 (1.1 namespace) and 1.x (implicit sreg alias)', () => {
    const request = new SRegRequest({ required: ['email'], optional: ['nickname', 'email', 'fullname'], policyUrl: 'http://rp.example/policy' });
    expect(request.required).toEqual(['email']);
    expect(request.optional).toEqual(['nickname', 'fullname']);
    const v2 = new Message(OPENID2_NS);
    request.toMessage(v2);
    expect(v2.toPostArgs()).toMatchObject({ 'openid.ns.sreg': SREG_1_1_NS, 'openid.sreg.required': 'email', 'openid.sreg.optional': 'nickname,fullname', 'openid.sreg.policy_url': 'http://rp.example/policy' });
    const v1 = new Message(OPENID1_NS);
    request.toMessage(v1);
    expect(v1.toPostArgs()).toEqual({ 'openid.sreg.required': 'email', 'openid.sreg.optional': 'nickname,fullname', 'openid.sreg.policy_url': 'http://rp.example/policy' });
  });

  test('read back whatever alias the sender chose', () => {
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.x': SREG_1_1_NS, 'openid.x.required': 'email,bogus', 'openid.x.optional': 'dob' });
    const request = SRegRequest.fromMessage(message);
    expect(request?.required).toEqual(['email']);
    expect(request?.optional).toEqual(['dob']);
    const old = SRegRequest.fromMessage(Message.fromPostArgs({ 'openid.mode': 'checkid_setup', 'openid.sreg.optional': 'nickname' }));
    expect(old?.namespace).toBe(SREG_1_0_NS);
  });

  test('strict requests refuse unknown fields', () => {
    expect(() => new SRegRequest({ required: ['password'] })).toThrow(MessageError);
  });

  test('responses carry only requested, valid fields; UTF-8 intact', () => {
    const request = new SRegRequest({ required: ['fullname'], optional: ['email'] });
    const response = SRegResponse.extractResponse(request, { fullname: 'Zoë 東京', email: 'zoe@example.com', nickname: 'unrequested' });
    expect(response.toArgs()).toEqual({ fullname: 'Zoë 東京', email: 'zoe@example.com' });
    expect(() => SRegResponse.extractResponse(new SRegRequest({ optional: ['gender'] }), { gender: 'X' })).toThrow(MessageError);
  });

  test.each([
    ['dob', '1980-00-00', true], ['dob', '1980', false], ['gender', 'F', true], ['gender', 'female', false],
    ['email', 'a@b', true], ['email', 'not an email', false], ['country', 'FR', true], ['country', 'France', false],
    ['timezone', 'Europe/Paris', true], ['nickname', 'line\nbreak', false],
  ] as const)('%s %j valid: %s', (field, value, valid) => {
    expect(validSRegValue(field, value)).toBe(valid);
  });

  test('fromSignedArgs drops invalid and unknown values', () => {
    expect(SRegResponse.fromSignedArgs({ email: 'x@example.com', gender: 'Q', password: 'x' }).data).toEqual({ email: 'x@example.com' });
    expect(supportsSReg([SREG_1_0_NS])).toBe(true);
    expect(supportsSReg([])).toBe(false);
  });
});

describe('Attribute Exchange', () => {
  test('the §5.1 fetch request example parses', () => {
    const message = Message.fromPostArgs({
      'openid.ns': OPENID2_NS,
      'openid.ns.ax': AX_1_0_NS,
      'openid.ax.mode': 'fetch_request',
      'openid.ax.type.fname': 'http://example.com/schema/fullname',
      'openid.ax.type.gender': 'http://example.com/schema/gender',
      'openid.ax.type.fav_dog': 'http://example.com/schema/favourite_dog',
      'openid.ax.type.fav_movie': 'http://example.com/schema/favourite_movie',
      'openid.ax.count.fav_movie': '3',
      'openid.ax.required': 'fname,gender',
      'openid.ax.if_available': 'fav_dog,fav_movie',
      'openid.ax.update_url': 'http://idconsumer.com/update?transaction_id=a6b5c41',
    });
    const request = FetchRequest.fromMessage(message);
    expect(request?.attributes.map((a) => [a.alias, a.required, a.count])).toEqual([
      ['fname', true, 1], ['gender', true, 1], ['fav_dog', false, 1], ['fav_movie', false, 3],
    ]);
    expect(request?.updateUrl).toBe('http://idconsumer.com/update?transaction_id=a6b5c41');
  });

  test('the §5.2 fetch response example parses, counts included', () => {
    const response = FetchResponse.fromSignedArgs({
      mode: 'fetch_response',
      'type.fname': 'http://example.com/schema/fullname',
      'type.gender': 'http://example.com/schema/gender',
      'type.fav_dog': 'http://example.com/schema/favourite_dog',
      'type.fav_movie': 'http://example.com/schema/favourite_movie',
      'value.fname': 'John Smith',
      'count.gender': '0',
      'value.fav_dog': 'Spot',
      'count.fav_movie': '2',
      'value.fav_movie.1': 'Movie1',
      'value.fav_movie.2': 'Movie2',
    });
    expect(response.get('http://example.com/schema/fullname')).toEqual(['John Smith']);
    expect(response.get('http://example.com/schema/gender')).toEqual([]);
    expect(response.get('http://example.com/schema/favourite_movie')).toEqual(['Movie1', 'Movie2']);
  });

  test('answers never carry more values than requested; round trip', () => {
    const request = new FetchRequest().add('http://axschema.org/contact/email', { alias: 'email', count: 2, required: true }).add('http://example.com/x', { alias: 'x' });
    const response = FetchResponse.answer(request, (uri) => (uri.endsWith('email') ? ['a@example.com', 'b@example.com', 'c@example.com'] : undefined));
    const args = response.toArgs(request);
    expect(args).toMatchObject({ mode: 'fetch_response', 'count.email': '2', 'value.email.1': 'a@example.com', 'value.email.2': 'b@example.com' });
    expect(FetchResponse.fromSignedArgs(args).get('http://axschema.org/contact/email')).toEqual(['a@example.com', 'b@example.com']);
  });

  test.each([
    ['a count larger than the values', { mode: 'fetch_response', 'type.a': 'http://x/', 'count.a': '2', 'value.a.1': 'v' }],
    ['an alias with a period', { mode: 'fetch_response', 'type.a.b': 'http://x/' }],
    ['a wrong mode', { mode: 'fetch_request' }],
  ])('refuses %s', (_name, args) => {
    expect(() => FetchResponse.fromSignedArgs(args as Record<string, string>)).toThrow(MessageError);
  });

  test('a listed alias without a type is an error; aliases are validated', () => {
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.ax': AX_1_0_NS, 'openid.ax.mode': 'fetch_request', 'openid.ax.required': 'missing' });
    expect(() => FetchRequest.fromMessage(message)).toThrow(MessageError);
    expect(() => new FetchRequest().add('http://x/', { alias: 'a,b' })).toThrow(MessageError);
    expect(() => new FetchResponse().set('http://x/', ['a\nb'])).toThrow(MessageError);
  });

  test('store request and responses (§6)', () => {
    const message = new Message(OPENID2_NS);
    message.updateArgs(AX_1_0_NS, new StoreRequest().set('http://example.com/schema/fullname', ['Bob Smith']).toArgs());
    expect(StoreRequest.fromMessage(message)?.values.get('http://example.com/schema/fullname')).toEqual(['Bob Smith']);
    expect(new StoreResponse(true).toArgs()).toEqual({ mode: 'store_response_success' });
    expect(StoreResponse.fromSignedArgs({ mode: 'store_response_failure', error: 'General storage failure' })).toMatchObject({ succeeded: false, error: 'General storage failure' });
  });
});

describe('PAPE', () => {
  test('request and response round trip', () => {
    const message = new Message(OPENID2_NS);
    new PapeRequest([PAPE_POLICY_MULTI_FACTOR], 3600).toMessage(message);
    const request = PapeRequest.fromMessage(message);
    expect(request?.preferredPolicies).toEqual([PAPE_POLICY_MULTI_FACTOR]);
    expect(request?.maxAuthAge).toBe(3600);
    const response = new PapeResponse([PAPE_POLICY_MULTI_FACTOR], '2026-11-25T04:00:00Z', { [PAPE_LEVEL_NIST]: '2' });
    const parsed = PapeResponse.fromSignedArgs(response.toArgs());
    expect(parsed).toMatchObject({ policies: [PAPE_POLICY_MULTI_FACTOR], authTime: '2026-11-25T04:00:00Z', levels: { [PAPE_LEVEL_NIST]: '2' } });
    expect(new PapeResponse().toArgs().auth_policies).toBe(PAPE_POLICY_NONE);
    expect(PapeResponse.fromSignedArgs({ auth_policies: PAPE_POLICY_NONE }).policies).toEqual([]);
  });

  test('validation', () => {
    expect(() => new PapeResponse([], '2026-11-25 04:00')).toThrow(MessageError);
    expect(() => new PapeRequest([], -1)).toThrow(MessageError);
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.pape': PAPE_1_0_NS, 'openid.pape.preferred_auth_policies': '', 'openid.pape.max_auth_age': 'soon' });
    expect(() => PapeRequest.fromMessage(message)).toThrow(MessageError);
  });
});

describe('profile mapping', () => {
  test('one request becomes SREG and AX; the provider sees the merged fields and answers both', () => {
    const message = new Message(OPENID2_NS);
    message.setArg(OPENID_NS, 'mode', 'checkid_setup');
    addProfileRequest(message, { required: ['email'], optional: ['nickname', 'firstName'] });
    expect(requestedProfile(message)).toEqual({ required: ['email'], optional: ['nickname', 'firstName'] });
    const answer = answerProfile(message, { email: 'zoë@example.com', nickname: 'zoe', firstName: 'Zoë', lastName: 'unrequested' });
    const sreg = answer.find((a) => a.namespace === SREG_1_1_NS)?.args ?? {};
    const ax = answer.find((a) => a.namespace === AX_1_0_NS)?.args ?? {};
    expect(sreg).toEqual({ email: 'zoë@example.com', nickname: 'zoe' });
    expect(normalizeProfile({ sreg, ax })).toEqual({ email: 'zoë@example.com', nickname: 'zoe', firstName: 'Zoë' });
  });

  test('OpenID 1.x gets SREG only; the older schema.openid.net AX URIs are understood', () => {
    const v1 = new Message(OPENID1_NS);
    addProfileRequest(v1, { required: ['email'] });
    expect(Object.keys(v1.toPostArgs())).toEqual(['openid.sreg.required']);
    expect(normalizeProfile({ ax: { mode: 'fetch_response', 'type.e': 'http://schema.openid.net/contact/email', 'value.e': 'old@example.com' } })).toEqual({ email: 'old@example.com' });
    expect(profileRequest({ required: ['email'] }).ax.attributes[0]?.typeUri).toBe('http://axschema.org/contact/email');
  });
});
