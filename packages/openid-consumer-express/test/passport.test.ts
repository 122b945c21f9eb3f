/** The Passport strategy in a real Express app, under a sub-router, against our provider. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { MemoryDiscoveryCache, MemoryStore, OpenIDConfigError, PAPE_POLICY_MULTI_FACTOR } from 'openid2-core';
import { CookieClient, readForm } from 'openid-test-helpers';
import { loginCsrfField, OpenIDStrategy } from '../src/index.js';
import { fetcher, longProfile, startOP, type Running } from './apps.js';

let op: Running & { endpoint: string };
const opState: Parameters<typeof startOP>[0] = {};
let server: Server;
let base: string;
const verified: Array<{ identifier: string; profile: unknown }> = [];

beforeAll(async () => {
  op = await startOP(opState);
  const app = express();
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const authenticator = new passport.Passport();
  authenticator.use(
    new OpenIDStrategy({
      returnURL: `${base}/auth/openid/return`,
      profile: true,
      fetcher,
      verify: async ({ identifier, profile }) => {
        verified.push({ identifier, profile });
        return identifier.endsWith('/user/mallory') ? false : { id: identifier };
      },
    }),
  );
  // A "Sign in with X" button: the provider's OP identifier, no typed identifier.
  authenticator.use(
    'openid-button',
    new OpenIDStrategy({ returnURL: `${base}/auth/openid/return`, providerURL: `${op.base}/`, fetcher, verify: async ({ identifier }) => ({ id: identifier }) }) as unknown as passport.Strategy,
  );
  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));
  app.use(session({ secret: 'passport test', resave: false, saveUninitialized: false }));
  app.use(express.urlencoded({ extended: false }));
  app.use(authenticator.initialize());
  app.use(authenticator.session());
  const auth = express.Router();
  const finish: express.RequestHandler = (req, res, next) =>
    authenticator.authenticate('openid', (error: unknown, user: unknown, info: unknown) => {
      if (error) return next(error);
      if (!user) return res.status(401).json(info);
      return req.logIn(user as Express.User, (loginError) => (loginError ? next(loginError) : res.json({ user })));
    })(req, res, next);
  auth.get('/form', (req, res) => {
    res.type('html').send(`<form method="post" action="/auth/openid">${loginCsrfField(req)}<input type="text" name="openid_identifier"></form>`);
  });
  auth.post('/openid', authenticator.authenticate('openid'));
  auth.get('/openid', authenticator.authenticate('openid'));
  auth.get('/button', authenticator.authenticate('openid-button'));
  auth.get('/openid/return', finish);
  auth.post('/openid/return', finish);
  app.use('/auth', auth);
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await op.close();
});

afterEach(() => {
  delete opState.decision;
});

async function signIn(identifier: string): Promise<{ status: number; body: unknown }> {
  const client = new CookieClient();
  const token = readForm((await client.get(`${base}/auth/form`)).body).fields.get('openid_csrf') as string;
  const start = await client.post(`${base}/auth/openid`, { openid_identifier: identifier, openid_csrf: token });
  if (start.status !== 302) throw new Error(start.body);
  const atOp = await client.get(start.location as string);
  const back = atOp.status === 302 ? await client.get(atOp.location as string) : await (async () => {
    const form = readForm(atOp.body);
    return client.post(form.action, form.fields);
  })();
  return { status: back.status, body: JSON.parse(back.body) };
}

describe('OpenIDStrategy', () => {
  test('a GET assertion logs the user in, with the signed profile', async () => {
    opState.decision = (_idSelect, base_) => ({ type: 'allow', profile: { email: 'zoë@example.com', nickname: 'zoë' }, ...(_idSelect ? { identity: `${base_}/user/alice` } : {}) });
    const result = await signIn(`${op.base}/user/alice`);
    expect(result).toEqual({ status: 200, body: { user: { id: `${op.base}/user/alice` } } });
    expect(verified.at(-1)).toEqual({ identifier: `${op.base}/user/alice`, profile: { email: 'zoë@example.com', nickname: 'zoë' } });
  });

  test('a POSTed (long) assertion works too', async () => {
    opState.decision = (_idSelect, base_) => longProfile(base_);
    const result = await signIn(`${op.base}/user/alice`);
    expect(result.status).toBe(200);
  });

  test('failures report the real reason', async () => {
    opState.decision = () => ({ type: 'deny' });
    expect(await signIn(`${op.base}/user/alice`)).toEqual({ status: 401, body: { reason: 'cancel', message: 'The sign-in was cancelled' } });
    opState.decision = () => ({ type: 'allow' });
    const refused = await signIn(`${op.base}/user/mallory`);
    expect(refused).toMatchObject({ status: 401, body: { reason: 'rejected_by_application' } });
    const client = new CookieClient();
    const forged = await client.get(`${base}/auth/openid/return?openid.ns=http%3A%2F%2Fspecs.openid.net%2Fauth%2F2.0&openid.mode=id_res`);
    expect(forged.status).toBe(401);
    expect(JSON.parse(forged.body)).toMatchObject({ reason: 'unsolicited_assertion' });
  });

  test.each([
    ['a cross-site form POST without the token', 'POST', {}, { 'sec-fetch-site': 'cross-site' }],
    ['a form POST with a wrong token', 'POST', { openid_csrf: 'guessed' }, {}],
    ['a form POST with the right token from another origin', 'POST', 'token', { origin: 'http://evil.example' }],
    ['a GET link with the identifier', 'GET', {}, {}],
  ] as const)('17.1: %s is refused by the strategy (csrf_failed, 403) before the OP hears of it', async (_name, method, extra, headers) => {
    const requests: string[] = [];
    opState.requests = requests;
    try {
      const client = new CookieClient();
      const token = readForm((await client.get(`${base}/auth/form`)).body).fields.get('openid_csrf') as string;
      const fields = new URLSearchParams({ openid_identifier: `${op.base}/user/mallory`, ...(extra === 'token' ? { openid_csrf: token } : extra) });
      const cookie = { cookie: `connect.sid=${client.cookie(base, 'connect.sid') as string}` };
      const response = method === 'GET'
        ? await fetch(`${base}/auth/openid?${fields.toString()}`, { headers: { ...cookie, ...headers }, redirect: 'manual' })
        : await fetch(`${base}/auth/openid`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...cookie, ...headers }, body: fields, redirect: 'manual' });
      expect(response.status).toBe(403);
      expect(await response.text()).toBe('Forbidden');
      expect(requests).toEqual([]);
    } finally {
      delete opState.requests;
    }
  });

  test('17.1: the "Sign in with X" link (providerURL, no typed identifier) needs no token, even from another site', async () => {
    const client = new CookieClient();
    const start = await client.get(`${base}/auth/button`, true);
    expect(start.status).toBe(302);
    expect(start.location?.startsWith(op.endpoint)).toBe(true);
    const atOp = await client.get(start.location as string, true);
    const back = await client.get(atOp.location as string, true);
    expect(back.status).toBe(200);
    expect(JSON.parse(back.body)).toEqual({ user: { id: `${op.base}/user/alice` } });
  });
});

describe('OpenIDStrategy options are checked when it is made', () => {
  const base = { returnURL: 'https://rp.example/auth/openid/return', verify: async () => false };

  test.each([
    ['an unknown option (a typo)', { stateles: true }, 'stateles'],
    ['no verify', { verify: undefined }, 'verify'],
    ['a verify that is not a function', { verify: 'user' }, 'verify'],
    ['a returnURL that is not a URL', { returnURL: 'not a url' }, 'returnURL'],
    ['a relative returnURL', { returnURL: '/auth/openid/return' }, 'returnURL'],
    ['a plain-http returnURL on a public host', { returnURL: 'http://rp.example/auth/openid/return' }, 'returnURL'],
    ['a realm that does not cover returnURL', { realm: 'https://other.example/' }, 'realm'],
    ['a realm over a public suffix', { returnURL: 'https://rp.co.uk/r', realm: 'https://*.co.uk/' }, 'realm'],
    ['a realm that is not a URL', { realm: 'rp.example' }, 'realm'],
    ['profile naming an unknown field', { profile: { optional: ['shoeSize'] } }, 'profile'],
    ['profile null', { profile: null }, 'profile'],
    ['profile a string', { profile: 'email' }, 'profile'],
    ['pape with a policy that is not a URI', { pape: { policies: ['phishing-resistant'] } }, 'pape'],
    ['pape with a negative maxAuthAge', { pape: { maxAuthAge: -1 } }, 'pape'],
    ['stateless not a boolean', { stateless: 'yes' }, 'stateless'],
    ['a store without the store methods', { store: {} }, 'store'],
    ['a fetcher without fetch()', { fetcher: {} }, 'fetcher'],
    ['a discoveryCache without get() and set()', { discoveryCache: {} }, 'discoveryCache'],
    ['allowLoopback not a boolean', { allowLoopback: 'true' }, 'allowLoopback'],
    ['allowLoopback with a fetcher of its own', { allowLoopback: true, fetcher }, 'allowLoopback'],
    ['allowInsecureHttp not a boolean', { allowInsecureHttp: 1 }, 'allowInsecureHttp'],
    ['a providerURL that is not a URL', { providerURL: 'steam' }, 'providerURL'],
    ['an empty identifierField', { identifierField: '' }, 'identifierField'],
    ['an openid.* identifierField', { identifierField: 'openid.identity' }, 'identifierField'],
    ['the login token field as identifierField', { identifierField: 'openid_csrf' }, 'identifierField'],
    ['an identifierField that is not a string', { identifierField: 42 }, 'identifierField'],
  ])('%s is refused, naming the option', (_name, options, option) => {
    let thrown: unknown;
    try {
      new OpenIDStrategy({ ...base, ...options } as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OpenIDConfigError);
    expect((thrown as OpenIDConfigError).option).toBe(option);
  });

  test('options that are not an object are refused', () => {
    expect(() => new OpenIDStrategy(null as never)).toThrow(OpenIDConfigError);
  });

  test.each([
    ['the minimum', {}],
    ['plain http on loopback', { returnURL: 'http://127.0.0.1:3000/auth/openid/return' }],
    ['plain http on a public host with allowInsecureHttp', { returnURL: 'http://rp.example/r', allowInsecureHttp: true }],
    ['a wildcard realm covering returnURL', { realm: 'https://*.rp.example/', returnURL: 'https://www.rp.example/r' }],
    ['allowLoopback with the default fetcher', { allowLoopback: true }],
    [
      'every other option',
      {
        profile: { required: ['email'] },
        pape: { policies: [PAPE_POLICY_MULTI_FACTOR], maxAuthAge: 60 },
        stateless: true,
        store: new MemoryStore(),
        fetcher,
        discoveryCache: new MemoryDiscoveryCache(),
        providerURL: 'https://op.example/',
        identifierField: 'identifier',
      },
    ],
  ])('%s is accepted', (_name, options) => {
    expect(new OpenIDStrategy({ ...base, ...options } as never).name).toBe('openid');
  });
});
