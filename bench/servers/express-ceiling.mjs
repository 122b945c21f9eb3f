// The framework ceiling: what Express itself costs for the shapes of the
// provider's requests, with nothing of OpenID in them.
//   GET  /redirect  behind express-session: a short redirect (case 1)
//   POST /kv        urlencoded body parsed, a short key-value answer (case 2)
import express from 'express';
import { announce, listen, sessionMiddleware } from './session-store.mjs';

const app = express();
app.disable('x-powered-by');
const sessions = await sessionMiddleware('op.sid');
const server = await listen(app, () => sessions.close());

app.get('/redirect', sessions.middleware, (req, res) => {
  res.redirect(302, `http://rp.example/return?state=${encodeURIComponent(String(req.query.state ?? ''))}`);
});
app.post('/kv', express.urlencoded({ extended: false, limit: '64kb' }), (req, res) => {
  const valid = typeof req.body['openid.sig'] === 'string';
  res.type('text/plain').send(`ns:http://specs.openid.net/auth/2.0\nis_valid:${valid}\n`);
});

announce(server);
