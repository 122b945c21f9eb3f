// The example relying party: sign in with any OpenID identifier, with the
// example provider (identifier select), or through Steam.
import express from 'express';
import session from 'express-session';
import { createFetcher, MemoryDiscoveryCache, steamPreset } from 'openid2-core';
import { loginCsrfField, openidConsumer } from 'openid-consumer-express';
import { escape, page } from '../shared/style.mjs';

const MESSAGES = {
  cancel: 'You cancelled the sign-in at your provider.',
  setup_needed: 'Your provider needs you to sign in there first.',
  missing_identifier: 'Enter an OpenID identifier.',
  discovery_failed: 'No OpenID provider could be found for that identifier.',
  csrf_failed: 'The sign-in form expired or did not come from this site. Please try again.',
};

/**
 * @param {{ baseUrl: string, providerUrl: string, sessionSecret?: string }} options
 */
export function createApp(options) {
  const base = options.baseUrl.replace(/\/$/, '');
  const app = express();
  app.use(session({ secret: options.sessionSecret ?? 'example relying party secret', resave: false, saveUninitialized: false, name: 'rp.sid', cookie: { sameSite: 'lax', httpOnly: true } }));
  // The demo's provider runs on 127.0.0.1, so discovery must be allowed to reach loopback.
  const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 8000 });
  const common = {
    fetcher,
    discoveryCache: new MemoryDiscoveryCache(),
    successRedirect: '/profile',
    failureRedirect: '/',
    profile: { required: ['email'], optional: ['nickname', 'fullname'] },
  };
  const openid = openidConsumer({ ...common, baseUrl: `${base}/openid` });
  app.use('/openid', openid);
  app.use('/with-provider', openidConsumer({ ...common, baseUrl: `${base}/with-provider`, opIdentifier: `${options.providerUrl.replace(/\/$/, '')}/` }));
  const steam = steamPreset({ origin: base });
  app.use('/steam', openidConsumer({ ...common, profile: undefined, baseUrl: `${base}/steam`, opIdentifier: steam.opIdentifier, consumer: steam.consumer }));

  const nav = (req) => (req.session.openid ? '<form method="post" action="/logout" style="display:inline"><button>Sign out</button></form>' : '');

  app.get('/', openid.realmDiscovery, (req, res) => {
    const reason = typeof req.query.openid_error === 'string' ? req.query.openid_error : undefined;
    const notice = reason === undefined ? '' : `<p class="notice error">${escape(MESSAGES[reason] ?? 'The sign-in failed.')} <small>(reason: <code>${escape(reason)}</code>)</small></p>`;
    if (req.session.openid) return res.redirect(303, '/profile');
    res.type('html').send(page('Example relying party', `${notice}
      <form class="card" method="post" action="/openid/login">
        ${loginCsrfField(req)}
        <label>Your OpenID identifier <input type="text" name="openid_identifier" placeholder="https://provider.example/user/you" required></label>
        <button type="submit">Sign in</button>
      </form>
      <section class="card"><p>Or sign in with:</p>
        <form method="post" action="/with-provider/login" style="display:inline"><button type="submit">The example provider</button></form>
        <form method="post" action="/steam/login" style="display:inline"><button type="submit">Sign in through Steam</button></form>
      </section>`, { nav: nav(req) }));
  });

  app.get('/profile', (req, res) => {
    const data = req.session.openid;
    if (!data) return res.redirect(303, '/');
    const profile = data.profile ?? {};
    const rows = Object.entries(profile).map(([key, value]) => `<dt>${escape(key)}</dt><dd>${escape(value)}</dd>`).join('');
    res.type('html').send(page('Signed in', `<section class="card"><p class="notice ok">You are signed in.</p><dl>
      <dt>Claimed identifier</dt><dd><code id="claimed-id">${escape(data.claimedId)}</code></dd>
      <dt>Provider</dt><dd><code>${escape(data.opEndpoint)}</code></dd>
      ${data.steamId ? `<dt>SteamID64</dt><dd>${escape(data.steamId)}</dd>` : ''}
      ${rows}</dl><p><small>Profile values are shown only when your provider signed them.</small></p></section>`, { nav: nav(req) }));
  });

  app.post('/logout', (req, res) => req.session.destroy(() => res.redirect(303, '/')));
  return { app };
}
