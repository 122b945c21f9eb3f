import * as core from '../src/index.js';
import {
  AnswerError, AssociationError, CsrfError, DiffieHellmanError, DiscoveryError, FetchError, IntegerError, InteractionInvalid, InteractionNotFound, KVFormError,
  MessageError, NonceError, OPENID_ERROR_CODES, OpenIDConfigError, OpenIDError, ProtocolError, RealmError, StoreError, UrlError,
} from '../src/errors.js';
import { checkNonceArgs } from '../src/store/store.js';
import { ExtensionError } from '../src/extensions/extension.js';
import { FileStore } from '../src/store/file-store.js';

describe('errors', () => {
  test('carry a code, a name and the cause', () => {
    const cause = new Error('inner');
    const error = new KVFormError('bad line', { line: 3, cause });
    expect(error).toBeInstanceOf(OpenIDError);
    expect(error.code).toBe('ERR_KV_FORM');
    expect(error.name).toBe('KVFormError');
    expect(error.line).toBe(3);
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(400);
  });

  test('ProtocolError keeps what the encoder needs', () => {
    const error = new ProtocolError('unsupported', { errorCode: 'unsupported-type', direct: true, extra: { assoc_type: 'HMAC-SHA1' } });
    expect(error.direct).toBe(true);
    expect(error.errorCode).toBe('unsupported-type');
    expect(error.extra).toEqual({ assoc_type: 'HMAC-SHA1' });
  });

  test('FetchError names the URL and reason; config errors name the option', () => {
    const error = new FetchError('timed out', 'https://example.com/', 'timeout');
    expect(error.url).toBe('https://example.com/');
    expect(error.reason).toBe('timeout');
    expect(error.expose).toBe(false);
    const config = new OpenIDConfigError('must be a URL', 'realm');
    expect(config.message).toBe('realm: must be a URL');
    expect(config.code).toBe('ERR_CONFIG');
  });
});

/** One instance of every error class core exports, with the code it must carry. */
const EVERY_ERROR: Array<[OpenIDError, string]> = [
  [new KVFormError('x'), 'ERR_KV_FORM'],
  [new MessageError('x'), 'ERR_MESSAGE'],
  [new MessageError('x', { code: 'ERR_DUPLICATE_KEY' }), 'ERR_DUPLICATE_KEY'],
  [new ExtensionError('sreg', 'invalid_value', 'x'), 'ERR_EXTENSION'],
  [new IntegerError('x'), 'ERR_INTEGER'],
  [new UrlError('x', 'y'), 'ERR_URL'],
  [new RealmError('x', 'y'), 'ERR_REALM'],
  [new NonceError('x'), 'ERR_NONCE'],
  [new AssociationError('x'), 'ERR_ASSOCIATION'],
  [new DiffieHellmanError('x'), 'ERR_DIFFIE_HELLMAN'],
  [new FetchError('x', 'https://op.example/', 'timeout'), 'ERR_FETCH'],
  [new DiscoveryError('x', 'y'), 'ERR_DISCOVERY'],
  [new StoreError('x'), 'ERR_STORE'],
  [new ProtocolError('x'), 'ERR_PROTOCOL'],
  [new AnswerError('x', 'identity'), 'ERR_ANSWER'],
  [new InteractionNotFound(), 'ERR_INTERACTION_NOT_FOUND'],
  [new InteractionInvalid(), 'ERR_INTERACTION_INVALID'],
  [new CsrfError(), 'ERR_CSRF'],
  [new OpenIDConfigError('x', 'option'), 'ERR_CONFIG'],
];

describe('18.6: one hierarchy, a code for each', () => {
  test('18.6: every error class core exports is an OpenIDError, and each has its own code from OPENID_ERROR_CODES', () => {
    const exported = Object.values(core).filter((value) => typeof value === 'function' && value.prototype instanceof Error);
    // MessageError is listed twice (ERR_MESSAGE, ERR_DUPLICATE_KEY); OpenIDError itself is the base.
    expect(new Set(exported)).toEqual(new Set([OpenIDError, ...EVERY_ERROR.map(([error]) => error.constructor)]));
    for (const [error, code] of EVERY_ERROR) {
      expect(error).toBeInstanceOf(OpenIDError);
      expect(error.code).toBe(code);
      expect(error.name).toBe(error.constructor.name);
    }
    const codes = EVERY_ERROR.map(([, code]) => code);
    expect(new Set(codes).size).toBe(codes.length);
    // The union lists every code thrown here, plus ERR_BAD_REQUEST of openid-consumer-express.
    expect([...OPENID_ERROR_CODES].sort()).toEqual([...codes, 'ERR_BAD_REQUEST'].sort());
  });

  test('18.6: OpenIDConfigError is an OpenIDError carrying ERR_CONFIG (no longer a TypeError), a 500 whose message is not shown', () => {
    const cause = new Error('inner');
    const error = new OpenIDConfigError('must be a URL', 'realm', { cause });
    expect(error).toBeInstanceOf(OpenIDError);
    expect(error).not.toBeInstanceOf(TypeError);
    expect([error.code, error.option, error.name, error.status, error.expose, error.cause]).toEqual(['ERR_CONFIG', 'realm', 'OpenIDConfigError', 500, false, cause]);
  });

  test('18.6: a CSRF failure is its own error: ERR_CSRF, 403, shown to the user', () => {
    const error = new CsrfError();
    expect([error.code, error.status, error.expose]).toEqual(['ERR_CSRF', 403, true]);
    expect(error).not.toBeInstanceOf(InteractionNotFound);
    expect(error.message).toMatch(/CSRF/);
  });

  test('18.6: an AnswerError is a ProtocolError naming the field, whose text for the relying party is generic', () => {
    const error = new AnswerError('the request is for https://op.example/alice; it cannot be answered for https://op.example/bob', 'identity', { returnTo: 'https://rp.example/return', namespace: 'http://specs.openid.net/auth/2.0' });
    expect(error).toBeInstanceOf(ProtocolError);
    expect([error.code, error.field, error.returnTo, error.direct, error.expose]).toEqual(['ERR_ANSWER', 'identity', 'https://rp.example/return', false, false]);
    expect(error.message).toMatch(/^identity: the request is for/);
    expect(error.publicMessage).not.toMatch(/op\.example/);
    expect(new ProtocolError('bad request').publicMessage).toBe('bad request');
  });

  test.each([
    ['a fractional timestamp', 'https://op.example/', 1.5, 'salt'],
    ['NaN', 'https://op.example/', Number.NaN, 'salt'],
    ['a server URL that is not a string', 42 as unknown as string, 1_700_000_000, 'salt'],
    ['a salt that is not a string', 'https://op.example/', 1_700_000_000, null as unknown as string],
  ])('18.6: checkNonceArgs refuses %s with a coded NonceError, not a bare TypeError', (_name, opEndpoint, timestamp, salt) => {
    expect(() => checkNonceArgs(opEndpoint, timestamp, salt)).toThrow(NonceError);
    expect(() => checkNonceArgs(opEndpoint, timestamp, salt)).toThrow(expect.objectContaining({ code: 'ERR_NONCE' }));
  });

  test('18.6: FileStore without a directory is an OpenIDConfigError naming the option, not a bare TypeError', () => {
    expect(() => new FileStore({} as never)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', option: 'directory' }));
  });
});
