/** Server construction and request decoding: options checked eagerly, every malformed request a typed, encodable error. */
import { Server } from '../../src/server/server.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { OpenIDConfigError } from '../../src/errors.js';
import { OPENID2_NS } from '../../src/constants.js';
import { checkid, decodeError, ENDPOINT, kv, newServer } from './fixtures.js';

describe('options are checked by the constructor', () => {
  const store = new MemoryStore();
  test.each([
    ['no options', undefined, /options are required/],
    ['no store', { opEndpoint: ENDPOINT }, /^store:/],
    ['a store without useNonce', { opEndpoint: ENDPOINT, store: {} }, /^store:/],
    ['no endpoint', { store }, /^opEndpoint:/],
    ['a relative endpoint', { store, opEndpoint: '/openid' }, /^opEndpoint:/],
    ['an ftp endpoint', { store, opEndpoint: 'ftp://op.example/' }, /^opEndpoint:/],
    ['a zero association lifetime', { store, opEndpoint: ENDPOINT, associationLifetime: 0 }, /^associationLifetime:/],
    ['a fractional association lifetime', { store, opEndpoint: ENDPOINT, associationLifetime: 1.5 }, /^associationLifetime:/],
    ['a negative private lifetime', { store, opEndpoint: ENDPOINT, privateAssociationLifetime: -1 }, /^privateAssociationLifetime:/],
    ['no association types', { store, opEndpoint: ENDPOINT, assocTypes: [] }, /^assocTypes:/],
    ['an unknown association type', { store, opEndpoint: ENDPOINT, assocTypes: ['HMAC-MD5'] }, /^assocTypes:/],
    ['a preferred type not accepted', { store, opEndpoint: ENDPOINT, assocTypes: ['HMAC-SHA256'], preferred: { assocType: 'HMAC-SHA1', sessionType: 'DH-SHA1' } }, /^preferred:/],
    ['a preferred pair that does not fit (§8.4.2)', { store, opEndpoint: ENDPOINT, preferred: { assocType: 'HMAC-SHA256', sessionType: 'DH-SHA1' } }, /^preferred:/],
    ['a clock that is not a function', { store, opEndpoint: ENDPOINT, now: 5 }, /^now:/],
  ])('%s', (_name, options, message) => {
    expect(() => new Server(options as never)).toThrow(OpenIDConfigError);
    expect(() => new Server(options as never)).toThrow(message);
  });

  test('the endpoint is normalized as relying parties discover it', () => {
    expect(new Server({ store, opEndpoint: 'HTTPS://OP.Example:443/openid' }).opEndpoint).toBe(ENDPOINT);
  });
});

describe('malformed requests (§5.1.2.2, §5.2.3)', () => {
  test.each([
    ['associate with a duplicate mode (body parser array)', { 'openid.ns': OPENID2_NS, 'openid.mode': ['associate', 'associate'] }, OPENID2_NS],
    ['check_authentication with a NUL byte', { 'openid.ns': OPENID2_NS, 'openid.mode': 'check_authentication', 'openid.sig': 'a\0b' }, OPENID2_NS],
    ['associate with an unknown openid.ns', { 'openid.ns': 'http://evil.example/ns', 'openid.mode': 'associate' }, OPENID2_NS],
    ['a 1.x associate with a duplicate key', new URLSearchParams('openid.mode=associate&openid.assoc_type=HMAC-SHA1&openid.assoc_type=HMAC-SHA1'), undefined],
  ])('%s: a KV form error, status 400', (_name, args, ns) => {
    const server = newServer();
    const { status, fields } = kv(server.encodeError(decodeError(server, args)));
    expect(status).toBe(400);
    expect(fields.mode).toBe('error');
    expect(fields.error).toMatch(/^Malformed OpenID request: /);
    expect(fields.ns).toBe(ns);
  });

  test.each([
    ['a checkid with a duplicate identity', new URLSearchParams(`${new URLSearchParams(checkid())}&openid.identity=x`)],
    ['modes that disagree', { 'openid.mode': ['associate', 'checkid_setup'] }],
    ['a checkid with a NUL byte in return_to', checkid({ 'openid.return_to': 'https://rp.example/\0' })],
  ])('%s: an HTML error page, status 400, no redirect', (_name, args) => {
    const server = newServer();
    const encoded = server.encodeError(decodeError(server, args));
    expect(encoded.status).toBe(400);
    expect(encoded.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(encoded.headers.location).toBeUndefined();
    expect(encoded.body).toContain('Malformed OpenID request');
  });

  test('an unknown mode without return_to: a KV error', () => {
    const server = newServer();
    const { status, fields } = kv(server.encodeError(decodeError(server, { 'openid.ns': OPENID2_NS, 'openid.mode': 'checkid_whatever' })));
    expect(status).toBe(400);
    expect(fields.error).toBe('Unknown openid.mode "checkid_whatever"');
  });

  test('an unknown mode with a return_to: an error page, since that return_to was never verified', () => {
    const server = newServer();
    const encoded = server.encodeError(decodeError(server, checkid({ 'openid.mode': 'checkid_bogus' })));
    expect(encoded.status).toBe(400);
    expect(encoded.headers.location).toBeUndefined();
    expect(encoded.body).toContain('Unknown openid.mode');
  });

  test('error text echoing input is one bounded line', () => {
    const server = newServer();
    const { fields } = kv(server.encodeError(decodeError(server, { 'openid.ns': OPENID2_NS, 'openid.mode': `x\r\nis_valid:true\n${'y'.repeat(5000)}` })));
    expect(Object.keys(fields).sort()).toEqual(['error', 'mode', 'ns']);
    expect(fields.error?.length).toBeLessThanOrEqual(401);
  });
});
