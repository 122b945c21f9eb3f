import { KVFormError, OpenIDConfigError, OpenIDError, ProtocolError, FetchError } from '../src/errors.js';

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
    expect(config).toBeInstanceOf(TypeError);
    expect(config.message).toBe('realm: must be a URL');
    expect(config.code).toBe('ERR_CONFIG');
  });
});
