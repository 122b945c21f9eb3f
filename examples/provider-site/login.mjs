// Sign-in and sign-out at the example provider. The sign-in page says which
// site is asking (its realm, and whether its return URL was verified); a
// wrong password keeps the name; failed sign-ins are rate limited per
// account and per address (express-rate-limit).
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import { protectFromFraming, regenerateSession } from 'openid-provider-express';
import { noStore } from '../shared/http.mjs';
import { escape, page } from '../shared/style.mjs';

/** @default 10 failed sign-ins per account and 50 per address in 15 minutes */
export const DEFAULT_LOGIN_LIMIT = { windowMs: 15 * 60_000, perAccount: 10, perAddress: 50 };

/**
 * Who is asking, for the sign-in page of a pending OpenID request. Whether
 * the site's return URL is verified (relying party discovery, a fetch of the
 * realm's XRDS) is shown on the consent page, once the user is signed in: an
 * unauthenticated page view must not make the provider fetch whatever URL a
 * request named as its realm.
 */
export function askingSite(details) {
  if (details === undefined) return '';
  return `<section class="card"><p><strong>${escape(details.realm)}</strong> asks you to sign in with your OpenID.</p><p><small>Its return address is checked once you have signed in.</small></p></section>`;
}

function loginPage(site, req, { interaction = '', name = '', error = '' } = {}) {
  const details = interaction === '' ? undefined : site.provider.interactionDetails(req, interaction);
  return page('Sign in', `${error ? `<p class="notice error">${escape(error)}</p>` : ''}${askingSite(details)}<form class="card" method="post" action="/login">
    <input type="hidden" name="interaction" value="${escape(interaction)}">
    <label>Name <input type="text" name="name" value="${escape(name)}" autocomplete="username" required ${name ? '' : 'autofocus'}></label>
    <label>Password <input type="password" name="password" autocomplete="current-password" required ${name ? 'autofocus' : ''}></label>
    <button type="submit">Sign in</button></form>`, { nav: site.nav(req, 'login') });
}

/** Two limiters counting failed sign-ins only: one by account name, one by client address. */
function loginLimiters(limit) {
  const common = {
    windowMs: limit.windowMs,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    skipSuccessfulRequests: true,
    requestWasSuccessful: (req, res) => res.locals.signedIn === true,
    handler: (req, res) => {
      res.status(429).type('html').send(page('Too many attempts', '<p class="notice error">Too many failed sign-ins. Wait a few minutes and try again.</p><p><a href="/">Back to the provider</a></p>'));
    },
  };
  return [
    rateLimit({ ...common, limit: limit.perAddress, keyGenerator: (req) => `address:${ipKeyGenerator(req.ip ?? '')}` }),
    rateLimit({ ...common, limit: limit.perAccount, keyGenerator: (req) => `account:${String(req.body?.name ?? '').trim().toLowerCase()}` }),
  ];
}

/**
 * @param {import('express').Express} app
 * @param {{ accounts: import('./accounts.mjs').Accounts, provider: import('openid-provider-express').ProviderRouter, nav: Function }} site
 * @param {typeof DEFAULT_LOGIN_LIMIT} limit
 */
export function loginRoutes(app, site, limit = DEFAULT_LOGIN_LIMIT) {
  app.get('/login', noStore, (req, res) => {
    protectFromFraming(res);
    const interaction = typeof req.query.interaction === 'string' ? req.query.interaction : '';
    if (req.session.user !== undefined && interaction === '') return res.redirect(303, '/account');
    return res.type('html').send(loginPage(site, req, { interaction }));
  });

  app.post('/login', noStore, ...loginLimiters(limit), async (req, res, next) => {
    try {
      protectFromFraming(res);
      const name = typeof req.body.name === 'string' ? req.body.name : '';
      const interaction = typeof req.body.interaction === 'string' ? req.body.interaction : '';
      const profile = await site.accounts.verify(name, req.body.password ?? '');
      if (profile === undefined) return res.status(401).type('html').send(loginPage(site, req, { interaction, name, error: 'Wrong name or password.' }));
      res.locals.signedIn = true;
      // A new session id at sign-in (no session fixation); pending sign-in requests come along.
      await regenerateSession(req);
      req.session.user = profile.name;
      return res.redirect(303, interaction ? `/consent?interaction=${encodeURIComponent(interaction)}` : '/account');
    } catch (error) {
      return next(error);
    }
  });

  app.post('/logout', (req, res) => req.session.destroy(() => res.redirect(303, '/')));

  // Someone who types /logout gets a button (signing out takes a POST), or the home page.
  app.get('/logout', noStore, (req, res) => {
    if (req.session.user === undefined) return res.redirect(303, '/');
    return res.type('html').send(page('Sign out', `<form class="card" method="post" action="/logout"><p>You are signed in as ${escape(req.session.user)}.</p><button type="submit">Sign out</button> <a href="/account">Back to your account</a></form>`, { nav: site.nav(req) }));
  });
}
