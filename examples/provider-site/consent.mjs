// The consent page: which site asks, as which identity, for which profile
// fields (required ones marked, and a notice when the user withholds one),
// and a separate "always allow this site" choice, saved only once the form's
// CSRF token is accepted.
import { requestedProfile } from 'openid2-core';
import { protectFromFraming } from 'openid-provider-express';
import { noStore, tokenMatches } from '../shared/http.mjs';
import { escape, page } from '../shared/style.mjs';

export const FIELD_LABELS = { email: 'Email address', nickname: 'Nickname', fullname: 'Full name', firstName: 'First name', lastName: 'Last name' };

const labels = (fields) => fields.map((field) => FIELD_LABELS[field]).join(', ');

/** A styled dead end with ways out, for a request that expired, was answered in another tab, or a form that could not be verified. */
function stalePage(site, req, res, status, text) {
  return res.status(status).type('html').send(page('Sign-in request not found', `<section class="card"><p class="notice error">${escape(text)}</p>
    <p>Go back to the site you came from and start the sign-in again.</p>
    <p><a href="/">Provider home</a>${req.session.user === undefined ? '' : ' · <a href="/account">Your account</a>'}</p></section>`, { nav: site.nav(req) }));
}

function fieldList(profile, required, optional, chosen) {
  return [...required, ...optional]
    .filter((field) => FIELD_LABELS[field] !== undefined)
    .map((field) => {
      const checked = chosen === undefined ? required.includes(field) : chosen.includes(field);
      const mark = required.includes(field) ? ' <span class="required">(required by the site)</span>' : '';
      return `<label><input type="checkbox" name="field" value="${field}" ${checked ? 'checked' : ''}> ${FIELD_LABELS[field]}: <strong>${escape(profile[field] ?? '(none)')}</strong>${mark}</label>`;
    })
    .join('');
}

/** The consent form; `chosen` and `missing` when it is shown again because a required field was unchecked. */
async function consentPage(site, req, details, { chosen, missing = [], remember = 'ask' } = {}) {
  const user = req.session.user;
  const identity = details.request.idSelect ? site.userUrl(user) : details.request.identity;
  if (identity !== site.userUrl(user)) {
    return page('Allow sign-in?', `<form class="card" method="post" action="/consent"><input type="hidden" name="interaction" value="${escape(details.id)}"><input type="hidden" name="csrf" value="${escape(details.csrfToken)}">
      <p class="notice error">The site asked about <code>${escape(identity)}</code>, but you are signed in as ${escape(user)}.</p>
      <p><button type="submit" name="decision" value="deny">Back to the site</button></p></form>`, { nav: site.nav(req) });
  }
  const profile = site.accounts.profile(user);
  const { required, optional } = requestedProfile(details.request.message);
  const fields = fieldList(profile, required, optional, chosen);
  // Relying party discovery (§9.2.1) runs here, for a signed-in user only, once per realm (cached by the provider).
  const warning = (await details.returnToVerified())
    ? '<p class="notice ok">The site confirmed its return address through relying party discovery.</p>'
    : '<p class="notice warning">This site did not confirm its return address through relying party discovery. Make sure you trust it.</p>';
  const needs = required.filter((field) => FIELD_LABELS[field] !== undefined);
  const withheld = missing.length === 0 ? '' : `<p class="notice warning">The site requires ${escape(labels(missing))}, which you chose not to share: it will not get ${missing.length === 1 ? 'it' : 'them'} and may refuse the sign-in. Allow again to go on without, or tick ${missing.length === 1 ? 'it' : 'them'}.</p><input type="hidden" name="confirm" value="1">`;
  return page('Allow sign-in?', `<form class="card" method="post" action="/consent">
    <input type="hidden" name="interaction" value="${escape(details.id)}"><input type="hidden" name="csrf" value="${escape(details.csrfToken)}">
    <p>Sign in to <strong>${escape(details.realm)}</strong> as <code>${escape(identity)}</code>?</p>${warning}${withheld}
    ${fields ? `<fieldset><legend>What the site asks for</legend>${needs.length ? `<p><small>The site requires ${escape(labels(needs))}; untick what you do not want to share.</small></p>` : ''}${fields}</fieldset>` : ''}
    <fieldset><legend>Next time</legend>
      <label><input type="radio" name="remember" value="ask" ${remember === 'always' ? '' : 'checked'}> Ask me again</label>
      <label><input type="radio" name="remember" value="always" ${remember === 'always' ? 'checked' : ''}> Always allow this site${fields ? ' with the fields ticked above' : ''} (you can revoke it on <a href="/account">your account page</a>)</label>
    </fieldset>
    <p><button type="submit" name="decision" value="allow">Allow</button><button type="submit" name="decision" value="deny">Deny</button></p></form>`, { nav: site.nav(req) });
}

/** The allow decision for the chosen fields, after the CSRF token was accepted; remembers the site when asked to. */
function allowDecision(site, req, details, chosen) {
  const user = req.session.user;
  if (req.body.remember === 'always') site.accounts.remember(user, details.realm, chosen);
  const profile = site.accounts.profile(user);
  return { type: 'allow', identity: site.userUrl(user), profile: Object.fromEntries(chosen.map((field) => [field, profile[field]]).filter(([, value]) => value !== undefined)) };
}

export function consentRoutes(app, site) {
  app.get('/consent', noStore, async (req, res, next) => {
    try {
      protectFromFraming(res);
      const details = site.provider.interactionDetails(req, req.query.interaction);
      if (details === undefined) return stalePage(site, req, res, 400, 'This sign-in request expired or was already answered.');
      if (req.session.user === undefined) return res.redirect(303, `/login?interaction=${encodeURIComponent(details.id)}`);
      return res.type('html').send(await consentPage(site, req, details));
    } catch (error) {
      return next(error);
    }
  });

  app.post('/consent', noStore, async (req, res, next) => {
    try {
      protectFromFraming(res);
      const details = site.provider.interactionDetails(req, req.body.interaction);
      if (details === undefined) return stalePage(site, req, res, 400, 'This sign-in request expired or was already answered (perhaps in another tab, or you signed out).');
      // Nothing is saved before the form is known to be ours (a forged POST must not add an "always allow").
      if (!tokenMatches(details.csrfToken, req.body.csrf)) return stalePage(site, req, res, 403, 'The form could not be verified. Please try again.');
      const user = req.session.user;
      if (user === undefined) return res.redirect(303, `/login?interaction=${encodeURIComponent(details.id)}`);
      let decision = { type: 'deny' };
      const identity = details.request.idSelect ? site.userUrl(user) : details.request.identity;
      if (req.body.decision === 'allow' && identity === site.userUrl(user)) {
        const chosen = [].concat(req.body.field ?? []).filter((field) => FIELD_LABELS[field] !== undefined);
        const missing = requestedProfile(details.request.message).required.filter((field) => FIELD_LABELS[field] !== undefined && !chosen.includes(field));
        if (missing.length > 0 && req.body.confirm !== '1') {
          return res.type('html').send(await consentPage(site, req, details, { chosen, missing, remember: req.body.remember }));
        }
        decision = allowDecision(site, req, details, chosen);
      }
      return await site.provider.resume(req, res, { interactionId: details.id, csrfToken: req.body.csrf, decision });
    } catch (error) {
      return next(error);
    }
  });
}
