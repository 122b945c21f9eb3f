import { Message, OPENID_NS, BARE_NS } from '../src/message.js';
import { MessageError, KVFormError } from '../src/errors.js';
import { OPENID2_NS, OPENID1_NS, OPENID11_NS, SREG_1_0_NS, SREG_1_1_NS, AX_1_0_NS } from '../src/constants.js';

const EXT = 'http://example.com/ext/1.0';

describe('Message versions (§4.1.2)', () => {
  test('openid.ns of 2.0 makes an OpenID 2.0 message', () => {
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.mode': 'id_res' });
    expect(message.isOpenID2()).toBe(true);
    expect(message.getArg(OPENID_NS, 'mode')).toBe('id_res');
    expect(message.getArg(OPENID2_NS, 'mode')).toBe('id_res');
  });

  test('no openid.ns makes an OpenID 1.x message that stays without openid.ns', () => {
    const message = Message.fromPostArgs({ 'openid.mode': 'id_res' });
    expect(message.isOpenID1()).toBe(true);
    expect(message.isImplicitNamespace).toBe(true);
    expect(message.toPostArgs()).toEqual({ 'openid.mode': 'id_res' });
  });

  test.each([OPENID1_NS, OPENID11_NS])('openid.ns %s means OpenID 1.x compatibility mode', (ns) => {
    const message = Message.fromPostArgs({ 'openid.ns': ns, 'openid.mode': 'id_res' });
    expect(message.isOpenID1()).toBe(true);
    expect(message.toPostArgs()['openid.ns']).toBe(ns);
  });

  test('an unknown openid.ns is an error that names the expected value', () => {
    expect(() => Message.fromPostArgs({ 'openid.ns': 'http://example.com/openid/3' })).toThrow(/Unsupported OpenID namespace/);
  });
});

describe('extension namespaces (§12)', () => {
  test('the spec example: openid.x and openid.x.foo belong to the extension, openid.xx does not', () => {
    const message = Message.fromPostArgs({
      'openid.ns': OPENID2_NS,
      'openid.ns.x': EXT,
      'openid.x': 'example',
      'openid.x.foo': 'bar',
      'openid.xx': 'notx',
    });
    expect(message.getArg(EXT, '')).toBe('example');
    expect(message.getArg(EXT, 'foo')).toBe('bar');
    expect(message.getArg(OPENID_NS, 'xx')).toBe('notx');
    expect(message.aliases.aliasOf(EXT)).toBe('x');
  });

  test('arguments are read by URI whatever alias the sender chose', () => {
    const a = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.sreg': SREG_1_1_NS, 'openid.sreg.email': 'a@example.com' });
    const b = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.ns.q': SREG_1_1_NS, 'openid.q.email': 'a@example.com' });
    expect(a.getArg(SREG_1_1_NS, 'email')).toBe('a@example.com');
    expect(b.getArg(SREG_1_1_NS, 'email')).toBe('a@example.com');
    expect(b.getArgs(SREG_1_1_NS)).toEqual({ email: 'a@example.com' });
  });

  test('OpenID 1.x uses the fixed sreg alias without a declaration', () => {
    const message = Message.fromPostArgs({ 'openid.mode': 'id_res', 'openid.sreg.nickname': 'bob' });
    expect(message.getArg(SREG_1_0_NS, 'nickname')).toBe('bob');
    expect(message.toPostArgs()).toEqual({ 'openid.mode': 'id_res', 'openid.sreg.nickname': 'bob' });
  });

  test('an undeclared alias in OpenID 2.0 is just an OpenID field', () => {
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.sreg.email': 'x' });
    expect(message.getArg(SREG_1_0_NS, 'email')).toBeUndefined();
    expect(message.getArg(OPENID_NS, 'sreg.email')).toBe('x');
  });

  test('setting an extension argument declares a preferred alias, or extN', () => {
    const message = new Message();
    message.setArg(AX_1_0_NS, 'mode', 'fetch_request');
    message.setArg(EXT, 'a', '1');
    message.setArg('http://example.com/other', 'b', '2');
    expect(message.toPostArgs()).toEqual({
      'openid.ns': OPENID2_NS,
      'openid.ns.ax': AX_1_0_NS,
      'openid.ns.ext0': EXT,
      'openid.ns.ext1': 'http://example.com/other',
      'openid.ax.mode': 'fetch_request',
      'openid.ext0.a': '1',
      'openid.ext1.b': '2',
    });
  });

  test.each([
    ['a reserved alias', { 'openid.ns.mode': EXT }],
    ['an alias with a period', { 'openid.ns.a.b': EXT }],
    ['two aliases for one URI', { 'openid.ns.a': EXT, 'openid.ns.b': EXT }],
    ['an alias naming the OpenID namespace', { 'openid.ns.a': OPENID2_NS }],
    ['an empty alias', { 'openid.ns.': EXT }],
  ])('refuses %s', (_name, args) => {
    expect(() => Message.fromPostArgs({ 'openid.ns': OPENID2_NS, ...args })).toThrow(MessageError);
  });
});

describe('building from HTTP arguments', () => {
  test('keeps bare arguments apart', () => {
    const message = Message.fromPostArgs(new URLSearchParams('openid.mode=id_res&session=abc'));
    expect(message.getArg(BARE_NS, 'session')).toBe('abc');
    expect(message.getArg(OPENID_NS, 'session')).toBeUndefined();
    expect(message.toArgs()).toEqual({ mode: 'id_res' });
  });

  test.each([
    ['a repeated query key', new URLSearchParams('openid.mode=id_res&openid.mode=cancel')],
    ['an array from a body parser', { 'openid.identity': ['http://a.example/', 'http://b.example/'] }],
    ['a repeated bare key', new URLSearchParams('x=1&x=2&openid.mode=id_res')],
  ])('%s is a duplicate-key error, never "first wins"', (_name, args) => {
    try {
      Message.fromPostArgs(args);
      throw new Error('expected an error');
    } catch (error) {
      expect(error).toBeInstanceOf(MessageError);
      expect((error as MessageError).code).toBe('ERR_DUPLICATE_KEY');
    }
  });

  test.each([
    ['a NUL byte in a value', { 'openid.claimed_id': 'https://steamcommunity.com/openid/id/1\0https://evil.example/' }],
    ['a NUL byte in a key', { 'openid.mode\0x': 'id_res' }],
    ['a nested object from a query parser', { 'openid.mode': { a: 'b' } }],
    ['a lone surrogate', { 'openid.mode': 'id\uD800res' }],
    ['an empty openid key', { 'openid.': 'x' }],
  ])('refuses %s', (_name, args) => {
    expect(() => Message.fromPostArgs(args as Record<string, unknown>)).toThrow(MessageError);
  });

  test('requireArg names the missing field', () => {
    expect(() => Message.fromPostArgs({ 'openid.ns': OPENID2_NS }).requireArg(OPENID_NS, 'return_to')).toThrow(
      'The message has no openid.return_to argument',
    );
  });
});

describe('encodings', () => {
  const sample = (): Message => {
    const message = new Message();
    message.updateArgs(OPENID_NS, { mode: 'id_res', return_to: 'http://rp.example/return?x=1&y=a b' });
    message.setArg(SREG_1_1_NS, 'fullname', 'Zoë Ünïcode 東京');
    return message;
  };

  test('key-value form holds only openid fields, without the prefix (§5.1.2)', () => {
    const message = sample();
    message.setArg(BARE_NS, 'bare', 'x');
    expect(message.toKVForm()).toBe(
      `ns:${OPENID2_NS}\nns.sreg:${SREG_1_1_NS}\nmode:id_res\nreturn_to:http://rp.example/return?x=1&y=a b\nsreg.fullname:Zoë Ünïcode 東京\n`,
    );
  });

  test('message → KV form → message is the identity', () => {
    const message = sample();
    const back = Message.fromKVForm(message.toKVForm());
    expect(back.toPostArgs()).toEqual(message.toPostArgs());
    expect(back.getArg(SREG_1_1_NS, 'fullname')).toBe('Zoë Ünïcode 東京');
  });

  test('URL → message → URL keeps every argument (round trip)', () => {
    for (let i = 0; i < 40; i += 1) {
      const message = new Message(i % 2 === 0 ? OPENID2_NS : OPENID1_NS);
      message.setArg(OPENID_NS, 'mode', 'checkid_setup');
      message.setArg(OPENID_NS, 'return_to', `http://rp.example/r?n=${i}&v=${encodeURIComponent('é&=+ ')}`);
      message.setArg(EXT, `k${i}`, `v ${'☃'.repeat(i % 4)} &=?#`);
      const url = message.toURL('https://op.example/endpoint?existing=1');
      const parsed = new URL(url);
      expect(parsed.searchParams.get('existing')).toBe('1');
      parsed.searchParams.delete('existing');
      const back = Message.fromPostArgs(parsed.searchParams);
      expect(back.toPostArgs()).toEqual(message.toPostArgs());
      expect(back.toURL('https://op.example/endpoint?existing=1')).toBe(url);
    }
  });

  test('toURL keeps the base query as it is and drops the fragment', () => {
    const message = Message.fromPostArgs({ 'openid.mode': 'cancel', 'openid.ns': OPENID2_NS });
    expect(message.toURL('http://rp.example/r?a=%20b#frag')).toBe(
      `http://rp.example/r?a=%20b&openid.ns=${encodeURIComponent(OPENID2_NS)}&openid.mode=cancel`,
    );
  });

  test('17.7: toURL percent-encodes non-ASCII characters of the base as UTF-8 (a Location header carries ASCII only)', () => {
    const message = Message.fromPostArgs({ 'openid.mode': 'cancel' });
    const url = message.toURL('http://rp.example/rückkehr?q=東\uFFFD#frag');
    expect(url).toBe('http://rp.example/r%C3%BCckkehr?q=%E6%9D%B1%EF%BF%BD&openid.mode=cancel');
    expect(/^[\x21-\x7e]+$/.test(url)).toBe(true);
  });

  test.each([
    ['javascript:', 'javascript:alert(1)'],
    ['data:', 'data:text/html,x'],
    ['a CR/LF', 'http://rp.example/r\r\nSet-Cookie: a=b'],
    ['a relative URL', '/return'],
    ['a backslash', 'http://rp.example\\@evil.example/'],
  ])('toURL refuses a %s target', (_name, base) => {
    expect(() => new Message().toURL(base)).toThrow(MessageError);
  });

  test('form markup escapes names and values and has a submit button (§5.2.2)', () => {
    const message = new Message();
    message.setArg(OPENID_NS, 'mode', 'id_res');
    message.setArg(OPENID_NS, 'return_to', 'http://rp.example/"><script>alert(1)</script>');
    const html = message.toFormMarkup('http://rp.example/return?a=1&b=2');
    expect(html).toContain('action="http://rp.example/return?a=1&amp;b=2"');
    expect(html).toContain('value="http://rp.example/&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script>alert');
    expect(html).toMatch(/<input type="submit"/);
    expect(html).toContain('method="post"');
  });

  test('indirect messages over 2047 characters become a form in 2.0, stay redirects in 1.x (§5.2.1)', () => {
    const long = new Message();
    long.setArg(OPENID_NS, 'mode', 'id_res');
    long.setArg(EXT, 'blob', 'x'.repeat(2100));
    const encoded = long.toIndirect('http://rp.example/return');
    expect(encoded.kind).toBe('form');
    if (encoded.kind === 'form') expect(encoded.html).toContain('document.forms');
    const short = new Message();
    short.setArg(OPENID_NS, 'mode', 'id_res');
    expect(short.toIndirect('http://rp.example/return').kind).toBe('redirect');
    const old = new Message(OPENID1_NS);
    old.setArg(OPENID_NS, 'blob', 'x'.repeat(2100));
    expect(old.toIndirect('http://rp.example/return').kind).toBe('redirect');
  });

  test('getSignedFieldValue reads wire names (§6.1)', () => {
    const message = sample();
    expect(message.getSignedFieldValue('ns')).toBe(OPENID2_NS);
    expect(message.getSignedFieldValue('ns.sreg')).toBe(SREG_1_1_NS);
    expect(message.getSignedFieldValue('sreg.fullname')).toBe('Zoë Ünïcode 東京');
    expect(message.getSignedFieldValue('missing')).toBeUndefined();
    expect(message.openIDKeys()).toEqual(['ns', 'ns.sreg', 'mode', 'return_to', 'sreg.fullname']);
  });

  test('setArg refuses NUL characters and namespace declarations', () => {
    expect(() => new Message().setArg(OPENID_NS, 'mode', 'a\0b')).toThrow(MessageError);
    expect(() => new Message().setArg(OPENID_NS, 'ns.x', EXT)).toThrow(MessageError);
  });

  test('KV form parse errors surface as KVFormError', () => {
    expect(() => Message.fromKVForm('mode:error\nmode:x\n')).toThrow(KVFormError);
  });

  test('copy is independent', () => {
    const message = sample();
    const copy = message.copy();
    copy.setArg(OPENID_NS, 'mode', 'cancel');
    expect(message.getArg(OPENID_NS, 'mode')).toBe('id_res');
    expect(copy.getArg(SREG_1_1_NS, 'fullname')).toBe('Zoë Ünïcode 東京');
  });

  test('copy of a received message: same wire form, bare arguments and 1.x implicit namespace; changes stay on their side', () => {
    const received = Message.fromPostArgs(new URL(sample().toURL('https://rp.example/r?bare=1')).searchParams);
    const copy = received.copy();
    expect(copy.toPostArgs()).toEqual(received.toPostArgs());
    expect(copy.getArg(BARE_NS, 'bare')).toBe('1');
    expect(copy.getSignedFieldValue('sreg.fullname')).toBe('Zoë Ünïcode 東京');
    copy.setArg(OPENID_NS, 'mode', 'check_authentication');
    copy.setArg(SREG_1_1_NS, 'fullname', 'Mallory');
    expect(copy.getSignedFieldValue('mode')).toBe('check_authentication');
    expect(received.getSignedFieldValue('mode')).toBe('id_res');
    expect(received.getSignedFieldValue('sreg.fullname')).toBe('Zoë Ünïcode 東京');
    received.delArg(BARE_NS, 'bare');
    expect(copy.getArg(BARE_NS, 'bare')).toBe('1');
    const v1 = Message.fromPostArgs({ 'openid.mode': 'id_res', 'openid.sreg.email': 'a@example.com' });
    const v1copy = v1.copy();
    expect(v1copy.isImplicitNamespace).toBe(true);
    expect(v1copy.toPostArgs()).toEqual(v1.toPostArgs());
    expect(v1copy.getArg(SREG_1_0_NS, 'email')).toBe('a@example.com');
  });
});
