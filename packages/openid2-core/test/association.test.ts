import { createHmac } from 'node:crypto';
import { Association, newHandle, isValidHandle } from '../src/association.js';
import { Message, OPENID_NS } from '../src/message.js';
import { AssociationError } from '../src/errors.js';
import { OPENID2_NS, SREG_1_1_NS } from '../src/constants.js';

const secret20 = Buffer.from('0123456789abcdefghij');
const secret32 = Buffer.from('0123456789abcdefghijklmnopqrstuv');
const NOW = 1_700_000_000;

function sha256Assoc(): Association {
  return new Association({ handle: '{HMAC-SHA256}{1}{x}', secret: secret32, issued: NOW, lifetime: 3600, assocType: 'HMAC-SHA256' });
}

function assertion(): Message {
  const message = new Message();
  message.updateArgs(OPENID_NS, {
    mode: 'id_res',
    op_endpoint: 'https://op.example/',
    claimed_id: 'https://op.example/u/zoë',
    identity: 'https://op.example/u/zoë',
    return_to: 'https://rp.example/return',
    response_nonce: '2026-01-01T00:00:00Zabc',
  });
  message.setArg(SREG_1_1_NS, 'fullname', 'Zoë 東京');
  return message;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Sets an unused bit of a 32-byte signature's base64: lenient decoders ignore it. */
function withPaddingBits(sig: string): string {
  const last = B64.indexOf(sig.charAt(sig.length - 2));
  const altered = `${sig.slice(0, -2)}${B64.charAt(last | 1)}=`;
  expect(Buffer.from(altered, 'base64').equals(Buffer.from(sig, 'base64'))).toBe(true);
  return altered;
}

describe('Association (§6, §8.3)', () => {
  test('signs key-value form in list order with HMAC-SHA1 and HMAC-SHA256 (§6.1, §6.2)', () => {
    const pairs: Array<[string, string]> = [['mode', 'id_res'], ['identity', 'http://example.com/']];
    const kv = 'mode:id_res\nidentity:http://example.com/\n';
    const sha1 = new Association({ handle: 'h', secret: secret20, issued: NOW, lifetime: 60, assocType: 'HMAC-SHA1' });
    expect(sha1.sign(pairs).equals(createHmac('sha1', secret20).update(kv).digest())).toBe(true);
    expect(sha256Assoc().sign(pairs).equals(createHmac('sha256', secret32).update(kv).digest())).toBe(true);
    expect(sha1.sign([...pairs].reverse()).equals(sha1.sign(pairs))).toBe(false);
  });

  test('signMessage signs every field by default, including extension fields and their declaration', () => {
    const message = assertion();
    sha256Assoc().signMessage(message);
    const signed = message.getArg(OPENID_NS, 'signed')?.split(',') ?? [];
    expect(signed).toEqual(expect.arrayContaining(['ns', 'op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'assoc_handle', 'ns.sreg', 'sreg.fullname', 'signed']));
    expect(message.getArg(OPENID_NS, 'assoc_handle')).toBe('{HMAC-SHA256}{1}{x}');
    expect(sha256Assoc().verifyMessage(message)).toBe(true);
  });

  test('a received message is verified over its fields as sent: a signed alias declaration no field uses, then a change', () => {
    const association = sha256Assoc();
    const fields: Array<[string, string]> = [
      ['ns', OPENID2_NS],
      ['ns.unused', 'http://example.com/ext/unused'],
      ['mode', 'id_res'],
      ['assoc_handle', association.handle],
      ['signed', 'ns.unused,mode,assoc_handle,signed'],
    ];
    const sig = association.sign(fields.slice(1)).toString('base64');
    const received = Message.fromPostArgs([...fields.map(([key, value]): [string, string] => [`openid.${key}`, value]), ['openid.sig', sig]]);
    expect(received.getSignedFieldValue('ns.unused')).toBe('http://example.com/ext/unused');
    expect(association.verifyMessage(received)).toBe(true);
    // Once changed, the message is read from its arguments again: the change is seen.
    received.setArg(OPENID_NS, 'mode', 'cancel');
    expect(received.getSignedFieldValue('mode')).toBe('cancel');
    expect(association.verifyMessage(received)).toBe(false);
    const reverted = Message.fromPostArgs([...fields.map(([key, value]): [string, string] => [`openid.${key}`, value]), ['openid.sig', sig]]);
    reverted.delArg(OPENID_NS, 'assoc_handle');
    expect(reverted.getSignedFieldValue('assoc_handle')).toBeUndefined();
    expect(association.verifyMessage(reverted)).toBe(false);
  });

  test('verification survives a round trip through a URL (UTF-8 values)', () => {
    const message = assertion();
    sha256Assoc().signMessage(message);
    const received = Message.fromPostArgs(new URL(message.toURL('https://rp.example/return')).searchParams);
    expect(sha256Assoc().verifyMessage(received)).toBe(true);
  });

  test.each([
    ['a changed signed value', (m: Message) => m.setArg(OPENID_NS, 'identity', 'https://evil.example/')],
    ['a changed extension value', (m: Message) => m.setArg(SREG_1_1_NS, 'fullname', 'Mallory')],
    ['a field dropped from the message', (m: Message) => m.delArg(OPENID_NS, 'return_to')],
    ['a truncated signature', (m: Message) => m.setArg(OPENID_NS, 'sig', (m.getArg(OPENID_NS, 'sig') as string).slice(0, 20))],
    ['a signature that is not base64', (m: Message) => m.setArg(OPENID_NS, 'sig', '!!!!')],
    ['an empty signature', (m: Message) => m.setArg(OPENID_NS, 'sig', '')],
    ['no signature', (m: Message) => m.delArg(OPENID_NS, 'sig')],
    ['no signed list', (m: Message) => m.delArg(OPENID_NS, 'signed')],
    ['a signed list naming a missing field', (m: Message) => m.setArg(OPENID_NS, 'signed', `${m.getArg(OPENID_NS, 'signed')},missing`)],
    ['a reordered signed list', (m: Message) => m.setArg(OPENID_NS, 'signed', (m.getArg(OPENID_NS, 'signed') as string).split(',').reverse().join(','))],
    ['a field removed from the signed list', (m: Message) => m.setArg(OPENID_NS, 'signed', (m.getArg(OPENID_NS, 'signed') as string).split(',').slice(1).join(','))],
    ['an empty signed list', (m: Message) => m.setArg(OPENID_NS, 'signed', '')],
    ['a signature with non-zero padding bits (decodes to the same bytes)', (m: Message) => m.setArg(OPENID_NS, 'sig', withPaddingBits(m.getArg(OPENID_NS, 'sig') as string))],
    ['a signature without its padding', (m: Message) => m.setArg(OPENID_NS, 'sig', (m.getArg(OPENID_NS, 'sig') as string).replace(/=+$/, ''))],
    ['a signature in base64url', (m: Message) => m.setArg(OPENID_NS, 'sig', Buffer.from(m.getArg(OPENID_NS, 'sig') as string, 'base64').toString('base64url'))],
    // U+0100 + c has c's code as its low byte: only whole UTF-8 bytes may be compared, never Latin-1 truncations.
    ['a signature with a non-ASCII character whose low byte is the right one', (m: Message) => {
      const sig = m.getArg(OPENID_NS, 'sig') as string;
      m.setArg(OPENID_NS, 'sig', `${String.fromCharCode(0x100 + sig.charCodeAt(0))}${sig.slice(1)}`);
    }],
    ['a signature padded out with non-ASCII to the right byte length', (m: Message) => m.setArg(OPENID_NS, 'sig', `é${(m.getArg(OPENID_NS, 'sig') as string).slice(2)}`)],
    ['a signature with whitespace', (m: Message) => m.setArg(OPENID_NS, 'sig', ` ${m.getArg(OPENID_NS, 'sig') as string}`)],
    ['an HMAC-SHA1-length signature', (m: Message) => m.setArg(OPENID_NS, 'sig', Buffer.alloc(20).toString('base64'))],
    ['a signed value with a newline', (m: Message) => m.setArg(OPENID_NS, 'return_to', 'https://rp.example/return\nis_valid:true')],
    ['a signed value with a carriage return', (m: Message) => m.setArg(OPENID_NS, 'return_to', 'https://rp.example/return\ris_valid:true')],
    ['an empty name in the signed list', (m: Message) => m.setArg(OPENID_NS, 'signed', `${m.getArg(OPENID_NS, 'signed') as string},,mode`)],
  ])('verifyMessage is false, never an exception, for %s', (_name, tamper) => {
    const message = assertion();
    sha256Assoc().signMessage(message);
    tamper(message);
    expect(sha256Assoc().verifyMessage(message)).toBe(false);
  });

  test('a signature by another key does not verify', () => {
    const message = assertion();
    sha256Assoc().signMessage(message);
    const other = new Association({ handle: '{HMAC-SHA256}{1}{x}', secret: Buffer.alloc(32, 1), issued: NOW, lifetime: 60, assocType: 'HMAC-SHA256' });
    expect(other.verifyMessage(message)).toBe(false);
  });

  test('signMessage signs the given fields in the given order, adding assoc_handle and signed (§10.1)', () => {
    const message = assertion();
    const fields = ['op_endpoint', 'return_to', 'response_nonce', 'identity', 'claimed_id', 'ns.sreg', 'sreg.fullname'];
    sha256Assoc().signMessage(message, fields);
    expect(message.getArg(OPENID_NS, 'signed')).toBe([...fields, 'assoc_handle', 'signed'].join(','));
    const pairs = [...fields, 'assoc_handle', 'signed'].map((field): [string, string] => [field, message.getSignedFieldValue(field) as string]);
    const kv = pairs.map(([k, v]) => `${k}:${v}\n`).join('');
    expect(message.getArg(OPENID_NS, 'sig')).toBe(createHmac('sha256', secret32).update(kv, 'utf8').digest('base64'));
    expect(sha256Assoc().verifyMessage(message)).toBe(true);
    // Unsigned fields may change without breaking the signature.
    message.setArg(OPENID_NS, 'mode', 'id_res');
    expect(sha256Assoc().verifyMessage(message)).toBe(true);
  });

  test.each([
    ['a missing field', ['return_to', 'missing']],
    ['a field name with a comma', ['return_to', 'a,b']],
    ['an empty field name', ['return_to', '']],
    ['a field name with a space', ['return_to', 'a b']],
  ])('signMessage refuses %s and leaves the message unchanged', (_name, fields) => {
    const message = assertion();
    const before = message.toPostArgs();
    expect(() => sha256Assoc().signMessage(message, fields)).toThrow(AssociationError);
    expect(message.toPostArgs()).toEqual(before);
  });

  test('getMessageSignature names the missing field', () => {
    const message = assertion();
    message.setArg(OPENID_NS, 'signed', 'return_to,gone');
    expect(() => sha256Assoc().getMessageSignature(message)).toThrow(/openid\.gone/);
    message.delArg(OPENID_NS, 'signed');
    expect(() => sha256Assoc().getMessageSignature(message)).toThrow(AssociationError);
  });

  test('signMessage refuses an already signed message', () => {
    const message = assertion();
    sha256Assoc().signMessage(message);
    expect(() => sha256Assoc().signMessage(message)).toThrow(AssociationError);
  });

  test('expiry', () => {
    const association = Association.fromExpiresIn(100, 'h', secret20, 'HMAC-SHA1', NOW);
    expect(association.expiresAt).toBe(NOW + 100);
    expect(association.expiresIn(NOW + 40)).toBe(60);
    expect(association.expiresIn(NOW + 400)).toBe(0);
    expect(association.isExpired(NOW + 99)).toBe(false);
    expect(association.isExpired(NOW + 100)).toBe(true);
  });

  test.each([
    ['a secret of the wrong length', { secret: secret20, assocType: 'HMAC-SHA256' }],
    ['an unknown type', { assocType: 'HMAC-MD5' }],
    ['an empty handle', { handle: '' }],
    ['a handle with a space', { handle: 'a b' }],
    ['a handle of 256 characters', { handle: 'a'.repeat(256) }],
    ['a negative lifetime', { lifetime: -1 }],
  ])('refuses %s', (_name, override) => {
    const init = { handle: 'h', secret: secret32, issued: NOW, lifetime: 60, assocType: 'HMAC-SHA256', ...override };
    expect(() => new Association(init as never)).toThrow(AssociationError);
  });

  test('serialize and deserialize round trip; corrupt records are refused', () => {
    const association = sha256Assoc();
    const back = Association.deserialize(association.serialize());
    expect(back).toEqual(association);
    expect(() => Association.deserialize('version:2\n')).toThrow(AssociationError);
    expect(() => Association.deserialize(association.serialize().replace('lifetime:3600', 'lifetime:x'))).toThrow(AssociationError);
    expect(() => Association.deserialize(association.serialize().replace('version:2', 'version:9'))).toThrow(AssociationError);
    expect(() => Association.deserialize('garbage')).toThrow(AssociationError);
  });

  test.each([
    ['a secret of the wrong length', (text: string) => text.replace(/secret:.*\n/, `secret:${Buffer.alloc(20).toString('base64')}\n`)],
    ['a secret that is not strict base64', (text: string) => text.replace(/secret:(.*)\n/, 'secret: $1\n')],
    ['an unknown type', (text: string) => text.replace('assoc_type:HMAC-SHA256', 'assoc_type:HMAC-MD5')],
    ['a negative lifetime', (text: string) => text.replace('lifetime:3600', 'lifetime:-1')],
    ['a fractional issue time', (text: string) => text.replace(/issued:(\d+)/, 'issued:$1.5')],
    ['an extra field', (text: string) => `${text}extra:1\n`],
    ['a missing field', (text: string) => text.replace(/handle:.*\n/, '')],
    ['a duplicate field', (text: string) => `${text}handle:other\n`],
    ['a handle with a space', (text: string) => text.replace(/handle:.*\n/, 'handle:a b\n')],
  ])('deserialize refuses %s', (_name, corrupt) => {
    expect(() => Association.deserialize(corrupt(sha256Assoc().serialize()))).toThrow(AssociationError);
  });

  test('new handles are unique and valid (§8.2.1)', () => {
    const handles = new Set(Array.from({ length: 200 }, () => newHandle('HMAC-SHA256', NOW)));
    expect(handles.size).toBe(200);
    for (const handle of handles) {
      expect(isValidHandle(handle)).toBe(true);
      expect(handle.startsWith(`{HMAC-SHA256}{${NOW.toString(16)}}{`)).toBe(true);
    }
  });

  test.each([
    ['the smallest handle', '!', true],
    ['every printable character', Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(''), true],
    ['255 characters', 'h'.repeat(255), true],
    ['a tab', 'a\tb', false],
    ['a DEL', 'a\x7f', false],
    ['non-ASCII', 'zoë', false],
  ])('isValidHandle: %s', (_name, handle, valid) => {
    expect(isValidHandle(handle)).toBe(valid);
  });

  test('OpenID 2.0 namespace is signed too when present', () => {
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.mode': 'id_res' });
    sha256Assoc().signMessage(message);
    expect(message.getArg(OPENID_NS, 'signed')).toBe('ns,mode,assoc_handle,signed');
  });
});
