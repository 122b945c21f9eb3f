// Scenario (b): a CommonJS relying party on Express 4, installed from the
// tarballs: require() of the ESM packages (Node 20.19+), the router under
// Express 4, a login against the test's provider.
'use strict';
const express = require('express');
const session = require('express-session');
const { loginCsrfField, openidConsumer } = require('openid-consumer-express');
const { createFetcher, MemoryStore } = require('openid2-core');

const expressVersion = require('express/package.json').version;
if (!expressVersion.startsWith('4.')) throw new Error(`expected Express 4, found ${expressVersion}`);

const origin = process.env.ORIGIN;
const app = express();
app.use(session({ secret: 'packaging test', resave: false, saveUninitialized: false }));
const openid = openidConsumer({
  baseUrl: `${origin}/openid`,
  store: new MemoryStore(),
  fetcher: createFetcher({ allowPrivateAddresses: true }),
  successRedirect: '/profile',
  failureRedirect: '/login',
});
app.use('/openid', openid);
app.get('/form', (req, res) => res.send(`<form method="post" action="/openid/login">${loginCsrfField(req)}<input name="openid_identifier"></form>`));
app.get('/profile', (req, res) => res.json({ express: expressVersion, openid: req.session.openid || null }));
app.get('/login', (req, res) => res.status(401).json({ error: req.query.openid_error }));
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
