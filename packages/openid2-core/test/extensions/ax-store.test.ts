import { Message } from '../../src/message.js';
import { AX_1_0_NS, OPENID2_NS } from '../../src/constants.js';
import { reason } from './reason.js';
import { AXStoreRequest, AXStoreResponse } from '../../src/extensions/ax-store.js';

/** AX §6.1 example, without the `openid.ax.` prefix. */
const STORE_REQUEST_6_1 = {
  mode: 'store_request',
  'type.fname': 'http://example.com/schema/fullname',
  'value.fname': 'Bob Smith',
  'type.fav_movie': 'http://example.com/schema/favourite_movie',
  'count.fav_movie': '2',
  'value.fav_movie.1': 'Movie1',
  'value.fav_movie.2': 'Movie2',
};

describe('store request (§6.1)', () => {
  test('the example parses from a message, whatever the alias', () => {
    const args: Record<string, string> = { 'openid.ns': OPENID2_NS, 'openid.ns.store': AX_1_0_NS, 'openid.mode': 'checkid_setup' };
    for (const [key, value] of Object.entries(STORE_REQUEST_6_1)) args[`openid.store.${key}`] = value;
    const request = AXStoreRequest.fromMessage(Message.fromPostArgs(args));
    expect(request?.get('http://example.com/schema/fullname')).toEqual(['Bob Smith']);
    expect(request?.get('http://example.com/schema/favourite_movie')).toEqual(['Movie1', 'Movie2']);
  });

  test('the example encodes back exactly (aliases kept)', () => {
    expect(AXStoreRequest.fromArgs(STORE_REQUEST_6_1).args).toEqual(STORE_REQUEST_6_1);
  });

  test('a new request gets generated aliases and the ax namespace', () => {
    const message = new Message(OPENID2_NS);
    new AXStoreRequest().setValues('http://example.com/a', ['Zoë']).setValues('http://example.com/b', ['1', '2'], 'b').toMessage(message);
    expect(message.toPostArgs()).toEqual({
      'openid.ns': OPENID2_NS,
      'openid.ns.ax': AX_1_0_NS,
      'openid.ax.mode': 'store_request',
      'openid.ax.type.ext0': 'http://example.com/a',
      'openid.ax.value.ext0': 'Zoë',
      'openid.ax.type.b': 'http://example.com/b',
      'openid.ax.count.b': '2',
      'openid.ax.value.b.1': '1',
      'openid.ax.value.b.2': '2',
    });
  });

  test.each([
    ['a count of 0 (it must be greater than zero)', { mode: 'store_request', 'type.a': 'http://example.com/a', 'count.a': '0' }, 'invalid_count'],
    ['a type without values', { mode: 'store_request', 'type.a': 'http://example.com/a' }, 'invalid_count'],
    ['a count that does not match', { mode: 'store_request', 'type.a': 'http://example.com/a', 'count.a': '2', 'value.a.1': 'x' }, 'count_mismatch'],
    ['a value without a type', { mode: 'store_request', 'value.a': 'x' }, 'missing_type'],
    ['a wrong mode', { mode: 'fetch_request' }, 'wrong_mode'],
  ])('refuses %s', (_name, args, expected) => {
    expect(reason(() => AXStoreRequest.fromArgs(args as Record<string, string>))).toBe(expected);
  });

  test('setValues refuses no values, newlines, bad aliases and an alias used twice', () => {
    const request = new AXStoreRequest().setValues('http://example.com/a', ['x'], 'a');
    expect(reason(() => request.setValues('http://example.com/b', []))).toBe('invalid_count');
    expect(reason(() => request.setValues('http://example.com/b', ['x\ny']))).toBe('invalid_value');
    expect(reason(() => request.setValues('http://example.com/b', ['x'], 'b.c'))).toBe('invalid_alias');
    expect(reason(() => request.setValues('http://example.com/b', ['x'], 'a'))).toBe('duplicate_attribute');
    expect(request.get('http://example.com/b')).toBeUndefined();
  });

  test('no store request in a message: undefined', () => {
    expect(AXStoreRequest.fromMessage(Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.ax': AX_1_0_NS, 'openid.ax.mode': 'fetch_request' }))).toBeUndefined();
  });
});

describe('store response (§6.2)', () => {
  test.each([
    ['§6.2.1 success', { mode: 'store_response_success' }, true, undefined],
    ['§6.2.2 failure', { mode: 'store_response_failure', error: 'General storage failure' }, false, 'General storage failure'],
    ['failure without a reason', { mode: 'store_response_failure' }, false, undefined],
  ])('%s round trips', (_name, args, succeeded, error) => {
    const response = AXStoreResponse.fromSignedArgs(args);
    expect(response).toMatchObject({ succeeded, error });
    expect(response.args).toEqual(args);
  });

  test('refuses a wrong mode, an error on success and a newline in the error', () => {
    expect(reason(() => AXStoreResponse.fromSignedArgs({ mode: 'fetch_response' }))).toBe('wrong_mode');
    expect(reason(() => AXStoreResponse.fromSignedArgs({}))).toBe('wrong_mode');
    expect(reason(() => new AXStoreResponse(true, 'oops'))).toBe('invalid_value');
    expect(reason(() => new AXStoreResponse(false, 'line\nis_valid:true'))).toBe('invalid_value');
  });

  test('fromSuccess reads signed store responses only', () => {
    const result = (args: Record<string, string>) => ({ getSignedArgs: (ns: string) => (ns === AX_1_0_NS ? args : {}) });
    expect(AXStoreResponse.fromSuccess(result({ mode: 'store_response_success' }))?.succeeded).toBe(true);
    expect(AXStoreResponse.fromSuccess(result({ mode: 'fetch_response' }))).toBeUndefined();
    expect(AXStoreResponse.fromSuccess(result({}))).toBeUndefined();
  });

  test('toMessage uses the ax alias', () => {
    const message = new Message(OPENID2_NS);
    new AXStoreResponse(false, 'Quota exceeded').toMessage(message);
    expect(message.toPostArgs()).toMatchObject({ 'openid.ns.ax': AX_1_0_NS, 'openid.ax.mode': 'store_response_failure', 'openid.ax.error': 'Quota exceeded' });
  });
});
