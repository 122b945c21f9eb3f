// The example OpenID provider: accounts, sign-in, a consent page listing
// the requested profile attributes, remembered decisions, identity pages and
// the OP identifier for identifier select.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import session from 'express-session';
import { createFetcher, requestedProfile } from 'openid2-core';
import { openidProvider, protectFromFraming, serveIdentity, serveOPIdentifier } from 'openid-provider-express';
import { SqliteStore } from 'openid-store-sql/sqlite';
import { PostgresStore } from 'openid-store-sql/postgres';
import { MysqlStore } from 'openid-store-sql/mysql';
import { Accounts } from './accounts.mjs';
import { escape, page } from '../shared/style.mjs';

const FIELD_LABELS = { email: 'Email address', nickname: 'Nickname', fullname: 'Full name', firstName: 'First name', lastName: 'Last name' };

/** The association and nonce store: SQLite by default, or the database OPENID_STORE_URL names. */
async function makeStore(storeUrl, dataDir) {
  if (storeUrl === undefined || storeUrl === '') return new SqliteStore({ filename: join(dataDir, 'openid-store.db') });
  if (storeUrl.startsWith('postgres')) return new PostgresStore({ url: storeUrl });
  if (storeUrl.startsWith('mysql')) return new MysqlStore({ url: storeUrl });
  if (storeUrl.startsWith('redis')) {
    const { RedisStore } = await import('openid-store-redis');
    return new RedisStore({ url: storeUrl });
  }
  throw new Error(`Unsupported OPENID_STORE_URL ${storeUrl}`);
}

export const DEMO = { name: 'demo', password: 'demo-password', email: 'demo@example.com', fullname: 'Zoë Demo', nickname: 'zoë' };

/**
 * @param {{ baseUrl: string, dataDir: string, storeUrl?: string, sessionSecret?: string }} options
 */
export async function createApp(options) {
  const base = options.baseUrl.replace(/\/$/, '');
  const endpoint = `${base}/openid`;
  mkdirSync(options.dataDir, { recursive: true });
  const accounts = new Accounts(join(options.dataDir, 'accounts.db'));
  if (!accounts.has(DEMO.name)) await accounts.create(DEMO.name, DEMO.password, DEMO);
  const store = await makeStore(options.storeUrl, options.dataDir);
  const userUrl = (name) => `${base}/user/${encodeURIComponent(name)}`;

  const app = express();
  app.use(session({ secret: options.sessionSecret ?? 'example provider secret', resave: false, saveUninitialized: false, name: 'provider.sid', cookie: { sameSite: 'lax', httpOnly: true } }));
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));

  const provider = openidProvider({
    endpoint,
    store,
    // The demo runs on 127.0.0.1, so relying party discovery must reach loopback.
    fetcher: createFetcher({ allowLoopback: true, timeoutMs: 5000 }),
    interactionUrl: '/consent',
    decide: async ({ req, request, realm, requested }) => {
      const user = req.session.user;
      if (user === undefined) return { type: 'interact' };
      const identity = userUrl(user);
      if (!request.idSelect && request.identity !== identity) return { type: 'interact' };
      const remembered = accounts.remembered(user, realm);
      if (remembered === undefined) return { type: 'interact' };
      const profile = accounts.profile(user);
      const wanted = [...requested.required, ...requested.optional].filter((field) => remembered.includes(field));
      return { type: 'allow', identity, profile: Object.fromEntries(wanted.map((field) => [field, profile[field]]).filter(([, value]) => value !== undefined)) };
    },
  });
  app.use('/openid', provider);

  const nav = (req) =>
    req.session.user === undefined
      ? '<a href="/login">Sign in</a>'
      : `Signed in as <a href="${escape(userUrl(req.session.user))}">${escape(req.session.user)}</a> <form method="post" action="/logout" style="display:inline"><button>Sign out</button></form>`;

  app.get('/', (req, res) => {
    if (req.query.format === 'xrds' || (req.get('accept') ?? '').includes('application/xrds+xml')) {
      return serveOPIdentifier(req, res, { endpoint, url: `${base}/` });
    }
    const xrdsUrl = `${base}/?format=xrds`;
    res.setHeader('X-XRDS-Location', xrdsUrl);
    return res.type('html').send(
      page(
        'Example OpenID provider',
        `<section class="card"><p>This site is an OpenID 2.0 provider. Relying parties can use <code>${escape(base)}/</code> to let you choose your identity here, or your own identifier <code>${escape(userUrl(req.session.user ?? DEMO.name))}</code>.</p></section>`,
        { nav: nav(req), head: `<meta http-equiv="X-XRDS-Location" content="${escape(xrdsUrl)}">` },
      ),
    );
  });

  app.get('/user/:name', (req, res) => {
    const profile = accounts.profile(req.params.name);
    if (profile === undefined) return res.status(404).type('html').send(page('No such user', '<p>There is no such user.</p>'));
    return serveIdentity(req, res, { endpoint, claimedId: userUrl(profile.name), title: `${profile.name} at the example provider`, body: `<h1>${escape(profile.nickname ?? profile.name)}</h1><p>This is an OpenID identifier.</p>` });
  });

  app.get('/login', (req, res) => {
    protectFromFraming(res);
    const interaction = typeof req.query.interaction === 'string' ? req.query.interaction : '';
    const error = req.query.error === '1' ? '<p class="notice error">Wrong name or password.</p>' : '';
    res.type('html').send(page('Sign in', `${error}<form class="card" method="post" action="/login">
      <input type="hidden" name="interaction" value="${escape(interaction)}">
      <label>Name <input type="text" name="name" autocomplete="username" required></label>
      <label>Password <input type="password" name="password" autocomplete="current-password" required></label>
      <button type="submit">Sign in</button></form>`, { nav: nav(req) }));
  });

  app.post('/login', async (req, res, next) => {
    try {
      const profile = await accounts.verify(req.body.name ?? '', req.body.password ?? '');
      const interaction = typeof req.body.interaction === 'string' ? req.body.interaction : '';
      if (profile === undefined) return res.redirect(303, `/login?error=1${interaction ? `&interaction=${encodeURIComponent(interaction)}` : ''}`);
      // Keep pending sign-in requests across the new session id.
      const pending = req.session.openidInteractions;
      await new Promise((resolve, reject) => req.session.regenerate((error) => (error ? reject(error) : resolve())));
      req.session.user = profile.name;
      if (pending !== undefined) req.session.openidInteractions = pending;
      return res.redirect(303, interaction ? `/consent?interaction=${encodeURIComponent(interaction)}` : '/');
    } catch (error) {
      return next(error);
    }
  });

  app.post('/logout', (req, res) => req.session.destroy(() => res.redirect(303, '/')));

  app.get('/consent', async (req, res) => {
    protectFromFraming(res);
    const details = provider.interactionDetails(req, req.query.interaction);
    if (details === undefined) return res.status(400).type('html').send(page('Sign-in request not found', '<p class="notice error">This sign-in request expired or was already answered. Go back to the site you came from and try again.</p>'));
    if (req.session.user === undefined) return res.redirect(303, `/login?interaction=${encodeURIComponent(details.id)}`);
    const identity = details.request.idSelect ? userUrl(req.session.user) : details.request.identity;
    const mismatch = identity !== userUrl(req.session.user);
    const profile = accounts.profile(req.session.user);
    const { required, optional } = requestedProfile(details.request.message);
    const fields = [...required, ...optional]
      .filter((field) => FIELD_LABELS[field] !== undefined)
      .map((field) => `<label><input type="checkbox" name="field" value="${field}" ${required.includes(field) ? 'checked' : ''}> ${FIELD_LABELS[field]}: <strong>${escape(profile[field] ?? '(none)')}</strong>${required.includes(field) ? ' (required by the site)' : ''}</label>`)
      .join('');
    const warning = (await details.returnToVerified()) ? '' : '<p class="notice warning">This site did not confirm its return address through relying party discovery. Make sure you trust it.</p>';
    const body = mismatch
      ? `<p class="notice error">The site asked about <code>${escape(identity)}</code>, but you are signed in as ${escape(req.session.user)}.</p>`
      : `<p>Sign in to <strong>${escape(details.realm)}</strong> as <code>${escape(identity)}</code>?</p>${warning}${fields ? `<p>The site asks for:</p>${fields}` : ''}
        <label><input type="checkbox" name="always" value="1"> Always allow this site</label>`;
    return res.type('html').send(page('Allow sign-in?', `<form class="card" method="post" action="/consent">
      <input type="hidden" name="interaction" value="${escape(details.id)}"><input type="hidden" name="csrf" value="${escape(details.csrfToken)}">
      ${body}
      <p>${mismatch ? '' : '<button type="submit" name="decision" value="allow">Allow</button>'}<button type="submit" name="decision" value="deny">Deny</button></p></form>`, { nav: nav(req) }));
  });

  app.post('/consent', async (req, res, next) => {
    try {
      const details = provider.interactionDetails(req, req.body.interaction);
      const user = req.session.user;
      let decision = { type: 'deny' };
      if (req.body.decision === 'allow' && details !== undefined && user !== undefined) {
        const identity = userUrl(user);
        if (details.request.idSelect || details.request.identity === identity) {
          const chosen = [].concat(req.body.field ?? []).filter((field) => FIELD_LABELS[field] !== undefined);
          if (req.body.always === '1') accounts.remember(user, details.realm, chosen);
          const profile = accounts.profile(user);
          decision = { type: 'allow', identity, profile: Object.fromEntries(chosen.map((field) => [field, profile[field]]).filter(([, value]) => value !== undefined)) };
        }
      }
      await provider.resume(req, res, { interactionId: req.body.interaction, csrfToken: req.body.csrf, decision });
    } catch (error) {
      next(error);
    }
  });

  return {
    app,
    close: async () => {
      await store.close();
      accounts.close();
    },
  };
}

