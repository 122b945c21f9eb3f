// The example relying party: sign in with any OpenID identifier, with the
// example provider (identifier select), or through Steam.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createFetcher, MemoryDiscoveryCache, steamIdOf, steamPreset } from 'openid2-core';
import { loginCsrfField, openidConsumer } from 'openid-consumer-express';
import { noStore } from '../shared/http.mjs';
import { useSessions } from '../shared/session.mjs';
import { escape, page } from '../shared/style.mjs';
import { failureMessage } from './messages.mjs';
import { realmDiscovery } from './realm-xrds.mjs';

const DEFAULT_DATA_DIR = fileURLToPath(new URL('./.data', import.meta.url));

/** The identifier typed in the form, kept in the session so the box still holds it after a failure. */
function keepIdentifier(req) {
  const typed = req.body?.openid_identifier;
  if (typeof typed === 'string' && typed.length <= 2048) req.session.typedIdentifier = typed.trim();
}

/**
 * Failure: keep what was typed, then back to the home page with the reason
 * code. A refused request (a sign-in form from elsewhere, an unreadable body:
 * `httpStatus` is set, and already the response's status) keeps its status
 * and nothing it carried: a forged form must not even fill the victim's box.
 */
function onFailure(req, res, result) {
  const reason = result.status === 'failure' ? result.reason : result.status;
  const back = `/?openid_error=${encodeURIComponent(reason)}`;
  if ('httpStatus' in result) {
    return res.type('html').send(page('Sign-in refused', `<section class="card"><p class="notice error">${escape(result.message)} <small>(reason: <code>${escape(reason)}</code>)</small></p>
      <p><a href="${escape(back)}">Continue</a></p></section>`));
  }
  keepIdentifier(req);
  return res.redirect(303, back);
}

function homePage(req) {
  const message = failureMessage(req.query.openid_error);
  const notice = message === undefined ? '' : `<p class="notice error">${escape(message)} <small>(reason: <code>${escape(req.query.openid_error)}</code>)</small></p>`;
  const typed = typeof req.session.typedIdentifier === 'string' ? req.session.typedIdentifier : '';
  return page('Example relying party', `${notice}
      <form class="card" method="post" action="/openid/login">
        ${loginCsrfField(req)}
        <label>Your OpenID identifier <input type="text" name="openid_identifier" value="${escape(typed)}" placeholder="https://provider.example/user/you" required></label>
        <button type="submit">Sign in</button>
      </form>
      <section class="card"><p>Or sign in with:</p>
        <form method="post" action="/with-provider/login" style="display:inline"><button type="submit">The example provider</button></form>
        <form method="post" action="/steam/login" style="display:inline"><button type="submit">Sign in through Steam</button></form>
      </section>`);
}

function profilePage(req, data) {
  const rows = Object.entries(data.profile ?? {}).map(([key, value]) => `<dt>${escape(key)}</dt><dd>${escape(value)}</dd>`).join('');
  return page('Signed in', `<section class="card"><p class="notice ok">You are signed in.</p><dl>
      <dt>Claimed identifier</dt><dd><code id="claimed-id">${escape(data.claimedId)}</code></dd>
      <dt>Provider</dt><dd><code>${escape(data.opEndpoint)}</code></dd>
      ${steamIdOf(data) ? `<dt>SteamID64</dt><dd>${escape(steamIdOf(data))}</dd>` : ''}
      ${rows}</dl><p><small>Profile values are shown only when your provider signed them.</small></p></section>`, { nav: '<form method="post" action="/logout" style="display:inline"><button>Sign out</button></form>' });
}

/**
 * @param {{ baseUrl: string, providerUrl: string, dataDir?: string, storeUrl?: string, storePrefix?: string, sessionSecret?: string, trustProxy?: string | number | boolean }} options
 */
export function createApp(options) {
  const base = options.baseUrl.replace(/\/$/, '');
  const dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
  mkdirSync(dataDir, { recursive: true });
  const app = express();
  const sessions = useSessions(app, {
    name: 'rp.sid',
    baseUrl: base,
    dataDir,
    storeUrl: options.storeUrl,
    prefix: `${options.storePrefix ?? ''}rp_`,
    secret: options.sessionSecret,
    trustProxy: options.trustProxy,
  });
  // The demo's provider runs on 127.0.0.1, so discovery must be allowed to reach loopback.
  const fetcher = createFetcher({ allowLoopback: true, timeoutMs: 8000 });   // the example provider on 127.0.0.1; private networks stay refused
  const common = {
    fetcher,
    discoveryCache: new MemoryDiscoveryCache(),
    successRedirect: '/profile',
    onFailure,
    profile: { required: ['email'], optional: ['nickname', 'fullname'] },
  };
  const openid = openidConsumer({ ...common, baseUrl: `${base}/openid`, extendRequest: (auth, req) => keepIdentifier(req) });
  app.use('/openid', openid);
  app.use('/with-provider', openidConsumer({ ...common, baseUrl: `${base}/with-provider`, opIdentifier: `${options.providerUrl.replace(/\/$/, '')}/` }));
  app.use('/steam', openidConsumer({ ...common, profile: undefined, baseUrl: `${base}/steam`, preset: steamPreset({ origin: base }) }));

  const discovery = realmDiscovery(app, base, ['openid', 'with-provider', 'steam'].map((path) => `${base}/${path}/return`));
  app.get('/', discovery, noStore, (req, res) => {
    if (req.session.openid) return res.redirect(303, '/profile');
    return res.type('html').send(homePage(req));
  });

  app.get('/profile', noStore, (req, res) => {
    const data = req.session.openid;
    if (!data) return res.redirect(303, '/');
    return res.type('html').send(profilePage(req, data));
  });

  app.post('/logout', (req, res) => req.session.destroy(() => res.redirect(303, '/')));
  // Signing out takes a POST (the button); a typed /logout goes home.
  app.get('/logout', (req, res) => res.redirect(303, req.session.openid ? '/profile' : '/'));
  // `ready` settles when the session store is open (requests wait for it anyway).
  return { app, ready: sessions.ready, close: sessions.close };
}
