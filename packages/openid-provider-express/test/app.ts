/** A small provider app for the flow tests, on 127.0.0.1 with a real port. */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import { createFetcher, escapeHTML, MemoryStore, OPENID2_NS, type OpenIDStore } from 'openid2-core';
import { openidProvider, protectFromFraming, regenerateSession, serveIdentity, serveOPIdentifier, type Decision, type DecisionContext, type ProviderRouter, type ProviderOptions } from '../src/index.js';

export interface TestProvider {
  base: string;
  endpoint: string;
  store: OpenIDStore;
  router: ProviderRouter;
  /** The decision the hook returns; tests change it. */
  decide: (context: DecisionContext) => Decision;
  contexts: DecisionContext[];
  close(): Promise<void>;
}

/** A checkid_setup request (OpenID 2.0) for alice at this provider, from http://rp.example/; `extra` adds or replaces fields. */
export function checkidParams(base: string, extra: Record<string, string> = {}): URLSearchParams {
  return new URLSearchParams({
    'openid.ns': OPENID2_NS,
    'openid.mode': 'checkid_setup',
    'openid.claimed_id': `${base}/user/alice`,
    'openid.identity': `${base}/user/alice`,
    'openid.return_to': 'http://rp.example/return',
    'openid.realm': 'http://rp.example/',
    ...extra,
  });
}

/**
 * Starts the app. Its login page (`/login?interaction=<id>`) shows the realm
 * and a form; posting it with `approve=1` signs alice in (regenerating the
 * session, as a real login does) and allows, anything else denies.
 */
export async function startProvider(options: { withSession?: boolean; provider?: Partial<ProviderOptions>; prepare?: (app: express.Express) => void } = {}): Promise<TestProvider> {
  const app = express();
  const http: HttpServer = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const endpoint = `${base}/openid`;
  const store = new MemoryStore();
  const state: TestProvider = {
    base,
    endpoint,
    store,
    router: undefined as unknown as ProviderRouter,
    decide: (context) => ({ type: 'allow', ...(context.request.idSelect ? { identity: `${base}/user/alice` } : {}) }),
    contexts: [],
    close: () => new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }),
  };
  options.prepare?.(app);
  if (options.withSession !== false) app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false, name: 'op.sid' }));
  state.router = openidProvider({
    opEndpoint: endpoint,
    store,
    fetcher: createFetcher({ allowLoopback: true, timeoutMs: 2000 }),
    interactionUrl: '/login',
    decide: async (context) => {
      state.contexts.push(context);
      return state.decide(context);
    },
    ...options.provider,
  });
  app.use('/openid', state.router);
  app.get('/', (req, res) => serveOPIdentifier(req, res, { opEndpoint: endpoint, url: `${base}/` }));
  app.get('/user/:name', (req, res) => serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${base}/user/${req.params.name}` }));
  app.get('/delegated/:name', (req, res) =>
    serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${base}/delegated/${req.params.name}`, localId: `${base}/user/${req.params.name}` }),
  );
  app.get('/v1/:name', (_req, res) => {
    res.type('html').send(`<html><head><link rel="openid.server" href="${escapeHTML(endpoint)}"></head><body>1.x only</body></html>`);
  });
  app.get('/login', async (req, res) => {
    protectFromFraming(res);
    const details = state.router.interactionDetails(req, req.query.interaction);
    if (details === undefined) {
      res.status(400).send('unknown interaction');
      return;
    }
    // With ?verify=1 the page asks for relying party discovery, as a consent page would.
    const verified = req.query.verify === '1' ? `<p class="verified">${String(await details.returnToVerified())}</p>` : '';
    res.type('html').send(
      `<form method="post" action="/login"><input type="hidden" name="interaction" value="${escapeHTML(details.id)}">` +
        `<input type="hidden" name="csrf" value="${escapeHTML(details.csrfToken)}"><p>${escapeHTML(details.realm)}</p>${verified}<button name="approve" value="1">Allow</button></form>`,
    );
  });
  app.post('/login', express.urlencoded({ extended: false }), async (req, res, next) => {
    try {
      const body = req.body as Record<string, string>;
      const approve = body.approve === '1';
      if (approve) await regenerateSession(req);
      const decision: Decision = approve ? { type: 'allow', identity: `${base}/user/alice` } : { type: 'deny' };
      await state.router.resume(req, res, { interactionId: body.interaction, csrfToken: body.csrf, decision });
    } catch (error) {
      next(error);
    }
  });
  return state;
}
