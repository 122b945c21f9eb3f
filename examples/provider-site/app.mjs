// The example OpenID provider: accounts, sign-in, a consent page listing
// the requested profile attributes, remembered decisions (revocable on the
// account page), identity pages and the OP identifier for identifier select.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import { createFetcher } from 'openid2-core';
import { openidProvider, serveIdentity, serveOPIdentifier } from 'openid-provider-express';
import { Accounts } from './accounts.mjs';
import { accountRoutes } from './account.mjs';
import { consentRoutes } from './consent.mjs';
import { DEFAULT_LOGIN_LIMIT, loginRoutes } from './login.mjs';
import { makeStore } from './openid-store.mjs';
import { noStore } from '../shared/http.mjs';
import { useSessions } from '../shared/session.mjs';
import { escape, frame, page } from '../shared/style.mjs';

export const DEMO = { name: 'demo', password: 'demo-password', email: 'demo@example.com', fullname: 'Zoë Demo', nickname: 'zoë' };

/** The decision hook: allow at once when the signed-in user always allows this site, else show the consent page. */
function decide(accounts, userUrl) {
  return async ({ req, request, realm, requested }) => {
    const user = req.session.user;
    if (user === undefined) return { type: 'interact' };
    const identity = userUrl(user);
    if (!request.idSelect && request.identity !== identity) return { type: 'interact' };
    const remembered = accounts.remembered(user, realm);
    if (remembered === undefined) return { type: 'interact' };
    const profile = accounts.profile(user);
    const wanted = [...requested.required, ...requested.optional].filter((field) => remembered.includes(field));
    return { type: 'allow', identity, profile: Object.fromEntries(wanted.map((field) => [field, profile[field]]).filter(([, value]) => value !== undefined)) };
  };
}

/** The navigation: "Sign in" except on the sign-in page; when signed in, the account page and a sign-out button. */
function navigation(userUrl) {
  return (req, current) => {
    const user = req.session.user;
    if (user === undefined) return current === 'login' ? '' : '<a href="/login">Sign in</a>';
    const account = current === 'account' ? '' : ' · <a href="/account">Your account</a>';
    return `Signed in as <a href="${escape(userUrl(user))}">${escape(user)}</a>${account} <form method="post" action="/logout" style="display:inline"><button>Sign out</button></form>`;
  };
}

/**
 * @param {{ baseUrl: string, dataDir: string, storeUrl?: string, storePrefix?: string, sessionSecret?: string, trustProxy?: string | number | boolean, loginLimit?: typeof DEFAULT_LOGIN_LIMIT }} options
 */
export async function createApp(options) {
  const base = options.baseUrl.replace(/\/$/, '');
  const endpoint = `${base}/openid`;
  mkdirSync(options.dataDir, { recursive: true });
  const app = express();
  const sessions = useSessions(app, {
    name: 'provider.sid',
    baseUrl: base,
    dataDir: options.dataDir,
    storeUrl: options.storeUrl,
    prefix: `${options.storePrefix ?? ''}provider_`,
    secret: options.sessionSecret,
    trustProxy: options.trustProxy,
  });
  // Sessions first: a bad secret or an unreachable database fails here, before anything else is opened.
  await sessions.ready;
  const accounts = new Accounts(join(options.dataDir, 'accounts.db'));
  if (!accounts.has(DEMO.name)) await accounts.create(DEMO.name, DEMO.password, DEMO);
  const store = await makeStore({ storeUrl: options.storeUrl, dataDir: options.dataDir, prefix: options.storePrefix });
  const userUrl = (name) => `${base}/user/${encodeURIComponent(name)}`;
  app.use(express.urlencoded({ extended: false, limit: '16kb' }));

  const provider = openidProvider({
    opEndpoint: endpoint,
    store,
    // The demo runs on 127.0.0.1, so relying party discovery must reach loopback.
    fetcher: createFetcher({ allowLoopback: true, timeoutMs: 5000 }),   // relying parties on 127.0.0.1 in development; private networks stay refused
    interactionUrl: '/consent',
    decide: decide(accounts, userUrl),
  });
  const nav = navigation(userUrl);
  const site = { accounts, provider, userUrl, nav };

  // A person who opens the endpoint itself gets a page of this site, not the library's bare one.
  app.get('/openid', (req, res, next) => {
    if (req.query['openid.mode'] !== undefined) return next();
    return res.status(400).type('html').send(page('OpenID provider endpoint', `<section class="card"><p>This address is where relying parties send OpenID requests; there is nothing to see here.</p><p><a href="/">Provider home</a></p></section>`, { nav: nav(req) }));
  });
  app.use('/openid', provider);

  app.get('/', noStore, (req, res) => {
    if (req.query.format === 'xrds' || (req.get('accept') ?? '').includes('application/xrds+xml')) {
      return serveOPIdentifier(req, res, { opEndpoint: endpoint, url: `${base}/` });
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
    if (profile === undefined) return res.status(404).type('html').send(page('No such user', '<section class="card"><p>There is no such user.</p><p><a href="/">Provider home</a></p></section>', { nav: nav(req) }));
    const title = `${profile.nickname ?? profile.name}`;
    const body = frame(title, `<section class="card"><p>This page is an OpenID identifier: <code>${escape(userUrl(profile.name))}</code>. Give it to a relying party to sign in as ${escape(profile.name)}.</p><p><a href="/">Provider home</a></p></section>`, { nav: nav(req) });
    return serveIdentity(req, res, { opEndpoint: endpoint, claimedId: userUrl(profile.name), title: `${profile.name} at the example provider`, body });
  });

  loginRoutes(app, site, options.loginLimit);
  consentRoutes(app, site);
  accountRoutes(app, site);

  return {
    app,
    close: async () => {
      await sessions.close();
      await store.close();
      accounts.close();
    },
  };
}
