/**
 * The example relying party's pages: nothing personal kept by the browser
 * after sign-out, only its own failure messages shown, and the identifier
 * the user typed kept in the box after a failure.
 */
import { CookieClient } from 'openid-test-helpers';
import { consent, startSignIn, startSites, submit, toConsent, type Sites } from './sites-fixture.js';

let sites: Sites;
beforeAll(async () => {
  sites = await startSites();
});
afterAll(() => sites.close());

describe('the example relying party', () => {
  test('21.4: the profile page and the home page are no-store, and after sign-out /profile goes back home', async () => {
    const client = new CookieClient();
    const profile = await consent(sites, client, await toConsent(sites, client), 'allow');
    expect(profile.url).toBe(`${sites.consumer.url}/profile`);
    expect(profile.headers.get('cache-control')).toBe('no-store');
    const home = await client.get(`${sites.consumer.url}/`);
    expect(home.location).toBe(`${sites.consumer.url}/profile`);
    await client.post(`${sites.consumer.url}/logout`, {});
    const again = await client.get(`${sites.consumer.url}/profile`);
    expect(again.location).toBe(`${sites.consumer.url}/`);
    const signedOut = await client.get(`${sites.consumer.url}/`);
    expect(signedOut.headers.get('cache-control')).toBe('no-store');
    expect(signedOut.body).not.toContain('You are signed in');
  });

  test.each([
    ['cancel', 'You cancelled the sign-in at your provider.'],
    ['discovery_failed', 'No OpenID provider could be found for that identifier.'],
    ['nonce_reused', 'The answer was already used. Please sign in again.'],
  ])('21.5: a known reason code (%s) shows its sentence', async (reason, sentence) => {
    const page = await new CookieClient().get(`${sites.consumer.url}/?openid_error=${reason}`);
    expect(page.body).toContain(sentence);
    expect(page.body).toContain(`<code>${reason}</code>`);
  });

  test.each([
    'Your account is locked. Call 555-0100 to unlock it',
    'toString',
    '__proto__',
    '<b>bold</b>',
  ])('21.5: anything else in ?openid_error= is ignored (%s)', async (text) => {
    const page = await new CookieClient().get(`${sites.consumer.url}/?openid_error=${encodeURIComponent(text)}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain('class="notice error"');
    expect(page.body).not.toContain('Call 555');
    expect(page.body).not.toContain('The sign-in failed');
  });

  test('21.6: after a failed sign-in the identifier typed is still in the box', async () => {
    const client = new CookieClient();
    const typed = 'http://127.0.0.1:1/nobody-"here"';
    const failed = await startSignIn(sites, client, { openid_identifier: typed });
    expect(failed.url).toBe(`${sites.consumer.url}/?openid_error=invalid_identifier`);
    expect(failed.body).toContain('value="http://127.0.0.1:1/nobody-&quot;here&quot;"');
  });

  test('17.1/21.6: a refused sign-in form from elsewhere keeps its 403 and does not put its identifier in the box', async () => {
    const client = new CookieClient();
    await client.get(`${sites.consumer.url}/`);
    const forged = await client.post(`${sites.consumer.url}/openid/login`, { openid_identifier: 'https://attacker.example/me' });
    expect(forged.status).toBe(403);
    expect(forged.body).toContain('csrf_failed');
    const home = await client.get(`${sites.consumer.url}/`);
    expect(home.body).not.toContain('attacker.example');
  });

  test('21.6: after cancelling at the provider the identifier typed is still in the box', async () => {
    const client = new CookieClient();
    const back = await consent(sites, client, await toConsent(sites, client), 'deny');
    expect(back.url).toBe(`${sites.consumer.url}/?openid_error=cancel`);
    expect(back.body).toContain(`value="${sites.provider.url}/user/demo"`);
  });

  test('21.10: GET /logout is not a dead end ("Cannot GET /logout"): it goes home', async () => {
    const response = await new CookieClient().get(`${sites.consumer.url}/logout`);
    expect(response.status).toBe(303);
    expect(response.location).toBe(`${sites.consumer.url}/`);
    const home = await submit(new CookieClient(), `${sites.consumer.url}/logout`, {});
    expect(home.url).toBe(`${sites.consumer.url}/`);
  });
});
