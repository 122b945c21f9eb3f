import { DiscoveryError, FetchError, UrlError } from '../src/errors.js';
import { causeChain, discoveryFailureReason, isLoopbackRefusal, withoutQuery } from '../src/log-event.js';

const fetchFailure = (reason: FetchError['reason'], url = 'https://id.example/alice', httpStatus?: number): DiscoveryError =>
  new DiscoveryError('discovery failed', url, { cause: new FetchError('fetch failed', url, reason, httpStatus === undefined ? {} : { httpStatus }) });

describe('20.4: discoveryFailureReason', () => {
  test.each<[string, unknown, string]>([
    ['the address guard', fetchFailure('private_address'), 'private_address'],
    ['a time-out', fetchFailure('timeout'), 'timeout'],
    ['DNS', fetchFailure('dns'), 'unreachable'],
    ['a refused connection', fetchFailure('connection'), 'unreachable'],
    ['TLS', fetchFailure('tls'), 'unreachable'],
    ['a 404 page', fetchFailure('http_status', undefined, 404), 'no_openid_service'],
    ['a 503 server', fetchFailure('http_status', undefined, 503), 'unreachable'],
    ['a page without links', new DiscoveryError('No OpenID service was found for https://id.example/', 'https://id.example/'), 'no_openid_service'],
    ['an XRI without resolver', new DiscoveryError('XRIs need a proxy resolver', '=example'), 'xri_unsupported'],
    ['input that is no identifier', new DiscoveryError('Not a valid identifier', 'javascript:x', { cause: new UrlError('bad', 'javascript:x') }), 'invalid_identifier'],
    ['anything else', new DiscoveryError('The CanonicalID cannot come from there', 'https://id.example/'), 'discovery_failed'],
    ['not a DiscoveryError', new Error('boom'), 'discovery_failed'],
  ])('20.4: %s → %s', (_name, error, reason) => {
    expect(discoveryFailureReason(error)).toBe(reason);
  });

  test('20.4: an XRI with a resolver configured is not "unsupported"', () => {
    expect(discoveryFailureReason(new DiscoveryError('resolver said no', '=example'), { xriProxy: 'https://xri.example/' })).toBe('discovery_failed');
  });
});

describe('20.4: causeChain', () => {
  test('20.4: names, codes, fetch reasons and URLs without query, outermost first, bounded', () => {
    const error = fetchFailure('dns', 'https://id.example/alice?token=secret#x');
    expect(causeChain(error)).toEqual([
      { name: 'DiscoveryError', code: 'ERR_DISCOVERY', message: 'discovery failed' },
      { name: 'FetchError', code: 'ERR_FETCH', message: 'fetch failed', reason: 'dns', url: 'https://id.example/alice' },
    ]);
    let deep: Error = new Error('root');
    for (let index = 0; index < 10; index += 1) deep = new Error(`level ${index}`, { cause: deep });
    expect(causeChain(deep)).toHaveLength(5);
    expect(causeChain('text')).toEqual([{ name: 'string', message: 'text' }]);
    expect(withoutQuery('https://a.example/p?q=1#f')).toBe('https://a.example/p');
  });
});

describe('20.5: isLoopbackRefusal', () => {
  test.each([
    ['http://127.0.0.1:8080/alice', true],
    ['http://localhost:3000/', true],
    ['http://[::1]/', true],
    ['http://10.0.0.1/', false],
    ['http://192.168.1.2/', false],
  ])('20.5: %s → %s', (url, expected) => {
    expect(isLoopbackRefusal(fetchFailure('private_address', url))).toBe(expected);
  });

  test('20.5: other failures are not loopback refusals', () => {
    expect(isLoopbackRefusal(fetchFailure('connection', 'http://127.0.0.1/'))).toBe(false);
    expect(isLoopbackRefusal(new Error('x'))).toBe(false);
  });
});
