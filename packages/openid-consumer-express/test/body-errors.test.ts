/**
 * Bodies the form parser cannot read, at /login and /return (issue 17.5):
 * the router answers them itself, through its failure path with a reason
 * code, and the app's error handler (registered after the router) never
 * sees them.
 */
import { gzipSync } from 'node:zlib';
import type { ConsumerFailure } from '../src/index.js';
import { startRP, type Running } from './apps.js';

let rp: Running;
let hooked: Running;
const errors: unknown[] = [];
const seen: ConsumerFailure[] = [];
beforeAll(async () => {
  rp = await startRP({ errors });
  hooked = await startRP({
    errors,
    onFailure: (_req, res, result) => {
      seen.push(result);
      res.json({ reason: result.status === 'failure' ? result.reason : result.status });
    },
  });
});
afterAll(async () => {
  await rp.close();
  await hooked.close();
});
afterEach(() => {
  seen.length = 0;
  expect(errors.splice(0)).toEqual([]);
});

const FORM = 'application/x-www-form-urlencoded';
const tooMany = new URLSearchParams(Array.from({ length: 1100 }, (_, i): [string, string] => [`f${i}`, 'x'])).toString();

/** [name, content type, extra headers, body, status, reason] */
const CASES: Array<[string, string, Record<string, string>, string | Uint8Array, number, string]> = [
  ['a body over 64 KiB', FORM, {}, `openid.mode=${'x'.repeat(70_000)}`, 413, 'body_too_large'],
  ['more than 1000 fields', FORM, {}, tooMany, 413, 'too_many_parameters'],
  ['a UTF-16 charset', `${FORM}; charset=utf-16`, {}, Buffer.from('openid.mode=id_res', 'utf16le'), 415, 'unsupported_charset'],
  ['an unknown charset', `${FORM}; charset=x-unknown`, {}, 'openid.mode=id_res', 415, 'unsupported_charset'],
  ['an unknown content encoding', FORM, { 'content-encoding': 'x-compress' }, 'openid.mode=id_res', 415, 'unsupported_encoding'],
  ['a gzip body that is not gzip (malformed)', FORM, { 'content-encoding': 'gzip' }, 'openid.mode=id_res', 400, 'malformed_body'],
  ['a gzip body over 64 KiB once inflated', FORM, { 'content-encoding': 'gzip' }, gzipSync(`openid.mode=${'x'.repeat(200_000)}`), 413, 'body_too_large'],
];

function send(base: string, route: string, type: string, headers: Record<string, string>, body: string | Uint8Array): Promise<Response> {
  return fetch(`${base}/openid/${route}`, { method: 'POST', headers: { 'content-type': type, ...headers }, body, redirect: 'manual' });
}

describe('17.5: unreadable bodies at /login and /return', () => {
  describe.each(['login', 'return'])('/%s', (route) => {
    test.each(CASES)('17.5: %s is answered by the router (status, reason), never by the app\'s error handler', async (_name, type, headers, body, status, reason) => {
      const response = await send(rp.base, route, type, headers, body);
      expect(response.status).toBe(status);
      expect(response.headers.get('cache-control')).toBe('no-store');
      const text = await response.text();
      expect(text).toContain(`/failed?openid_error=${reason}`);
      expect(text).not.toMatch(/at \S+ \(|Error:/);
    });

    test.each(CASES)('17.5: %s reaches onFailure as a refused request with its status', async (_name, type, headers, body, status, reason) => {
      const response = await send(hooked.base, route, type, headers, body);
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ reason });
      expect(seen).toEqual([{ status: 'failure', reason, message: expect.any(String), httpStatus: status }]);
    });
  });
});
