// The relying party under test: openid-consumer-express over openid2-core,
// asking for the email address. Several instances of one site share
// OPENID_BENCH_BASE (the URL users see) and, with Redis, their stores.
import express from 'express';
import { createFetcher } from 'openid2-core';
import { openidConsumer } from 'openid-consumer-express';
import { announce, listen, openidStore, sessionMiddleware } from './session-store.mjs';

const { store, close: closeStore } = await openidStore();
const sessions = await sessionMiddleware('rp.sid');
const app = express();
app.disable('x-powered-by');
const server = await listen(app, async () => {
  await closeStore();
  await sessions.close();
});
const base = process.env.OPENID_BENCH_BASE ?? `http://127.0.0.1:${server.address().port}`;

app.use(sessions.middleware);
app.use(
  '/openid',
  openidConsumer({
    baseUrl: `${base}/openid`,
    // GET /openid/login (no typed identifier, so no login token) signs in with this identifier.
    opIdentifier: process.env.OPENID_BENCH_IDENTITY,
    store,
    // The provider runs on loopback.
    fetcher: createFetcher({ allowPrivateAddresses: true }),
    allowInsecureHttp: true,
    profile: { required: ['email'] },
    successRedirect: '/profile',
    failureRedirect: '/failed',
  }),
);
app.get('/profile', (req, res) => {
  const login = req.session.openid;
  if (login === undefined) return res.status(401).json({ error: 'not signed in' });
  res.json({ claimedId: login.claimedId, email: login.profile?.email });
});
app.get('/failed', (req, res) => res.json({ error: String(req.query.openid_error ?? 'unknown') }));

announce(server);
