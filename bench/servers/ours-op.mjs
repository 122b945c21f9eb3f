// The provider under test: openid-provider-express over openid2-core.
// OPENID_BENCH_MODE=allow: the decision hook allows at once (case 1);
// OPENID_BENCH_MODE=login: the user signs in through a form first (case 5).
// Counts the requests that discovery and association make (case 6), and
// makes pools of stateless assertions in process (case 2).
import express from 'express';
import { OPENID2_NS, Server } from 'openid2-core';
import { openidProvider, serveIdentity } from 'openid-provider-express';
import { announce, listen, openidStore, sessionMiddleware } from './session-store.mjs';

const mode = process.env.OPENID_BENCH_MODE ?? 'allow';
const { store, close: closeStore } = await openidStore();
const sessions = await sessionMiddleware('op.sid');
const app = express();
app.disable('x-powered-by');
const counters = { discovery: 0, associate: 0, checkid: 0, check_authentication: 0 };

let base;
let endpoint;
const server = await listen(app, async () => {
  await closeStore();
  await sessions.close();
});
base = `http://127.0.0.1:${server.address().port}`;
// Several instances of one provider announce the same endpoint (behind a load balancer).
endpoint = process.env.OPENID_BENCH_ENDPOINT ?? `${base}/openid`;
const site = new URL(endpoint).origin;

// Sessions where a browser is involved: checkid requests (the router's
// `session` option runs the middleware for those only) and the login page.
// Direct requests (associate, check_authentication) come from relying
// parties without cookies: express-session would only make and drop a
// session object for each of them. OPENID_BENCH_SESSION_MOUNT=everywhere
// mounts it in front of everything instead, for the comparison in case 2.
const sessionEverywhere = process.env.OPENID_BENCH_SESSION_MOUNT === 'everywhere';
if (sessionEverywhere) app.use(sessions.middleware);
else app.use('/login', sessions.middleware);
if (mode === 'login') {
  // Counted once the router has read the request (the allow mode measures the router alone).
  app.use('/openid', (req, res, next) => {
    res.on('finish', () => {
      const kind = (req.method === 'POST' ? req.body : req.query)?.['openid.mode'];
      if (kind === 'checkid_setup' || kind === 'checkid_immediate') counters.checkid += 1;
      if (kind === 'associate') counters.associate += 1;
      if (kind === 'check_authentication') counters.check_authentication += 1;
    });
    next();
  });
}

const provider = openidProvider({
  opEndpoint: endpoint,
  store,
  ...(sessionEverywhere ? {} : { session: sessions.middleware }),
  interactionUrl: '/login',
  decide: ({ req, request }) => {
    const user = mode === 'allow' ? 'alice' : req.session.user;
    if (user === undefined) return { type: 'interact' };
    const identity = `${site}/user/${user}`;
    if (!request.idSelect && request.identity !== identity) return { type: 'deny' };
    return { type: 'allow', identity, profile: { email: `${user}@example.com` } };
  },
});
app.use('/openid', provider);

app.get('/user/:name', (req, res) => {
  counters.discovery += 1;
  serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${site}/user/${req.params.name}` });
});

app.get('/login', (req, res) => {
  const details = provider.interactionDetails(req, req.query.interaction);
  if (details === undefined) return res.status(400).send('unknown interaction');
  res.type('html').send(
    `<form method="post" action="/login"><input type="hidden" name="interaction" value="${details.id}">` +
      `<input type="hidden" name="csrf" value="${details.csrfToken}"><input name="user" value=""><button>Sign in</button></form>`,
  );
});
app.post('/login', express.urlencoded({ extended: false }), async (req, res, next) => {
  try {
    const user = String(req.body.user ?? '');
    if (!/^[a-z]{1,32}$/.test(user)) return res.status(400).send('bad user');
    req.session.user = user;
    const identity = `${site}/user/${user}`;
    await provider.resume(req, res, {
      interactionId: req.body.interaction,
      csrfToken: req.body.csrf,
      decision: { type: 'allow', identity, profile: { email: `${user}@example.com` } },
    });
  } catch (error) {
    next(error);
  }
});

app.get('/bench/counters', (_req, res) => res.json(counters));

// CPU profiles of the serving process around a load (bench/profile.mjs).
if (process.env.OPENID_BENCH_PROFILE === '1') {
  const { startProfiling, stopProfiling } = await import('../lib/profiler.mjs');
  app.post('/bench/profile/start', async (_req, res) => {
    await startProfiling();
    res.json({ started: true });
  });
  app.post('/bench/profile/stop', express.json(), async (req, res) => {
    res.json({ file: await stopProfiling(req.body.file) });
  });
}

// Stateless assertions made in process by the same store and endpoint, each
// turned into the check_authentication request a relying party would send.
app.post('/bench/pool', express.json(), async (req, res, next) => {
  try {
    const count = Math.min(Number(req.body.count) || 0, 200_000);
    const core = new Server({ opEndpoint: endpoint, store });
    const rp = req.body.realm ?? 'http://rp.example/';
    const bodies = [];
    for (let i = 0; i < count; i += 1) {
      const request = core.decodeRequest(
        {
          'openid.ns': OPENID2_NS,
          'openid.mode': 'checkid_setup',
          'openid.claimed_id': `${site}/user/alice`,
          'openid.identity': `${site}/user/alice`,
          'openid.return_to': `${rp}return?n=${i}`,
          'openid.realm': rp,
        },
        { secure: false },
      );
      const answer = await request.answer(true);
      const args = answer.message.toPostArgs();
      args['openid.mode'] = 'check_authentication';
      bodies.push(new URLSearchParams(args).toString());
    }
    res.json(bodies);
  } catch (error) {
    next(error);
  }
});

announce(server);
