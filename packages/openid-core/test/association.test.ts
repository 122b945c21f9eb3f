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

  test('new handles are unique and valid', () => {
    const a = newHandle('HMAC-SHA256');
    expect(isValidHandle(a)).toBe(true);
    expect(a).not.toBe(newHandle('HMAC-SHA256'));
  });

  test('OpenID 2.0 namespace is signed too when present', () => {
    const message = Message.fromPostArgs({ 'openid.ns': OPENID2_NS, 'openid.mode': 'id_res' });
    sha256Assoc().signMessage(message);
    expect(message.getArg(OPENID_NS, 'signed')).toBe('ns,mode,assoc_handle,signed');
  });
});
