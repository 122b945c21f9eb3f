/**
 * Relying parties to attack, each a real Express app on 127.0.0.1: ours
 * (openid-consumer-express, generic and Steam) and one built on npm's
 * `openid` package (node-openid).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import openid from 'openid';
import { createFetcher, MemoryStore, steamPreset } from 'openid2-core';
import { loginCsrfField, openidConsumer, type ConsumerMiddlewareOptions } from 'openid-consumer-express';

export interface RunningRP {
  base: string;
  loginUrl: string;
  /** The page with the sign-in form (our relying party only). */
  loginPageUrl?: string;
  meUrl: string;
  close(): Promise<void>;
}

type SessionRequest = Request & { session: Record<string, unknown> & { save(cb: (error?: unknown) => void): void } };

async function listen(app: Express, paths: { login: string; me?: string }): Promise<RunningRP> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    loginUrl: `${base}${paths.login}`,
    meUrl: `${base}${paths.me ?? '/me'}`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Discovery may reach loopback (the kit's provider), with a short total timeout. */
export const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 });

function sessionApp(): Express {
  const app = express();
  app.use(session({ secret: 'kit-rp', resave: false, saveUninitialized: false, name: 'rp.sid' }));
  app.get('/me', (req, res) => {
    res.json((req as SessionRequest).session.openid ?? null);
  });
  return app;
}

/**
 * Our relying party, its login form carrying a per-session CSRF token that
 * POST /openid/login must echo (so the kit's 'form' login mode is needed).
 */
export async function startOurRP(settings: { csrfForm?: boolean; steamBase?: string; options?: Partial<ConsumerMiddlewareOptions> } = {}): Promise<RunningRP> {
  const app = sessionApp();
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The sign-in form: openid-consumer-express needs its login token with a typed identifier (login CSRF);
  // with csrfForm, the app adds a CSRF check of its own in front of the router as well.
  app.get('/', (req, res) => {
    let own = '';
    if (settings.csrfForm === true) {
      const token = randomBytes(16).toString('hex');
      (req as SessionRequest).session.csrf = token;
      own = `<input type="hidden" name="csrf" value="${token}">`;
    }
    res.type('html').send(`<form method="post" action="/openid/login">${loginCsrfField(req)}${own}<input name="openid_identifier"><button>Sign in</button></form>`);
  });
  if (settings.csrfForm === true) {
    app.post('/openid/login', express.urlencoded({ extended: false }), (req: Request, res: Response, next: NextFunction) => {
      const expected = (req as SessionRequest).session.csrf;
      if (typeof expected !== 'string' || (req.body as Record<string, unknown>).csrf !== expected) return void res.status(403).send('bad csrf token');
      next();
    });
  }
  const steam = settings.steamBase === undefined ? undefined : steamPreset({ origin: base, steamBase: settings.steamBase });
  app.use('/openid', openidConsumer({
    baseUrl: `${base}/openid`,
    fetcher,
    store: new MemoryStore(),
    successRedirect: '/me',
    failureRedirect: '/failed',
    ...(steam === undefined ? { profile: { optional: ['nickname', 'email', 'fullname'] } } : { preset: steam }),
    ...settings.options,
  }));
  app.get('/failed', (req, res) => {
    res.status(401).send(`failed: ${String(req.query.openid_error)}`);
  });
  return {
    base,
    loginUrl: `${base}/openid/login`,
    loginPageUrl: `${base}/`,
    meUrl: `${base}/me`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

interface NodeOpenIDResult { authenticated: boolean; claimedIdentifier?: string; [key: string]: unknown }
interface NodeRelyingParty {
  authenticate(identifier: string, immediate: boolean, callback: (error: { message: string } | null, url?: string) => void): void;
  verifyAssertion(request: unknown, callback: (error: { message: string } | null, result?: NodeOpenIDResult) => void): void;
}
const library = openid as unknown as {
  RelyingParty: new (returnUrl: string, realm: string, stateless: boolean, strict: boolean, extensions: unknown[]) => NodeRelyingParty;
  SimpleRegistration: new (fields: Record<string, boolean>) => unknown;
};

/** A relying party on node-openid, stateless (as Steam sites run it), asking SREG nickname, email and full name. */
export async function startNodeOpenIDRP(): Promise<RunningRP> {
  const app = sessionApp();
  let rp: NodeRelyingParty | undefined;
  app.post('/login', express.urlencoded({ extended: false }), (req, res) => {
    rp?.authenticate(String((req.body as Record<string, unknown>).openid_identifier ?? ''), false, (error, url) => {
      if (error !== null || url === undefined) return void res.redirect(303, '/failed');
      res.redirect(303, url);
    });
  });
  // node-openid reads a POSTed assertion from the request stream itself: no body parser here.
  app.all('/verify', (req, res) => {
    rp?.verifyAssertion(req, (error, result) => {
      if (error !== null || result?.authenticated !== true) return void res.redirect(303, '/failed');
      const request = req as SessionRequest;
      (request.session as Record<string, unknown>).openid = result;   // node-openid's own result shape, not this package's SessionData
      request.session.save(() => res.redirect(303, '/me'));
    });
  });
  app.get('/failed', (_req, res) => {
    res.status(401).send('failed');
  });
  const running = await listen(app, { login: '/login' });
  rp = new library.RelyingParty(`${running.base}/verify`, `${running.base}/`, true, false, [new library.SimpleRegistration({ nickname: true, email: true, fullname: true })]);
  return running;
}
