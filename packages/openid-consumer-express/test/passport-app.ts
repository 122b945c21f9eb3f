/** An Express app signing in with the Passport strategy, and a browser walking its login. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { CookieClient, readForm, type ClientResponse } from 'openid-test-helpers';
import { loginCsrfField, OpenIDStrategy, type OpenIDStrategyOptions, type OpenIDVerifyInput } from '../src/index.js';
import { fetcher } from './apps.js';

export interface PassportRP {
  base: string;
  /** What verify received, login after login. */
  verified: OpenIDVerifyInput[];
  /** express-session's store: tests read and put back sessions as a cookie-held session would be replayed. */
  sessions: session.MemoryStore;
  /** Errors that reached the app's error handler. */
  errors: unknown[];
  close(): Promise<void>;
}

/** The strategy at /auth/openid (return at /auth/openid/return), a sign-in form at /auth/form, JSON answers. */
export async function startPassportRP(options: Omit<OpenIDStrategyOptions, 'returnURL' | 'verify'> = {}): Promise<PassportRP> {
  const app = express();
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const rp: PassportRP = {
    base,
    verified: [],
    sessions: new session.MemoryStore(),
    errors: [],
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const authenticator = new passport.Passport();
  authenticator.use(new OpenIDStrategy({
    returnURL: `${base}/auth/openid/return`,
    fetcher,
    ...options,
    verify: async (input) => {
      rp.verified.push(input);
      return { id: input.identifier };
    },
  }));
  authenticator.serializeUser((user, done) => done(null, user));
  authenticator.deserializeUser((user: Express.User, done) => done(null, user));
  app.use(session({ secret: 'passport parity', resave: false, saveUninitialized: false, store: rp.sessions }));
  app.use(express.urlencoded({ extended: false }));
  app.use(authenticator.initialize());
  app.use(authenticator.session());
  const finish: express.RequestHandler = (req, res, next) =>
    authenticator.authenticate('openid', (error: unknown, user: unknown, info: unknown, status: number | undefined) => {
      if (error) return next(error);
      if (!user) return res.status(status ?? 401).json(info);
      return req.logIn(user as Express.User, (loginError) => (loginError ? next(loginError) : res.json({ user, info })));
    })(req, res, next);
  app.get('/auth/form', (req, res) => {
    res.type('html').send(`<form method="post" action="/auth/openid">${loginCsrfField(req)}<input type="text" name="openid_identifier"></form>`);
  });
  // Redirects and the form to the OP are answered by the strategy itself; failures come here.
  app.post('/auth/openid', finish);
  app.get('/auth/openid/return', finish);
  app.post('/auth/openid/return', finish);
  app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    rp.errors.push(error);
    res.status(500).send(error.message);
  });
  return rp;
}

/** Posts the app's own sign-in form (with this browser's login token): the strategy's answer, a redirect or a page posting to the OP. */
export async function startLogin(rp: PassportRP, client: CookieClient, identifier: string): Promise<ClientResponse> {
  const token = readForm((await client.get(`${rp.base}/auth/form`)).body).fields.get('openid_csrf') as string;
  return client.post(`${rp.base}/auth/openid`, { openid_identifier: identifier, openid_csrf: token });
}

/** A browser through the OP and back: the strategy's JSON answer, with the URL the assertion arrived at. */
export async function finishLogin(client: CookieClient, start: ClientResponse): Promise<{ status: number; body: unknown; assertionUrl: string }> {
  const atOp = start.location === undefined
    ? await (async () => {
      const form = readForm(start.body);
      return client.post(form.action, form.fields);
    })()
    : await client.get(start.location);
  const assertionUrl = atOp.location as string;
  const back = await client.get(assertionUrl);
  return { status: back.status, body: JSON.parse(back.body) as unknown, assertionUrl };
}
