/** Options are checked when the router is made; one describe per option. */
import express from 'express';
import request from 'supertest';
import { MemoryStore, OpenIDConfigError } from 'openid2-core';
import { openidConsumer, type ConsumerMiddlewareOptions } from '../src/index.js';
import { fetcher } from './apps.js';

function make(options: unknown): () => unknown {
  return () => openidConsumer(options as ConsumerMiddlewareOptions);
}

describe('the options object', () => {
  test('an unknown option (a typo) is refused, naming it', () => {
    expect(make({ sucessRedirect: '/' })).toThrow(/sucessRedirect: is not an option/);
  });

  test('no options at all is fine', () => {
    expect(typeof openidConsumer()).toBe('function');
  });
});

describe('baseUrl', () => {
  test.each([
    ['not http(s)', 'ftp://rp.example/', /baseUrl/],
    ['relative', '/openid', /baseUrl/],
    ['with a query', 'https://rp.example/openid?x=1', /query or fragment/],
    ['plain http on a public host', 'http://rp.example/openid', /allowInsecureHttp/],
  ])('%s: refused', (_name, baseUrl, message) => {
    expect(make({ baseUrl })).toThrow(message);
  });

  test.each(['http://localhost:3001/openid', 'http://127.0.0.1:3001/openid', 'http://[::1]:3001/openid', 'https://rp.example/openid/'])('%s: accepted', (baseUrl) => {
    expect(make({ baseUrl })).not.toThrow();
  });

  test('plain http on a public host with allowInsecureHttp: true', () => {
    expect(make({ baseUrl: 'http://rp.example/openid', allowInsecureHttp: true })).not.toThrow();
  });
});

describe('realm', () => {
  test.each([
    ['one that does not cover the return URL', { baseUrl: 'https://rp.example/openid', realm: 'https://other.example/' }, /does not cover/],
    ['an http realm for an https site', { baseUrl: 'https://rp.example/openid', realm: 'http://rp.example/' }, /does not cover/],
    ['a wildcard over a public suffix', { baseUrl: 'https://rp.example.com/openid', realm: 'https://*.com/' }, /covers too much/],
    ['not a realm', { realm: 'rp.example' }, /realm/],
  ])('%s: refused', (_name, options, message) => {
    expect(make(options)).toThrow(message);
  });

  test('a wildcard realm covering the return URL', () => {
    expect(make({ baseUrl: 'https://www.rp.example/openid', realm: 'https://*.rp.example/' })).not.toThrow();
  });
});

describe('successRedirect and failureRedirect', () => {
  test.each([
    ['successRedirect', 'https://evil.example/'],
    ['failureRedirect', '//evil.example/'],
    ['failureRedirect', '/\\evil.example'],
    ['successRedirect', '/ok\r\nSet-Cookie: x=1'],
    ['successRedirect', 'javascript:alert(1)'],
  ])('%s %j: refused', (name, value) => {
    expect(make({ [name]: value })).toThrow(new RegExp(name));
  });
});

describe('profile and pape', () => {
  test('an unknown profile field', () => {
    expect(make({ profile: { required: ['password'] } })).toThrow(/profile: "password" is not a profile field/);
  });

  test('not lists', () => {
    expect(make({ profile: { required: 'email' } })).toThrow(/profile/);
  });

  test.each([{ policies: ['not a uri'] }, { policies: 'x' }, { maxAuthAge: -1 }, { maxAuthAge: 1.5 }])('pape %j', (pape) => {
    expect(make({ pape })).toThrow(/pape/);
  });
});

describe('hooks, store, fetcher, flags', () => {
  test.each([
    ['onSuccess', 'a string'],
    ['onFailure', 42],
    ['extendRequest', {}],
    ['sessionData', true],
    ['store', {}],
    ['fetcher', { get: () => undefined }],
    ['allowUnsolicitedAssertions', 'yes'],
    ['consumer', 'steam'],
  ])('%s given %j: refused', (name, value) => {
    expect(make({ [name]: value })).toThrow(OpenIDConfigError);
  });

  test.each([0, 1.5, '15000'])('17.2: consumer.beginTimeoutMs %p: refused when the router is made', (beginTimeoutMs) => {
    expect(make({ consumer: { beginTimeoutMs: beginTimeoutMs as number } })).toThrow(/^beginTimeoutMs:/);
    expect(make({ consumer: { beginTimeoutMs: 2000 } })).not.toThrow();
  });

  test.each([
    ['transactionTtlMs -1', { transactionTtlMs: -1 }, /^transactionTtlMs: must be a finite number of milliseconds, more than 0/],
    ['transactionTtlMs NaN', { transactionTtlMs: Number.NaN }, /^transactionTtlMs:/],
    ['an invalid xriProxy', { xriProxy: 'ftp://xri.example/' }, /^xriProxy:/],
    ['the removed screenAssertion hook (a preset is the router\'s preset option)', { screenAssertion: () => undefined }, /^screenAssertion: is not a consumer option/],
    ['an unknown consumer option (a typo)', { stateles: true }, /^stateles: is not a consumer option/],
    ['a session (it is the request\'s, passed per call)', { session: {} }, /^session: is not an option: pass the session with each call/],
  ])('consumer with %s: refused when the router is made, by the consumer\'s own checks', (_name, consumer, message) => {
    expect(make({ consumer })).toThrow(OpenIDConfigError);
    expect(make({ consumer })).toThrow(message);
  });

  test('a router-level discoveryCache that is not one: refused when the router is made', () => {
    expect(make({ discoveryCache: { get: () => undefined } })).toThrow(/^discoveryCache:/);
  });

  test('a real store and fetcher are accepted', () => {
    expect(make({ store: new MemoryStore(), fetcher })).not.toThrow();
  });
});

describe('session middleware', () => {
  test('missing: a clear error at the first request', async () => {
    const app = express();
    app.use('/openid', openidConsumer({ fetcher }));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(error.message);
    });
    const response = await request(app).post('/openid/login').type('form').send({ openid_identifier: 'http://127.0.0.1:1/alice' });
    expect(response.text).toMatch(/did you forget express-session/);
  });

  test('a session without regenerate() (not express-session): a clear error', async () => {
    const app = express();
    app.use((req, _res, next) => {
      (req as unknown as { session: object }).session = {};
      next();
    });
    app.use('/openid', openidConsumer({ fetcher }));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(error.message);
    });
    const response = await request(app).get('/openid/return');
    expect(response.text).toMatch(/needs express-session/);
  });
});
