/**
 * The example provider's pages: who is asking on the sign-in page, the
 * required-field notice, "always allow" as its own choice with an account
 * page to revoke it, no-store on personal pages, styled pages with a way
 * back, and "always allow" saved only with a valid consent form.
 */
import { CookieClient, readForm } from 'openid-test-helpers';
import { consent, DEMO, logIn, signOut, startSignIn, startSites, submit, toConsent, type At, type Sites } from '../../consumer-site/test/sites-fixture.js';

let sites: Sites;
beforeAll(async () => {
  sites = await startSites();
});
afterAll(() => sites.close());

const identifier = (): { openid_identifier: string } => ({ openid_identifier: `${sites.provider.url}/user/${DEMO.name}` });

async function accountPage(client: CookieClient): Promise<string> {
  return (await client.get(`${sites.provider.url}/account`)).body;
}

/** Revokes every "always allow" of the demo account, so each test starts from none. */
async function revokeAll(client: CookieClient): Promise<void> {
  for (;;) {
    const body = await accountPage(client);
    const match = /<form method="post" action="\/account\/revoke">.*?<\/form>/s.exec(body);
    if (match === null) return;
    await client.post(`${sites.provider.url}/account/revoke`, readForm(match[0]).fields);
  }
}

describe('the example provider', () => {
  test('21.7: the sign-in page names the asking site and whether its return URL was verified; no "Sign in" link on it; a wrong password keeps the name', async () => {
    const client = new CookieClient();
    const atLogin = await startSignIn(sites, client, identifier());
    expect(atLogin.body).toContain(`<strong>${sites.consumer.url}/</strong> asks you to sign in`);
    // Verified only once the user is signed in (no fetch for an unauthenticated page view, 17.9).
    expect(atLogin.body).toContain('Its return address is checked once you have signed in');
    expect(atLogin.body).not.toContain('href="/login"');
    const refused = await logIn(sites, client, atLogin, 'wrong password');
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('Wrong name or password');
    expect(refused.body).toContain(`name="name" value="${DEMO.name}"`);
    expect(refused.body).toContain(`<strong>${sites.consumer.url}/</strong> asks you to sign in`);
    const atConsent = await logIn(sites, client, { ...refused, url: `${sites.provider.url}/login` });
    expect(atConsent.url).toContain(`${sites.provider.url}/consent`);
  });

  test('21.7: every sign-in route of the relying party is verified by relying party discovery (the provider button too)', async () => {
    const client = new CookieClient();
    const atLogin = await startSignIn(sites, client, {}, '/with-provider/login');
    const atConsent = await logIn(sites, client, atLogin);
    expect(atConsent.body).toContain('The site confirmed its return address');
    expect(atConsent.body).not.toContain('did not confirm its return address');
  });

  test('21.8: unticking a required field brings a notice of what the site will not get; going on signs in without it', async () => {
    const client = new CookieClient();
    const atConsent = await toConsent(sites, client);
    expect(atConsent.body).toContain('(required by the site)');
    const notice = await consent(sites, client, atConsent, 'allow', { fields: ['nickname'] });
    expect(notice.url).toBe(`${sites.provider.url}/consent`);
    expect(notice.body).toContain('The site requires Email address, which you chose not to share: it will not get it');
    expect(notice.body).toMatch(/value="nickname" checked/);
    expect(notice.body).not.toMatch(/value="email" checked/);
    const done = await consent(sites, client, { ...notice, url: `${sites.provider.url}/consent` }, 'allow', { fields: ['nickname'] });
    expect(done.url).toBe(`${sites.consumer.url}/profile`);
    expect(done.body).not.toContain(DEMO.email);
  });

  test('21.9: "always allow" is its own choice; the account page lists the site and what it gets, and revoking it brings consent back', async () => {
    const client = new CookieClient();
    const atConsent = await toConsent(sites, client);
    const attributes = /<fieldset><legend>What the site asks for<\/legend>.*?<\/fieldset>/s.exec(atConsent.body)?.[0] ?? '';
    expect(attributes).toContain('Email address');
    expect(attributes).not.toContain('Always allow');
    expect(atConsent.body).toMatch(/<legend>Next time<\/legend>.*Always allow this site/s);
    await consent(sites, client, atConsent, 'allow', { always: true, fields: ['email'] });
    const listed = await accountPage(client);
    expect(listed).toContain(`<strong>${sites.consumer.url}/</strong>`);
    expect(listed).toContain('receives your identifier and Email address');
    // A second sign-in needs no consent page...
    await signOut(sites, client);
    const again = await startSignIn(sites, client, identifier());
    expect(again.url).toBe(`${sites.consumer.url}/profile`);
    // ...until the site is revoked.
    await revokeAll(client);
    const revoked = await accountPage(client);
    expect(revoked).toContain('You have not chosen to always allow any site.');
    await signOut(sites, client);
    const asked = await startSignIn(sites, client, identifier());
    expect(asked.url).toContain(`${sites.provider.url}/consent`);
  });

  test('21.9: a revoke without the account page\'s token is refused and the site stays', async () => {
    const client = new CookieClient();
    await consent(sites, client, await toConsent(sites, client), 'allow', { always: true });
    const forged = await client.post(`${sites.provider.url}/account/revoke`, { realm: `${sites.consumer.url}/`, token: 'guess' });
    expect(forged.status).toBe(403);
    expect(await accountPage(client)).toContain(`<strong>${sites.consumer.url}/</strong>`);
    await revokeAll(client);
  });

  test('17.12: a consent POST with a wrong CSRF token is refused and "always allow" is not saved', async () => {
    const client = new CookieClient();
    const atConsent = await toConsent(sites, client);
    const form = readForm(atConsent.body).fields;
    form.set('csrf', 'forged-token-of-the-right-length-000000');
    form.set('decision', 'allow');
    form.set('remember', 'always');
    form.set('always', '1');
    form.append('field', 'email');
    const forged = await client.post(`${sites.provider.url}/consent`, form);
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('The form could not be verified');
    expect(await accountPage(client)).toContain('You have not chosen to always allow any site.');
    await signOut(sites, client);
    const asked = await startSignIn(sites, client, identifier());
    expect(asked.url).toContain(`${sites.provider.url}/consent`);
  });

  test('21.10: consent and account pages are no-store', async () => {
    const client = new CookieClient();
    const atConsent = await toConsent(sites, client);
    expect(atConsent.headers.get('cache-control')).toBe('no-store');
    expect((await client.get(`${sites.provider.url}/account`)).headers.get('cache-control')).toBe('no-store');
    expect((await client.get(`${sites.provider.url}/login`)).headers.get('cache-control')).toBe('no-store');
  });

  function styledWithWayBack(at: At): void {
    expect(at.body).toContain('<style>');
    expect(at.body).toContain('<header>');
    expect(at.body).toContain('href="/"');
  }

  test('21.10: consent in a second tab after the first answered, and consent after sign-out: a styled page with a way back', async () => {
    const client = new CookieClient();
    const atConsent = await toConsent(sites, client);
    await consent(sites, client, atConsent, 'allow');
    const secondTab = await consent(sites, client, atConsent, 'allow');
    expect(secondTab.status).toBe(400);
    expect(secondTab.body).toContain('already answered');
    styledWithWayBack(secondTab);

    const other = new CookieClient();
    const pending = await toConsent(sites, other);
    await other.post(`${sites.provider.url}/logout`, {});
    const reopened = await other.get(pending.url);
    expect(reopened.status).toBe(400);
    styledWithWayBack({ ...reopened, url: pending.url });
    const posted = await consent(sites, other, pending, 'allow');
    expect(posted.status).toBe(400);
    styledWithWayBack(posted);
  });

  test('21.10: the endpoint page, identity pages and GET /logout are styled or redirect', async () => {
    const client = new CookieClient();
    const endpoint = await client.get(`${sites.provider.url}/openid`);
    styledWithWayBack({ url: '', status: endpoint.status, body: endpoint.body, headers: endpoint.headers });
    const identity = await client.get(`${sites.provider.url}/user/${DEMO.name}`);
    expect(identity.body).toContain('<style>');
    expect(identity.body).toContain('This page is an OpenID identifier');
    expect(identity.body).toContain('rel="openid2.provider"');
    const signedOut = await client.get(`${sites.provider.url}/logout`);
    expect(signedOut.status).toBe(303);
    expect(signedOut.location).toBe(`${sites.provider.url}/`);
    await toConsent(sites, client);
    const signedIn = await client.get(`${sites.provider.url}/logout`);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body).toContain('<form class="card" method="post" action="/logout">');
    const home = await submit(client, `${sites.provider.url}/logout`, {});
    expect(home.url).toBe(`${sites.provider.url}/`);
    expect(home.body).toContain('href="/login"');
  });
});
