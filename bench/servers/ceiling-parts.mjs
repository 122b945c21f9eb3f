// Case 1 taken apart (bench/case1-parts.mjs): Express answering with the
// provider's own redirect, without any OpenID work.
//   GET /redirect  behind express-session: the short redirect of the ceiling
//   GET /same      behind express-session: the provider's 750-byte Location
//                  and its headers (framing, no-store), written as ours writes them
//   GET /mounted   the same answer behind the structure of the bench provider:
//                  an app-level middleware in front of the session, a sub-app
//                  mount, an async handler that reads the query
// OPENID_BENCH_LOCATION: the Location to answer with.
import express from 'express';
import { announce, listen, sessionMiddleware } from './session-store.mjs';

const location = process.env.OPENID_BENCH_LOCATION ?? 'http://rp.example/return';
const app = express();
app.disable('x-powered-by');
const sessions = await sessionMiddleware('op.sid');
const server = await listen(app, () => sessions.close());

function sameAnswer(res) {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  res.statusCode = 302;
  res.setHeader('cache-control', 'no-store');
  res.setHeader('pragma', 'no-cache');
  res.setHeader('location', location);
  res.setHeader('Content-Length', 0);
  res.end();
}

app.get('/redirect', sessions.middleware, (req, res) => {
  res.redirect(302, `http://rp.example/return?state=${encodeURIComponent(String(req.query.state ?? ''))}`);
});
app.get('/same', sessions.middleware, (_req, res) => sameAnswer(res));

const mounted = express();
mounted.use((req, res, next) => (req.method === 'POST' && req.headers.cookie === undefined ? next() : sessions.middleware(req, res, next)));
mounted.use('/mounted', async (req, res, next) => {
  if (req.path !== '/') return next();
  const query = req.originalUrl.indexOf('?');
  await Promise.resolve(new URLSearchParams(query < 0 ? '' : req.originalUrl.slice(query + 1)));
  sameAnswer(res);
});
app.use(mounted);

announce(server);
