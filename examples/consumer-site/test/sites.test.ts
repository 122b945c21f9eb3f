/**
 * The two example sites end to end over real HTTP, as a browser without
 * JavaScript would use them: sign in with an identifier, log in at the
 * provider, consent, arrive signed in; deny; always allow; identifier select.
 */
import { CookieClient } from 'openid-test-helpers';
import { consent, DEMO, logIn, startSignIn, startSites, toConsent, type Sites } from './sites-fixture.js';

let sites: Sites;
beforeAll(async () => {
  sites = await startSites();
});
afterAll(() => sites.close());

describe('the example sites', () => {
  test('sign in with an identifier: log in, consent, arrive with the claimed identifier and email', async () => {
    const client = new CookieClient();
    const atConsent = await toConsent(sites, client);
    expect(atConsent.body).toContain('Email address');
    expect(atConsent.body).toContain(sites.consumer.url);
    const done = await consent(sites, client, atConsent, 'allow');
    expect(done.url).toBe(`${sites.consumer.url}/profile`);
    expect(done.body).toContain(`${sites.provider.url}/user/${DEMO.name}`);
    expect(done.body).toContain(DEMO.email);
  });

  test('deny: back at the relying party with a clear message', async () => {
    const client = new CookieClient();
    const done = await consent(sites, client, await toConsent(sites, client), 'deny');
    expect(done.url).toBe(`${sites.consumer.url}/?openid_error=cancel`);
    expect(done.body).toContain('You cancelled the sign-in');
  });

  test('always allow: no consent page the second time; identifier select through the provider button', async () => {
    const client = new CookieClient();
    const first = await consent(sites, client, await logIn(sites, client, await startSignIn(sites, client, {}, '/with-provider/login')), 'allow', { always: true });
    expect(first.url).toBe(`${sites.consumer.url}/profile`);
    expect(first.body).toContain(`${sites.provider.url}/user/${DEMO.name}`);
    await client.post(`${sites.consumer.url}/logout`, {});
    const second = await startSignIn(sites, client, {}, '/with-provider/login');
    expect(second.url).toBe(`${sites.consumer.url}/profile`);
    expect(second.body).toContain(DEMO.email);
  });

  test('a wrong password is refused at the provider', async () => {
    const client = new CookieClient();
    const atLogin = await startSignIn(sites, client, { openid_identifier: `${sites.provider.url}/user/${DEMO.name}` });
    const refused = await logIn(sites, client, atLogin, 'wrong');
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('Wrong name or password');
  });
});
