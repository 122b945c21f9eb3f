/**
 * 20.10: both routers in plain `connect` apps (express-session and
 * body-parser, no Express): the relying party signs in at the provider
 * through discovery, an association, the provider's interaction round trip
 * (consent page, resume) and the return, end to end over HTTP.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import bodyParser from 'body-parser';
import connect from 'connect';
import type { Request, Response } from 'express';
import session from 'express-session';
import { CookieClient, readForm } from 'openid-test-helpers';
import { createFetcher, escapeHTML, MemoryStore } from 'openid2-core';
import { identityLinks, openidProvider } from 'openid-provider-express';
import { loginCsrfField, openidConsumer } from '../src/index.js';

type Session = Record<string, unknown> & { openid?: unknown; user?: string };
type Req = IncomingMessage & { session: Session; body?: Record<string, string> };

interface Running {
  base: string;
  close(): Promise<void>;
}

/** Serves a connect app on 127.0.0.1; every request is checked to carry no Express helpers. */
async function serve(build: (base: string) => connect.Server, expressFree: boolean[]): Promise<Running> {
  let app: connect.Server | undefined;
  const server: Server = createServer((req, res) => {
    expressFree.push(typeof (req as Partial<Request>).get !== 'function' && typeof (res as Partial<Response>).redirect !== 'function');
    app?.(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app = build(base);
  return {
    base,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function html(res: ServerResponse, body: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end(body);
}

const fetcher = createFetcher({ allowLoopback: true, timeoutMs: 3000 });
const expressFree: boolean[] = [];
let op: Running;
let rp: Running;

beforeAll(async () => {
  op = await serve((base) => {
    const app = connect();
    const endpoint = `${base}/openid`;
    app.use(session({ secret: 'op', resave: false, saveUninitialized: false, name: 'op.sid' }) as unknown as connect.NextHandleFunction);
    app.use(bodyParser.urlencoded({ extended: false }));
    const router = openidProvider({
      opEndpoint: endpoint,
      store: new MemoryStore(),
      fetcher,
      interactionUrl: '/consent',
      decide: async ({ req }) => ((req.session as unknown as Session).user === undefined ? { type: 'interact' } : { type: 'allow', identity: `${base}/user/alice` }),
    });
    app.use('/openid', router as unknown as connect.NextHandleFunction);
    app.use('/user', (_req: IncomingMessage, res: ServerResponse) => html(res, `<html><head>${identityLinks(endpoint)}</head><body>alice</body></html>`));
    app.use('/consent', (req: IncomingMessage, res: ServerResponse, next: connect.NextFunction) => {
      const request = req as Req;
      if (request.method === 'GET') {
        const id = new URL(request.url ?? '/', base).searchParams.get('interaction');
        const details = router.interactionDetails(request as unknown as Request, id);
        if (details === undefined) return html(res, 'unknown');
        return html(res, `<form method="post" action="/consent"><input type="hidden" name="interaction" value="${escapeHTML(details.id)}"><input type="hidden" name="csrf" value="${escapeHTML(details.csrfToken)}"><p>${escapeHTML(details.realm)}</p></form>`);
      }
      request.session.user = 'alice';
      const { interaction, csrf } = request.body ?? {};
      router
        .resume(request as unknown as Request, res as unknown as Response, {
          interactionId: interaction,
          csrfToken: csrf,
          decision: { type: 'allow', identity: `${base}/user/alice`, profile: { email: 'alice@example.com' } },
        })
        .catch(next);
    });
    return app;
  }, expressFree);
  rp = await serve((base) => {
    const app = connect();
    app.use(session({ secret: 'rp', resave: false, saveUninitialized: false, name: 'rp.sid' }) as unknown as connect.NextHandleFunction);
    app.use(bodyParser.urlencoded({ extended: false }));
    const router = openidConsumer({ baseUrl: `${base}/openid`, fetcher, store: new MemoryStore(), successRedirect: '/me', failureRedirect: '/failed', profile: { required: ['email'] } });
    app.use('/openid', router as unknown as connect.NextHandleFunction);
    app.use('/form', (req: IncomingMessage, res: ServerResponse) =>
      html(res, `<form method="post" action="/openid/login">${loginCsrfField(req as unknown as Request)}<input type="hidden" name="returnTo" value="/back"></form>`),
    );
    app.use('/me', (req: IncomingMessage, res: ServerResponse) => {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify((req as Req).session.openid ?? null));
    });
    return app;
  }, expressFree);
});
afterAll(async () => {
  await rp.close();
  await op.close();
});

test('20.10: relying party and provider routers under connect: discovery, association, consent round trip, return, session', async () => {
  const client = new CookieClient();
  const form = readForm((await client.get(`${rp.base}/form`)).body);
  const start = await client.post(`${rp.base}/openid/login`, { ...Object.fromEntries(form.fields), openid_identifier: `${op.base}/user/alice` });
  expect(start.status).toBe(303);
  const checkid = new URL(start.location as string);
  expect(checkid.origin).toBe(op.base);
  expect(checkid.searchParams.get('openid.assoc_handle')).not.toBeNull();
  const toConsent = await client.get(checkid.href, true);
  expect(toConsent.status).toBe(303);
  const consent = readForm((await client.get(new URL(toConsent.location as string, op.base).href)).body);
  const answer = await client.post(`${op.base}/consent`, Object.fromEntries(consent.fields));
  expect([302, 303]).toContain(answer.status);
  expect(answer.location?.startsWith(`${rp.base}/openid/return?`)).toBe(true);
  const back = await client.get(answer.location as string, true);
  expect(back.location).toBe(`${rp.base}/back`);
  expect(JSON.parse((await client.get(`${rp.base}/me`)).body)).toMatchObject({
    claimedId: `${op.base}/user/alice`,
    opEndpoint: `${op.base}/openid`,
    profile: { email: 'alice@example.com' },
    profileSources: { email: expect.stringMatching(/^(sreg|ax)$/) },
  });
  expect(expressFree.length).toBeGreaterThan(5);
  expect(expressFree.every(Boolean)).toBe(true);
});

test('20.10: under connect, a refused login is answered by the router (403 page), not a crash', async () => {
  const client = new CookieClient();
  const refused = await client.post(`${rp.base}/openid/login`, { openid_identifier: `${op.base}/user/alice`, openid_csrf: 'wrong' });
  expect(refused.status).toBe(403);
  expect(refused.body).toContain('csrf_failed');
  const bad = await client.post(`${rp.base}/openid/login`, { returnTo: '//evil.example/' });
  expect(bad.location).toBe(`${rp.base}/failed?openid_error=invalid_return_to`);
});
