/** A relying party and a provider, each a real Express app on its own port. */
import { createServer, type Server } from 'node:http';
import { CookieClient, deliverIndirect, readForm, type ClientResponse } from 'openid-test-helpers';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import session from 'express-session';
import { createFetcher, MemoryStore, SREG_1_1_NS, type OpenIDStore } from 'openid2-core';
import { openidProvider, serveIdentity, serveOPIdentifier, type Decision } from 'openid-provider-express';
import { loginCsrfField, openidConsumer, type ConsumerMiddlewareOptions } from '../src/index.js';

export interface Running {
  base: string;
  app: Express;
  close(): Promise<void>;
}

async function listen(app: Express): Promise<Running> {
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    app,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 });

/** An OP that allows everyone (as alice for identifier select), optionally with a long SREG answer. */
export async function startOP(state: { decision?: (idSelect: boolean, base: string, immediate: boolean) => Decision; requests?: string[] } = {}): Promise<Running & { endpoint: string }> {
  const app = express();
  const running = await listen(app);
  const endpoint = `${running.base}/openid`;
  // Every request the OP gets, as "METHOD /path" (when the test asks for them).
  app.use((req, _res, next) => {
    state.requests?.push(`${req.method} ${req.path}`);
    next();
  });
  app.use(session({ secret: 'op', resave: false, saveUninitialized: false, name: 'op.sid' }));
  app.use('/openid', openidProvider({
    opEndpoint: endpoint,
    store: new MemoryStore(),
    fetcher,
    interactionUrl: '/login',
    decide: async ({ request }) =>
      state.decision?.(request.idSelect, running.base, request.immediate) ?? { type: 'allow', ...(request.idSelect ? { identity: `${running.base}/user/alice` } : {}) },
  }));
  app.get('/', (req, res) => serveOPIdentifier(req, res, { opEndpoint: endpoint, url: `${running.base}/` }));
  app.get('/user/:name', (req, res) => serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${running.base}/user/${req.params.name}` }));
  return { ...running, endpoint };
}

export const longProfile = (base: string): Decision => ({
  type: 'allow',
  identity: `${base}/user/alice`,
  extensions: [{ namespace: SREG_1_1_NS, args: { fullname: 'Zoë '.repeat(600) } }],
});

export interface RPSettings extends Partial<ConsumerMiddlewareOptions> {
  store?: OpenIDStore;
  /** false: no session middleware at all. */
  withSession?: boolean;
  /** express-session options over the defaults (saveUninitialized false, SameSite unset, i.e. Lax in browsers). */
  sessionOptions?: Partial<session.SessionOptions>;
  /** Leave baseUrl out (URLs from the request). */
  noBaseUrl?: boolean;
  /** Mount point of the router. @default '/openid' */
  mount?: string;
  /** Called with the app before the router is mounted. */
  prepare?: (app: Express) => void;
  /** Receives every error that reaches the app's error handler (registered after the router). */
  errors?: unknown[];
}

/** A relying party app: the consumer router at /openid and a page showing the session. */
export async function startRP(settings: RPSettings = {}): Promise<Running> {
  const { withSession, sessionOptions, noBaseUrl, mount = '/openid', prepare, errors, ...options } = settings;
  const app = express();
  const running = await listen(app);
  prepare?.(app);
  if (withSession !== false) app.use(session({ secret: 'rp', resave: false, saveUninitialized: false, name: 'rp.sid', ...sessionOptions }));
  const router = openidConsumer({ ...(noBaseUrl === true ? {} : { baseUrl: `${running.base}${mount}` }), fetcher, successRedirect: '/me', failureRedirect: '/failed', ...options });
  app.use(mount, router);
  if (noBaseUrl !== true) {
    app.get('/', router.realmDiscovery, (_req, res) => {
      res.send('home');
    });
  }
  // The app's sign-in form, with this session's login token.
  app.get('/form', (req, res) => {
    res.type('html').send(`<form method="post" action="${mount}/login">${loginCsrfField(req)}<input type="text" name="openid_identifier"></form>`);
  });
  app.get('/me', (req, res) => {
    res.json(req.session.openid ?? null);
  });
  app.use((error: Error & { status?: number }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    errors?.push(error);
    res.status(error.status ?? 500).send(error.message);
  });
  return running;
}

/** Starts a relying party with these settings, runs `use` with it and closes it, whatever happens. */
export async function withRP<T>(settings: RPSettings, use: (rp: Running) => Promise<T>): Promise<T> {
  const rp = await startRP(settings);
  try {
    return await use(rp);
  } finally {
    await rp.close();
  }
}

/** This browser's login token, read from the app's sign-in form. */
export async function loginToken(rp: Running, client: CookieClient): Promise<string> {
  const token = readForm((await client.get(`${rp.base}/form`)).body).fields.get('openid_csrf');
  if (token === null) throw new Error('no openid_csrf field in the sign-in form');
  return token;
}

/** The app's own form posted to /login: the identifier with this browser's token (no identifier: the OP identifier, no token). */
export async function postLogin(rp: Running, client: CookieClient, identifier: string | undefined, path = '/openid'): Promise<ClientResponse> {
  const form: Record<string, string> = identifier === undefined ? {} : { openid_identifier: identifier, openid_csrf: await loginToken(rp, client) };
  return client.post(`${rp.base}${path}/login`, form);
}

/** A browser: RP /login → OP → RP /return (→ /me when it succeeded). */
export async function signIn(rp: Running, identifier: string | undefined, client = new CookieClient(), path = '/openid'): Promise<{ client: CookieClient; final: string; me: unknown }> {
  const start = await postLogin(rp, client, identifier, path);
  expect(start.status).toBe(303);
  const atOp = await client.get(start.location as string, true);
  const { response: back } = await deliverIndirect(client, atOp, start.location as string);
  const me = back.location?.endsWith('/me') === true ? JSON.parse((await client.get(back.location)).body || 'null') : undefined;
  return { client, final: back.location ?? `status ${back.status}`, me };
}
