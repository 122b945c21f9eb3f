/** Bad input answered with 4xx or a failure redirect naming the reason: never a 500, never a success. */
import { request as httpRequest } from 'node:http';
import express from 'express';
import { CookieClient } from 'openid-test-helpers';
import { OpenIDError } from 'openid2-core';
import { BadRequestError, baseOf } from '../src/request-context.js';
import { loginToken, postLogin, startOP, startRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
let rp: Running;
let bare: Running;
beforeAll(async () => {
  op = await startOP();
  // An app-wide JSON parser: JSON bodies reach the router already parsed.
  rp = await startRP({ prepare: (app) => app.use(express.json()) });
  bare = await startRP({ noBaseUrl: true });
});
afterAll(async () => {
  await op.close();
  await rp.close();
  await bare.close();
});

const failed = (reason: string): string => `${rp.base}/failed?openid_error=${reason}`;

describe('/login', () => {
  test.each([
    // 20.4: finer reasons the user can act on.
    ['javascript:alert(1)', 'invalid_identifier'],
    ['http://', 'invalid_identifier'],
    ['=example.person', 'xri_unsupported'],
    ['file:///etc/passwd', 'invalid_identifier'],
    ['   ', 'missing_identifier'],
    // Not resolvable here (unreachable); where it resolves, the host answers 4xx (no_openid_service) or does not answer (timeout).
    [`http://example.com/${'a'.repeat(5000)}`, '(unreachable|no_openid_service|timeout)'],
  ])('identifier %j: %s', async (identifier, reason) => {
    const response = await postLogin(rp, new CookieClient(), identifier);
    expect(response.status).toBe(303);
    expect(response.location).toMatch(new RegExp(`^${failed(reason).replace(/[?.]/g, '\\$&')}$`));
  });

  test('a repeated openid_identifier is no identifier', async () => {
    const client = new CookieClient();
    const body = new URLSearchParams([['openid_identifier', 'a'], ['openid_identifier', 'b'], ['openid_csrf', await loginToken(rp, client)]]);
    const response = await client.post(`${rp.base}/openid/login`, body);
    expect(response.location).toBe(failed('missing_identifier'));
  });
});

describe('/return', () => {
  test.each([
    ['nothing at all', ''],
    ['a NUL byte', '?openid.ns=http%3A%2F%2Fspecs.openid.net%2Fauth%2F2.0&openid.mode=id_res%00'],
    ['duplicate keys', '?openid.mode=id_res&openid.mode=cancel'],
    ['an unknown namespace', '?openid.ns=http%3A%2F%2Fevil.example%2F&openid.mode=id_res'],
    ['broken percent-encoding', '?openid.mode=%E0%A4%A&openid.ns=%'],
  ])('GET with %s: invalid_message', async (_name, query) => {
    const response = await new CookieClient().get(`${rp.base}/openid/return${query}`);
    expect(response.status).toBe(303);
    expect(response.location).toBe(failed('invalid_message'));
  });

  test('POST with duplicate keys in the body: invalid_message', async () => {
    const body = new URLSearchParams([['openid.mode', 'id_res'], ['openid.mode', 'cancel']]);
    expect((await new CookieClient().post(`${rp.base}/openid/return`, body)).location).toBe(failed('invalid_message'));
  });

  test('a POST is read from its body only: openid.* in the query do not count', async () => {
    const client = new CookieClient();
    const start = await postLogin(rp, client, `${op.base}/user/alice`);
    const answer = (await client.get(start.location as string, true)).location as string;
    const response = await client.post(answer, {});
    expect(response.location).toBe(failed('invalid_message'));
    // The transaction was taken: the same answer as a GET is refused now.
    expect((await client.get(answer, true)).status).not.toBe(500);
  });

  test('a JSON body with nested values (an app-wide JSON parser): invalid_message', async () => {
    const response = await fetch(`${rp.base}/openid/return`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ 'openid.mode': ['id_res'], 'openid.ns': { x: 1 } }), redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/failed?openid_error=invalid_message');
  });

  test('a text body: invalid_message', async () => {
    const response = await fetch(`${rp.base}/openid/return`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'openid.mode=id_res', redirect: 'manual' });
    expect(response.headers.get('location')).toBe('/failed?openid_error=invalid_message');
  });

  test.each([
    ['a body over 64 KiB', new URLSearchParams({ 'openid.mode': 'x'.repeat(70_000) })],
    ['more than 1000 fields', new URLSearchParams(Array.from({ length: 1100 }, (_, i): [string, string] => [`f${i}`, 'x']))],
  ])('%s: 413', async (_name, body) => {
    const response = await fetch(`${rp.base}/openid/return`, { method: 'POST', body, redirect: 'manual' });
    expect(response.status).toBe(413);
  });
});

describe('URLs from the request (no baseUrl)', () => {
  function rawGet(path: string, host: string): Promise<number> {
    const url = new URL(bare.base);
    return new Promise((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path, headers: { host }, setHost: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
  }

  test.each(['evil.example/path', 'a b', 'x@evil.example', 'host:99999999', ''])('a malformed Host header (%j): 400', async (host) => {
    expect(await rawGet(`/openid/login?openid_identifier=${encodeURIComponent(`${op.base}/user/alice`)}`, host)).toBe(400);
  });
});

test('18.6: a malformed Host header is a BadRequestError that is an OpenIDError (ERR_BAD_REQUEST, 400, shown)', () => {
  const req = { headers: { host: 'evil.example/path' }, socket: {}, baseUrl: '/openid' } as unknown as express.Request;
  let caught: unknown;
  try {
    baseOf({ baseUrl: undefined } as never, req);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(BadRequestError);
  expect(caught).toBeInstanceOf(OpenIDError);
  expect(caught).toMatchObject({ name: 'BadRequestError', code: 'ERR_BAD_REQUEST', status: 400, expose: true, message: 'The Host header is missing or malformed' });
});
