import { Message, OPENID_NS } from '../../src/message.js';
import { MessageError } from '../../src/errors.js';
import { AX_1_0_NS, OPENID1_NS, OPENID2_NS, SREG_1_0_NS, SREG_1_1_NS } from '../../src/constants.js';
import { addExtensionToMessage, ExtensionError, quote, signedArgsFrom, signedExtensionArgs, type Extension } from '../../src/extensions/extension.js';
import { SRegRequest, SRegResponse } from '../../src/extensions/sreg.js';
import { AXFetchResponse } from '../../src/extensions/ax.js';
import { PapeResponse } from '../../src/extensions/pape.js';

describe('addExtensionToMessage', () => {
  test('declares the preferred alias in OpenID 2.0', () => {
    const message = new Message(OPENID2_NS);
    addExtensionToMessage(message, AX_1_0_NS, 'ax', { mode: 'fetch_request' });
    expect(message.toPostArgs()).toEqual({ 'openid.ns': OPENID2_NS, 'openid.ns.ax': AX_1_0_NS, 'openid.ax.mode': 'fetch_request' });
  });

  test('keeps an alias already declared for the namespace', () => {
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.attrs': AX_1_0_NS, 'openid.attrs.mode': 'fetch_request' });
    addExtensionToMessage(message, AX_1_0_NS, 'ax', { required: 'a' });
    expect(message.toPostArgs()).toMatchObject({ 'openid.ns.attrs': AX_1_0_NS, 'openid.attrs.required': 'a' });
    expect(Object.keys(message.toPostArgs()).some((key) => key.startsWith('openid.ax'))).toBe(false);
  });

  test.each([
    ['taken by another namespace', 'sreg'],
    ['reserved by OpenID (§12)', 'mode'],
    ['with a period', 'a.b'],
  ])('falls back to a generated alias when the preferred one is %s', (_why, alias) => {
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.sreg': 'http://example.com/other', 'openid.sreg.x': '1' });
    addExtensionToMessage(message, 'http://example.com/ext', alias, { x: '' });
    const aliasUsed = message.aliases.aliasOf('http://example.com/ext');
    expect(aliasUsed).toMatch(/^ext\d+$/);
    expect(message.toPostArgs()[`openid.${aliasUsed}.x`]).toBe('');
    expect(message.getArgs('http://example.com/ext')).toEqual({ x: '' });
  });

  test('SREG in OpenID 1.x uses the implicit sreg alias (no openid.ns.sreg)', () => {
    const message = new Message(OPENID1_NS);
    addExtensionToMessage(message, SREG_1_0_NS, 'sreg', { required: 'email' });
    expect(message.toPostArgs()).toEqual({ 'openid.sreg.required': 'email' });
  });
});

describe('signedExtensionArgs', () => {
  const message = Message.fromPostArgs({
    'openid.ns': OPENID2_NS,
    'openid.mode': 'id_res',
    'openid.ns.p': SREG_1_1_NS,
    'openid.p.email': 'signed@example.com',
    'openid.p.nickname': 'injected',
  });

  test('returns only the keys listed in openid.signed', () => {
    expect(signedExtensionArgs(message, ['mode', 'ns.p', 'p.email'], SREG_1_1_NS)).toEqual({ email: 'signed@example.com' });
  });

  test('returns nothing in 2.0 when the namespace declaration is unsigned (the alias could be re-pointed)', () => {
    expect(signedExtensionArgs(message, ['mode', 'p.email', 'p.nickname'], SREG_1_1_NS)).toEqual({});
  });

  test('returns nothing for a namespace the message does not use', () => {
    expect(signedExtensionArgs(message, ['mode', 'ns.p', 'p.email'], AX_1_0_NS)).toEqual({});
  });

  test('reads the implicit sreg alias of OpenID 1.x without a declaration', () => {
    const v1 = Message.fromPostArgs({ 'openid.mode': 'id_res', 'openid.sreg.email': 'a@example.com', 'openid.sreg.fullname': 'unsigned' });
    expect(signedExtensionArgs(v1, ['mode', 'sreg.email'], SREG_1_0_NS)).toEqual({ email: 'a@example.com' });
  });

  test('signedArgsFrom accepts a success result or a message with its signed list', () => {
    const result = { getSignedArgs: (ns: string): Record<string, string> => (ns === SREG_1_1_NS ? { email: 'r@example.com' } : {}) };
    expect(signedArgsFrom(result, SREG_1_1_NS)).toEqual({ email: 'r@example.com' });
    expect(signedArgsFrom({ message, signed: ['ns.p', 'p.nickname'] }, SREG_1_1_NS)).toEqual({ nickname: 'injected' });
  });
});

describe('helpers', () => {
  test('an extension object has the one Extension shape: { namespace, args, preferredAlias }', () => {
    const request: Extension = new SRegRequest({ required: ['email'] });
    expect({ namespace: request.namespace, args: request.args, preferredAlias: request.preferredAlias }).toEqual({ namespace: SREG_1_1_NS, args: { required: 'email' }, preferredAlias: 'sreg' });
    // args is read afresh: a later change to the request shows.
    const response = new AXFetchResponse();
    const before = response.args;
    response.addValue('http://axschema.org/contact/email', 'a@example.com');
    expect(response.args).not.toEqual(before);
    expect(response.args).toEqual(response.args);
  });

  test('ExtensionError is a 400 MessageError with the extension and the rule', () => {
    const error = new ExtensionError('ax', 'count_mismatch', 'bad count');
    expect(error).toBeInstanceOf(MessageError);
    expect(error).toMatchObject({ name: 'ExtensionError', code: 'ERR_EXTENSION', extension: 'ax', reason: 'count_mismatch', status: 400, expose: true });
  });

  test('quote escapes newlines and cuts long input, so errors never smuggle KV lines', () => {
    expect(quote('a\nis_valid:true')).toBe('"a\\nis_valid:true"');
    expect(quote('x'.repeat(100))).toHaveLength(64 + 3);
  });

  test('OPENID_NS arguments are untouched by extensions', () => {
    const message = new Message(OPENID2_NS);
    message.setArg(OPENID_NS, 'mode', 'checkid_setup');
    addExtensionToMessage(message, SREG_1_1_NS, 'sreg', { optional: 'email' });
    expect(message.getArg(OPENID_NS, 'mode')).toBe('checkid_setup');
    expect(message.getArgs(SREG_1_1_NS)).toEqual({ optional: 'email' });
  });
});

describe('fromSuccess readers accept a verified message with its signed list', () => {
  test('SREG, AX and PAPE read only the signed keys', () => {
    const message = Message.fromPostArgs({
      'openid.ns': OPENID2_NS,
      'openid.mode': 'id_res',
      'openid.ns.sreg': SREG_1_1_NS,
      'openid.sreg.email': 'signed@example.com',
      'openid.sreg.fullname': 'injected',
      'openid.ns.ax': AX_1_0_NS,
      'openid.ax.mode': 'fetch_response',
      'openid.ax.type.a': 'http://axschema.org/contact/email',
      'openid.ax.value.a': 'ax@example.com',
    });
    const signed = ['mode', 'ns.sreg', 'sreg.email', 'ns.ax', 'ax.mode', 'ax.type.a', 'ax.value.a'];
    expect(SRegResponse.fromSuccess({ message, signed })?.data).toEqual({ email: 'signed@example.com' });
    expect(AXFetchResponse.fromSuccess({ message, signed })?.get('http://axschema.org/contact/email')).toEqual(['ax@example.com']);
    expect(AXFetchResponse.fromSuccess({ message, signed: signed.filter((key) => key !== 'ns.ax') })).toBeUndefined();
    expect(PapeResponse.fromSuccess({ message, signed })).toBeUndefined();
  });
});
