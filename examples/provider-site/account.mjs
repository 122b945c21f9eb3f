// The account page: the user's identifier and the sites always allowed,
// with what each receives, each revocable (the site asks again next time).
import { protectFromFraming } from 'openid-provider-express';
import { formToken, noStore, tokenMatches } from '../shared/http.mjs';
import { escape, page } from '../shared/style.mjs';
import { FIELD_LABELS } from './consent.mjs';

function siteRow(site, token) {
  const fields = site.fields.map((field) => FIELD_LABELS[field] ?? field);
  return `<li><span><strong>${escape(site.realm)}</strong><br><small>receives your identifier${fields.length ? ` and ${escape(fields.join(', '))}` : ' only'}</small></span>
    <form method="post" action="/account/revoke"><input type="hidden" name="realm" value="${escape(site.realm)}"><input type="hidden" name="token" value="${escape(token)}"><button type="submit">Revoke</button></form></li>`;
}

export function accountRoutes(app, site) {
  app.get('/account', noStore, (req, res) => {
    protectFromFraming(res);
    const user = req.session.user;
    if (user === undefined) return res.redirect(303, '/login');
    const sites = site.accounts.sites(user);
    const token = formToken(req);
    // Shown once, from the session (never from the URL, which anyone can write).
    const revoked = typeof req.session.revoked === 'string' ? `<p class="notice ok">${escape(req.session.revoked)} will ask again next time.</p>` : '';
    delete req.session.revoked;
    const list = sites.length === 0 ? '<p>You have not chosen to always allow any site.</p>' : `<ul class="sites">${sites.map((entry) => siteRow(entry, token)).join('')}</ul>`;
    return res.type('html').send(page('Your account', `${revoked}<section class="card"><p>Your OpenID identifier: <code>${escape(site.userUrl(user))}</code></p></section>
      <section class="card"><h2>Sites you always allow</h2>${list}</section>`, { nav: site.nav(req, 'account') }));
  });

  app.post('/account/revoke', noStore, (req, res) => {
    const user = req.session.user;
    if (user === undefined) return res.redirect(303, '/login');
    if (!tokenMatches(req.session.formToken, req.body.token)) {
      return res.status(403).type('html').send(page('Not revoked', '<p class="notice error">The form could not be verified. Please try again.</p><p><a href="/account">Back to your account</a></p>', { nav: site.nav(req) }));
    }
    const realm = typeof req.body.realm === 'string' ? req.body.realm : '';
    if (site.accounts.forget(user, realm)) req.session.revoked = realm;
    return res.redirect(303, '/account');
  });
}
