import { Message, OPENID_NS } from '../../src/message.js';
import { OpenIDConfigError } from '../../src/errors.js';
import { OPENID1_NS, OPENID2_NS, OPENID_2_0_TYPE, SREG_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';
import { ServiceEndpoint } from '../../src/discovery/endpoint.js';
import { reason } from './reason.js';
import {
  SREG_FIELDS,
  SRegRequest,
  SRegResponse,
  isSRegField,
  sregNamespaceFor,
  sregNamespaceOf,
  sregValueProblem,
  supportsSReg,
  type SRegField,
} from '../../src/extensions/sreg.js';

/** A message as the other side receives it: encoded in a URL and parsed back. */
function overTheWire(message: Message): Message {
  return Message.fromPostArgs(new URL(message.toURL('http://peer.example/endpoint')).searchParams);
}

describe('SRegRequest encoding', () => {
  const request = (): SRegRequest => new SRegRequest({ required: ['email'], optional: ['nickname', 'email', 'fullname'], policyUrl: 'http://rp.example/policy' });

  test('a field both required and optional is required; duplicates collapse', () => {
    expect(request().required).toEqual(['email']);
    expect(request().optional).toEqual(['nickname', 'fullname']);
    expect(new SRegRequest({ optional: ['dob', 'dob'], required: ['dob'] })).toMatchObject({ required: ['dob'], optional: [] });
  });

  test('OpenID 2.0: the 1.1 namespace under the sreg alias', () => {
    const message = new Message(OPENID2_NS);
    request().toMessage(message);
    expect(message.toPostArgs()).toEqual({
      'openid.ns': OPENID2_NS,
      'openid.ns.sreg': SREG_1_1_NS,
      'openid.sreg.required': 'email',
      'openid.sreg.optional': 'nickname,fullname',
      'openid.sreg.policy_url': 'http://rp.example/policy',
    });
  });

  test('OpenID 2.0 with the 1.0 namespace when asked for', () => {
    const message = new Message(OPENID2_NS);
    new SRegRequest({ optional: ['email'], namespace: SREG_1_0_NS }).toMessage(message);
    expect(message.toPostArgs()).toMatchObject({ 'openid.ns.sreg': SREG_1_0_NS, 'openid.sreg.optional': 'email' });
  });

  test('OpenID 1.x: the implicit sreg alias, no namespace declaration (SREG 1.0 §3)', () => {
    const message = new Message(OPENID1_NS);
    request().toMessage(message);
    expect(message.toPostArgs()).toEqual({ 'openid.sreg.required': 'email', 'openid.sreg.optional': 'nickname,fullname', 'openid.sreg.policy_url': 'http://rp.example/policy' });
  });

  test('an empty request has no arguments', () => {
    expect(new SRegRequest().args).toEqual({});
    expect(new SRegRequest().wereFieldsRequested()).toBe(false);
  });
});

describe('SRegRequest validation', () => {
  test('strict (the default) refuses unknown field names, naming them', () => {
    expect(() => new SRegRequest({ required: ['password'] })).toThrow(/"password" is not a Simple Registration field/);
    expect(reason(() => new SRegRequest({ optional: ['Email'] }))).toBe('unknown_field');
  });

  test('lenient ignores unknown field names', () => {
    expect(new SRegRequest({ required: ['password', 'email'], strict: false }).fields).toEqual(['email']);
  });

  test.each(['javascript:alert(1)', 'relative/policy', 'http://rp.example/a b', ''])('a policy_url %j is refused', (url) => {
    expect(reason(() => new SRegRequest({ optional: ['email'], policyUrl: url }))).toBe('invalid_value');
  });

  test('a namespace that is not SREG is a configuration error', () => {
    expect(() => new SRegRequest({ namespace: 'http://example.com/other' })).toThrow(OpenIDConfigError);
  });
});

describe('SRegRequest parsing', () => {
  test.each([
    ['2.0, 1.1 namespace, alias chosen by the sender', { 'openid.ns': OPENID2_NS, 'openid.ns.profile': SREG_1_1_NS, 'openid.profile.required': 'email', 'openid.profile.optional': 'dob,bogus' }, SREG_1_1_NS],
    ['2.0, 1.0 namespace', { 'openid.ns': OPENID2_NS, 'openid.ns.reg': SREG_1_0_NS, 'openid.reg.required': 'email', 'openid.reg.optional': 'dob' }, SREG_1_0_NS],
    ['1.x, implicit sreg alias', { 'openid.mode': 'checkid_setup', 'openid.sreg.required': 'email', 'openid.sreg.optional': 'dob' }, SREG_1_0_NS],
  ])('%s', (_name, args, namespace) => {
    const message = Message.fromPostArgs(args);
    const request = SRegRequest.fromMessage(message);
    expect(request).toMatchObject({ required: ['email'], optional: ['dob'], namespace });
    expect(sregNamespaceOf(message)).toBe(namespace);
  });

  test('no SREG arguments: undefined', () => {
    expect(SRegRequest.fromMessage(Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.mode': 'checkid_setup' }))).toBeUndefined();
  });

  test('lenient parsing drops a policy_url that is no http(s) URL; strict parsing refuses it', () => {
    const args = { required: 'email', policy_url: 'javascript:alert(1)' };
    expect(SRegRequest.fromArgs(args).policyUrl).toBeUndefined();
    expect(reason(() => SRegRequest.fromArgs(args, { strict: true }))).toBe('invalid_value');
    expect(reason(() => SRegRequest.fromArgs({ required: 'email,password' }, { strict: true }))).toBe('unknown_field');
  });

  test('spaces around names are tolerated', () => {
    expect(SRegRequest.fromArgs({ optional: ' email , nickname ' }).optional).toEqual(['email', 'nickname']);
  });

  test('round trip over the wire in both versions', () => {
    for (const ns of [OPENID2_NS, OPENID1_NS]) {
      const message = new Message(ns);
      message.setArg(OPENID_NS, 'mode', 'checkid_setup');
      new SRegRequest({ required: ['fullname'], optional: ['timezone'] }).toMessage(message);
      expect(SRegRequest.fromMessage(overTheWire(message))).toMatchObject({ required: ['fullname'], optional: ['timezone'] });
    }
  });
});

const VALUES: Array<[SRegField, string, boolean]> = [
  ['nickname', 'zoë', true],
  ['nickname', 'two\nlines', false],
  ['nickname', 'tab\there', false],
  ['nickname', '', false],
  ['nickname', 'x'.repeat(1025), false],
  ['fullname', 'Zoë 東京 😀', true],
  ['email', 'zoe@example.com', true],
  ['email', 'zoë@exämple.com', true],
  ['email', 'not an email', false],
  ['email', 'zoe@', false],
  ['email', '@example.com', false],
  ['email', 'a@b@c', false],
  ['dob', '1980-05-17', true],
  ['dob', '1980-00-00', true],
  ['dob', '0000-00-00', true],
  ['dob', '1980', false],
  ['dob', '1980-13-01', false],
  ['dob', '1980-01-32', false],
  ['dob', '80-01-01', false],
  ['gender', 'M', true],
  ['gender', 'F', true],
  ['gender', 'female', false],
  ['gender', 'f', false],
  ['postcode', 'SW1A 1AA', true],
  ['country', 'FR', true],
  ['country', 'France', false],
  ['country', 'F1', false],
  ['language', 'fr', true],
  ['language', 'en-GB', true],
  ['language', 'english language', false],
  ['timezone', 'Europe/Paris', true],
  ['timezone', 'America/Argentina/Buenos_Aires', true],
  ['timezone', 'Etc/GMT+5', true],
  ['timezone', 'Europe/Paris; rm', false],
];

describe('SREG values (§4)', () => {
  test.each(VALUES)('%s %j valid: %s', (field, value, valid) => {
    expect(sregValueProblem(field, value) === undefined).toBe(valid);
    if (valid) expect(new SRegResponse({ [field]: value }).get(field)).toBe(value);
    else expect(reason(() => new SRegResponse({ [field]: value }))).toBe('invalid_value');
  });

  test('every field of §4 is known, and nothing else', () => {
    expect(SREG_FIELDS).toHaveLength(9);
    expect(SREG_FIELDS.every(isSRegField)).toBe(true);
    expect(isSRegField('password')).toBe(false);
    expect(reason(() => new SRegResponse({ password: 'x' }))).toBe('unknown_field');
  });
});

describe('SRegResponse', () => {
  test('extractResponse keeps only requested fields, in the request namespace, skipping empty values', () => {
    const request = new SRegRequest({ required: ['fullname'], optional: ['email', 'country'], namespace: SREG_1_0_NS });
    const response = SRegResponse.extractResponse(request, { fullname: 'Zoë 東京', email: 'zoe@example.com', country: '', nickname: 'unrequested' });
    expect(response.args).toEqual({ fullname: 'Zoë 東京', email: 'zoe@example.com' });
    expect(response.namespace).toBe(SREG_1_0_NS);
  });

  test('extractResponse refuses an invalid value of a requested field', () => {
    const request = new SRegRequest({ optional: ['gender'] });
    expect(() => SRegResponse.extractResponse(request, { gender: 'X' })).toThrow(/The gender value must be M or F/);
  });

  test('toMessage: 1.1 in 2.0, implicit sreg in 1.x; UTF-8 survives URL and key-value form', () => {
    const response = new SRegResponse({ fullname: 'Zoë 東京 😀', email: 'zoë@example.com' });
    for (const ns of [OPENID2_NS, OPENID1_NS]) {
      const message = new Message(ns);
      message.setArg(OPENID_NS, 'mode', 'id_res');
      response.toMessage(message);
      const sregNs = ns === OPENID1_NS ? SREG_1_0_NS : SREG_1_1_NS;
      expect(SRegResponse.fromSignedArgs(overTheWire(message).getArgs(sregNs)).data).toEqual(response.data);
      expect(SRegResponse.fromSignedArgs(Message.fromKVForm(message.toKVForm()).getArgs(sregNs)).data).toEqual(response.data);
    }
  });

  test('fromSignedArgs (lenient) leaves out invalid values and unknown keys, and says which', () => {
    const response = SRegResponse.fromSignedArgs({ email: 'x@example.com', gender: 'Q', dob: '1980', password: 'x' });
    expect(response.data).toEqual({ email: 'x@example.com' });
    expect(response.invalid).toEqual(['dob', 'gender']);
  });

  test('fromSignedArgs (strict) refuses an invalid value', () => {
    expect(reason(() => SRegResponse.fromSignedArgs({ gender: 'Q' }, { strict: true }))).toBe('invalid_value');
  });

  test('fromSuccess reads the signed 1.1 arguments first, then 1.0; undefined when none', () => {
    const signed: Record<string, Record<string, string>> = { [SREG_1_0_NS]: { nickname: 'old' } };
    const result = { getSignedArgs: (ns: string) => signed[ns] ?? {} };
    expect(SRegResponse.fromSuccess(result)).toMatchObject({ namespace: SREG_1_0_NS, data: { nickname: 'old' } });
    signed[SREG_1_1_NS] = { nickname: 'new' };
    expect(SRegResponse.fromSuccess(result)?.data).toEqual({ nickname: 'new' });
    expect(SRegResponse.fromSuccess({ getSignedArgs: () => ({}) })).toBeUndefined();
  });
});

describe('discovery and namespace choice', () => {
  const endpoint = (typeUris: string[]): ServiceEndpoint => new ServiceEndpoint({ opEndpoint: 'http://op.example/', typeUris: [OPENID_2_0_TYPE, ...typeUris] });

  test.each([
    [[SREG_1_1_NS], true],
    [[SREG_1_0_NS], true],
    [['http://openid.net/srv/ax/1.0'], false],
    [[], false],
  ])('supportsSReg(%j) is %s, for type lists and endpoints', (types, expected) => {
    expect(supportsSReg(types)).toBe(expected);
    expect(supportsSReg(endpoint(types))).toBe(expected);
  });

  test.each([
    [{ openid1: true, typeUris: [SREG_1_1_NS] }, SREG_1_0_NS],
    [{ typeUris: [SREG_1_0_NS] }, SREG_1_0_NS],
    [{ typeUris: [SREG_1_0_NS, SREG_1_1_NS] }, SREG_1_1_NS],
    [{ typeUris: [] }, SREG_1_1_NS],
    [{}, SREG_1_1_NS],
  ])('sregNamespaceFor(%j) is %s', (options, expected) => {
    expect(sregNamespaceFor(options)).toBe(expected);
  });
});
