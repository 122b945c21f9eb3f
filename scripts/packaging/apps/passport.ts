// Scenario (d): the Passport strategy in a TypeScript ESM app, compiled with
// `tsc --strict` and skipLibCheck false: passport.use(new OpenIDStrategy(...))
// without casts, then a login against the test's provider.
import express from 'express';
import session from 'express-session';
import passport from 'passport';
import { createFetcher, MemoryStore } from 'openid2-core';
import { loginCsrfField, OpenIDStrategy } from 'openid-consumer-express';

const origin = process.env.ORIGIN!;
passport.use(
  new OpenIDStrategy({
    returnURL: `${origin}/auth/openid/return`,
    store: new MemoryStore(),
    fetcher: createFetcher({ allowPrivateAddresses: true }),
    verify: async ({ identifier }) => ({ id: identifier }),
  }),
);
passport.serializeUser((user, done) => done(null, user));
passport.deserializeUser((user: Express.User, done) => done(null, user));

const app = express();
app.use(session({ secret: 'packaging test', resave: false, saveUninitialized: false }));
app.use(passport.session());
app.use(express.urlencoded({ extended: false }));
app.get('/auth/login', (req, res) => {
  res.send(`<form method="post" action="/auth/openid">${loginCsrfField(req)}<input name="openid_identifier"></form>`);
});
app.post('/auth/openid', passport.authenticate('openid', { failureRedirect: '/login' }));
const finish = passport.authenticate('openid', { successRedirect: '/profile', failureRedirect: '/login' });
app.get('/auth/openid/return', finish);
app.post('/auth/openid/return', finish);
app.get('/profile', (req, res) => {
  res.json({ user: req.user ?? null });
});
app.get('/login', (_req, res) => {
  res.status(401).json({ error: 'login failed' });
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
