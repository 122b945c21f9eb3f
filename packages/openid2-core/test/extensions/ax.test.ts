import { Message, OPENID_NS } from '../../src/message.js';
import { AX_1_0_NS, OPENID2_NS } from '../../src/constants.js';
import { reason } from './reason.js';
import { AXFetchRequest, AXFetchResponse, axAliasProblem } from '../../src/extensions/ax.js';

/** AX §5.1 example, without the `openid.ax.` prefix. */
const FETCH_REQUEST_5_1 = {
  mode: 'fetch_request',
  'type.fname': 'http://example.com/schema/fullname',
  'type.gender': 'http://example.com/schema/gender',
  'type.fav_dog': 'http://example.com/schema/favourite_dog',
  'type.fav_movie': 'http://example.com/schema/favourite_movie',
  'count.fav_movie': '3',
  required: 'fname,gender',
  if_available: 'fav_dog,fav_movie',
  update_url: 'http://idconsumer.com/update?transaction_id=a6b5c41',
};

/** AX §5.2 example. */
const FETCH_RESPONSE_5_2 = {
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
  update_url: 'http://idconsumer.com/update?transaction_id=a6b5c41',
};

function withPrefix(alias: string, args: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { 'openid.ns': OPENID2_NS, [`openid.ns.${alias}`]: AX_1_0_NS, ...extra };
  for (const [key, value] of Object.entries(args)) out[`openid.${alias}.${key}`] = value;
  return out;
}

const REALM = { 'openid.mode': 'checkid_setup', 'openid.realm': 'http://idconsumer.com/', 'openid.return_to': 'http://idconsumer.com/return' };

describe('spec examples', () => {
  test('§5.1: the fetch request parses, whatever alias the sender chose', () => {
    for (const alias of ['ax', 'attributes', 'x1']) {
      const request = AXFetchRequest.fromMessage(Message.fromPostArgs(withPrefix(alias, FETCH_REQUEST_5_1, REALM)));
      expect(request?.attributes.map((a) => [a.alias, a.typeUri, a.count, a.required])).toEqual([
        ['fname', 'http://example.com/schema/fullname', 1, true],
        ['gender', 'http://example.com/schema/gender', 1, true],
        ['fav_dog', 'http://example.com/schema/favourite_dog', 1, false],
        ['fav_movie', 'http://example.com/schema/favourite_movie', 3, false],
      ]);
      expect(request?.updateUrl).toBe('http://idconsumer.com/update?transaction_id=a6b5c41');
    }
  });

  test('§5.1: it encodes back to exactly the example', () => {
    expect(AXFetchRequest.fromArgs(FETCH_REQUEST_5_1).args).toEqual(FETCH_REQUEST_5_1);
  });

  test('§5.2: the fetch response parses (value, count 0, numbered values)', () => {
    const response = AXFetchResponse.fromSignedArgs(FETCH_RESPONSE_5_2);
    expect(response.get('http://example.com/schema/fullname')).toEqual(['John Smith']);
    expect(response.get('http://example.com/schema/gender')).toEqual([]);
    expect(response.get('http://example.com/schema/favourite_dog')).toEqual(['Spot']);
    expect(response.get('http://example.com/schema/favourite_movie')).toEqual(['Movie1', 'Movie2']);
    expect(response.get('http://example.com/schema/unsent')).toBeUndefined();
    expect(response.aliasOf('http://example.com/schema/favourite_movie')).toBe('fav_movie');
    expect(response.updateUrl).toBe('http://idconsumer.com/update?transaction_id=a6b5c41');
  });

  test('§5.2: answering the §5.1 request with the same data gives exactly the example', () => {
    const request = AXFetchRequest.fromArgs(FETCH_REQUEST_5_1);
    const response = AXFetchResponse.fromRequest(request, {
      'http://example.com/schema/fullname': 'John Smith',
      'http://example.com/schema/favourite_dog': ['Spot'],
      'http://example.com/schema/favourite_movie': ['Movie1', 'Movie2'],
    });
    expect(response.args).toEqual(FETCH_RESPONSE_5_2);
  });
});

describe('AXFetchRequest building', () => {
  test('generated aliases, counts and lists', () => {
    const request = new AXFetchRequest({ updateUrl: 'https://rp.example/update' })
      .add('http://axschema.org/contact/email', { required: true })
      .add('http://axschema.org/namePerson/first')
      .add('http://example.com/tags', { alias: 'tags', count: 'unlimited' })
      .add('http://example.com/movies', { count: 3 });
    expect(request.args).toEqual({
      mode: 'fetch_request',
      'type.ext0': 'http://axschema.org/contact/email',
      'type.ext1': 'http://axschema.org/namePerson/first',
      'type.tags': 'http://example.com/tags',
      'count.tags': 'unlimited',
      'type.ext2': 'http://example.com/movies',
      'count.ext2': '3',
      required: 'ext0',
      if_available: 'ext1,tags,ext2',
      update_url: 'https://rp.example/update',
    });
    expect(request.requiredTypes).toEqual(['http://axschema.org/contact/email']);
    expect(request.has('http://example.com/tags')).toBe(true);
  });

  test('toMessage declares the ax alias', () => {
    const message = new Message(OPENID2_NS);
    new AXFetchRequest().add('http://axschema.org/contact/email', { alias: 'email' }).toMessage(message);
    expect(message.toPostArgs()).toMatchObject({ 'openid.ns.ax': AX_1_0_NS, 'openid.ax.type.email': 'http://axschema.org/contact/email', 'openid.ax.if_available': 'email' });
  });

  test.each([
    ['a comma', { alias: 'a,b' }, 'invalid_alias'],
    ['a period', { alias: 'a.b' }, 'invalid_alias'],
    ['a colon', { alias: 'a:b' }, 'invalid_alias'],
    ['a newline', { alias: 'a\nb' }, 'invalid_alias'],
    ['an empty alias', { alias: '' }, 'invalid_alias'],
    ['a count of 0', { count: 0 }, 'invalid_count'],
    ['a fractional count', { count: 1.5 }, 'invalid_count'],
    ['a negative count', { count: -2 }, 'invalid_count'],
  ])('add refuses %s', (_name, options, expected) => {
    expect(reason(() => new AXFetchRequest().add('http://example.com/x', options as { alias?: string; count?: number }))).toBe(expected);
  });

  test('add refuses a type URI or an alias twice, and a non-URI type', () => {
    const request = new AXFetchRequest().add('http://example.com/x', { alias: 'x' });
    expect(reason(() => request.add('http://example.com/x', { alias: 'y' }))).toBe('duplicate_attribute');
    expect(reason(() => request.add('http://example.com/y', { alias: 'x' }))).toBe('duplicate_attribute');
    expect(reason(() => request.add('not a uri'))).toBe('invalid_type_uri');
    expect(reason(() => new AXFetchRequest({ updateUrl: 'javascript:alert(1)' }))).toBe('invalid_value');
  });

  test('axAliasProblem accepts 32+ character aliases and underscores, and says why an alias is refused', () => {
    expect(axAliasProblem('a'.repeat(32))).toBeUndefined();
    expect(axAliasProblem('fav_movie-2')).toBeUndefined();
    expect(axAliasProblem('a'.repeat(129))).toBe('is longer than 128 characters');
    expect(axAliasProblem('a.b')).toMatch(/period/);
    expect(axAliasProblem('')).toBe('is empty');
  });
});

describe('AXFetchRequest parsing errors (§5.1)', () => {
  const base = { mode: 'fetch_request', 'type.a': 'http://example.com/a', required: 'a' };
  test.each([
    ['a wrong mode', { ...base, mode: 'fetch_response' }, 'wrong_mode'],
    ['no mode', { 'type.a': 'http://example.com/a', required: 'a' }, 'wrong_mode'],
    ['neither required nor if_available', { mode: 'fetch_request', 'type.a': 'http://example.com/a' }, 'no_attributes'],
    ['a listed alias without a type', { ...base, if_available: 'b' }, 'missing_type'],
    ['a type that is not listed', { ...base, 'type.b': 'http://example.com/b' }, 'unlisted_attribute'],
    ['a count for an unlisted alias', { ...base, 'count.b': '2' }, 'unlisted_attribute'],
    ['a count of 0', { ...base, 'count.a': '0' }, 'invalid_count'],
    ['a count that is no number', { ...base, 'count.a': 'many' }, 'invalid_count'],
    ['a negative count', { ...base, 'count.a': '-1' }, 'invalid_count'],
    ['an alias with a period', { mode: 'fetch_request', 'type.a.b': 'http://example.com/a', required: 'a.b' }, 'invalid_alias'],
    ['an alias with a colon', { mode: 'fetch_request', 'type.a:b': 'http://example.com/a', required: 'a:b' }, 'invalid_alias'],
    ['an empty alias in a list', { ...base, required: 'a,,' }, 'invalid_alias'],
    ['one type under two aliases', { ...base, 'type.b': 'http://example.com/a', if_available: 'b' }, 'duplicate_attribute'],
    ['a type that is no URI', { ...base, 'type.a': 'email' }, 'invalid_type_uri'],
    ['an update_url that is no http(s) URL', { ...base, update_url: 'javascript:alert(1)' }, 'invalid_value'],
  ])('%s', (_name, args, expected) => {
    expect(reason(() => AXFetchRequest.fromArgs(args as Record<string, string>))).toBe(expected);
  });

  test('an alias listed as required and if_available is required', () => {
    expect(AXFetchRequest.fromArgs({ ...base, if_available: 'a' }).attributes).toEqual([{ typeUri: 'http://example.com/a', alias: 'a', count: 1, required: true }]);
  });

  test('update_url must lie within the realm (§5.1)', () => {
    const args = withPrefix('ax', { ...base, update_url: 'http://evil.example/update' }, REALM);
    expect(reason(() => AXFetchRequest.fromMessage(Message.fromPostArgs(args)))).toBe('update_url_mismatch');
    const noRealm = withPrefix('ax', { ...base, update_url: 'http://idconsumer.com/update' }, { 'openid.mode': 'checkid_setup' });
    expect(reason(() => AXFetchRequest.fromMessage(Message.fromPostArgs(noRealm)))).toBe('update_url_mismatch');
  });

  test('no AX arguments, or a store request: undefined', () => {
    expect(AXFetchRequest.fromMessage(Message.fromPostArgs(REALM))).toBeUndefined();
    expect(AXFetchRequest.fromMessage(Message.fromPostArgs(withPrefix('ax', { mode: 'store_request' }, REALM)))).toBeUndefined();
  });
});

describe('AXFetchResponse building', () => {
  const request = new AXFetchRequest()
    .add('http://axschema.org/contact/email', { alias: 'email', count: 2, required: true })
    .add('http://axschema.org/namePerson/first', { alias: 'first' })
    .add('http://example.com/tags', { alias: 'tags', count: 'unlimited' });

  test('fromRequest never sends more values than requested, nor unrequested attributes', () => {
    const response = AXFetchResponse.fromRequest(request, {
      'http://axschema.org/contact/email': ['a@example.com', 'b@example.com', 'c@example.com'],
      'http://example.com/tags': ['t1', 't2', 't3'],
      'http://example.com/unrequested': ['x'],
    });
    expect(response.args).toEqual({
      mode: 'fetch_response',
      'type.email': 'http://axschema.org/contact/email',
      'count.email': '2',
      'value.email.1': 'a@example.com',
      'value.email.2': 'b@example.com',
      'type.first': 'http://axschema.org/namePerson/first',
      'count.first': '0',
      'type.tags': 'http://example.com/tags',
      'count.tags': '3',
      'value.tags.1': 't1',
      'value.tags.2': 't2',
      'value.tags.3': 't3',
    });
  });

  test('setValues refuses unrequested attributes, too many values and newlines', () => {
    const response = new AXFetchResponse({ request });
    expect(reason(() => response.setValues('http://example.com/other', ['x']))).toBe('not_requested');
    expect(reason(() => response.setValues('http://axschema.org/namePerson/first', ['a', 'b']))).toBe('too_many_values');
    expect(reason(() => response.addValue('http://axschema.org/contact/email', 'a\nb'))).toBe('invalid_value');
    response.addValue('http://axschema.org/contact/email', 'a@example.com').addValue('http://axschema.org/contact/email', 'b@example.com');
    expect(reason(() => response.addValue('http://axschema.org/contact/email', 'c@example.com'))).toBe('too_many_values');
  });

  test('without a request: generated aliases, single values plain, update_url kept', () => {
    const response = new AXFetchResponse({ updateUrl: 'http://rp.example/u' }).setValues('http://example.com/a', ['1']).setValues('http://example.com/b', ['1', '2']);
    expect(response.args).toEqual({
      mode: 'fetch_response',
      'type.ext0': 'http://example.com/a',
      'value.ext0': '1',
      'type.ext1': 'http://example.com/b',
      'count.ext1': '2',
      'value.ext1.1': '1',
      'value.ext1.2': '2',
      update_url: 'http://rp.example/u',
    });
  });

  test('getSingle: one value, none, or an error for several', () => {
    const response = AXFetchResponse.fromSignedArgs(FETCH_RESPONSE_5_2);
    expect(response.getSingle('http://example.com/schema/fullname')).toBe('John Smith');
    expect(response.getSingle('http://example.com/schema/gender')).toBeUndefined();
    expect(reason(() => response.getSingle('http://example.com/schema/favourite_movie'))).toBe('too_many_values');
  });

  test('UTF-8 values survive the URL and key-value encodings', () => {
    const values = ['Zoë 東京 😀', 'ünïcödé'];
    const message = new Message(OPENID2_NS);
    message.setArg(OPENID_NS, 'mode', 'id_res');
    new AXFetchResponse().setValues('http://example.com/name', values).toMessage(message);
    const viaUrl = Message.fromPostArgs(new URL(message.toURL('http://rp.example/r')).searchParams);
    expect(AXFetchResponse.fromSignedArgs(viaUrl.getArgs(AX_1_0_NS)).get('http://example.com/name')).toEqual(values);
    const viaKV = Message.fromKVForm(message.toKVForm());
    expect(AXFetchResponse.fromSignedArgs(viaKV.getArgs(AX_1_0_NS)).get('http://example.com/name')).toEqual(values);
  });
});

describe('AXFetchResponse parsing errors (§5.2)', () => {
  const base = { mode: 'fetch_response', 'type.a': 'http://example.com/a' };
  test.each([
    ['a count larger than the values', { ...base, 'count.a': '2', 'value.a.1': 'v' }, 'count_mismatch'],
    ['a count smaller than the values', { ...base, 'count.a': '1', 'value.a.1': 'v', 'value.a.2': 'w' }, 'count_mismatch'],
    ['a count of 0 with a value', { ...base, 'count.a': '0', 'value.a.1': 'v' }, 'count_mismatch'],
    ['numbered values without a count', { ...base, 'value.a.1': 'v' }, 'count_mismatch'],
    ['a plain value with a count', { ...base, 'count.a': '1', 'value.a': 'v' }, 'count_mismatch'],
    ['a value numbered from 0', { ...base, 'count.a': '1', 'value.a.0': 'v' }, 'count_mismatch'],
    ['a value numbered 01', { ...base, 'count.a': '1', 'value.a.01': 'v' }, 'count_mismatch'],
    ['an unlimited count', { ...base, 'count.a': 'unlimited' }, 'invalid_count'],
    ['a negative count', { ...base, 'count.a': '-1' }, 'invalid_count'],
    ['a huge count', { ...base, 'count.a': '99999999999' }, 'invalid_count'],
    ['a value without a type', { ...base, 'value.b': 'v' }, 'missing_type'],
    ['a count without a type', { ...base, 'count.b': '0' }, 'missing_type'],
    ['an alias with a colon', { mode: 'fetch_response', 'type.a:b': 'http://example.com/a' }, 'invalid_alias'],
    ['one type under two aliases', { ...base, 'type.b': 'http://example.com/a' }, 'duplicate_attribute'],
    ['a type that is no URI', { mode: 'fetch_response', 'type.a': 'a b' }, 'invalid_type_uri'],
    ['a value with a newline', { ...base, 'value.a': 'one\ntwo' }, 'invalid_value'],
    ['a fetch_request mode', { ...base, mode: 'fetch_request' }, 'wrong_mode'],
    ['no mode', { 'type.a': 'http://example.com/a' }, 'wrong_mode'],
  ])('%s', (_name, args, expected) => {
    expect(reason(() => AXFetchResponse.fromSignedArgs(args as Record<string, string>))).toBe(expected);
  });

  test('with the request: unrequested attributes and extra values are refused', () => {
    const request = new AXFetchRequest().add('http://example.com/a', { alias: 'a' });
    expect(reason(() => AXFetchResponse.fromSignedArgs({ ...base, 'count.a': '2', 'value.a.1': 'x', 'value.a.2': 'y' }, { request }))).toBe('too_many_values');
    expect(reason(() => AXFetchResponse.fromSignedArgs({ mode: 'fetch_response', 'type.b': 'http://example.com/b', 'value.b': 'x' }, { request }))).toBe('not_requested');
  });

  test('an empty plain value counts as no value, as python-openid reads it', () => {
    expect(AXFetchResponse.fromSignedArgs({ ...base, 'value.a': '' }).get('http://example.com/a')).toEqual([]);
  });

  test('fromSuccess: undefined without signed AX arguments or for a store response', () => {
    const result = (args: Record<string, string>) => ({ getSignedArgs: (ns: string) => (ns === AX_1_0_NS ? args : {}) });
    expect(AXFetchResponse.fromSuccess(result({}))).toBeUndefined();
    expect(AXFetchResponse.fromSuccess(result({ mode: 'store_response_success' }))).toBeUndefined();
    expect(AXFetchResponse.fromSuccess(result(FETCH_RESPONSE_5_2))?.get('http://example.com/schema/favourite_dog')).toEqual(['Spot']);
    expect(reason(() => AXFetchResponse.fromSuccess(result({ mode: 'fetch_request' })))).toBe('wrong_mode');
  });
});
