/**
 * The example sites' other states in a real browser (Chromium through
 * playwright-core): Back after sign-out on both sites, consent in a second
 * tab, a wrong password, a required field withheld, failure messages, and
 * the pages a person may type. Screenshots go to test-artifacts/screenshots.
 */
import { describeWith } from 'openid-test-helpers';
import { chromiumAvailability, shot, signInAtProvider, startBrowserSites, typeIdentifier, type BrowserSites } from './browser-fixture.js';
import { DEMO } from './sites-fixture.js';

describeWith('Chromium', chromiumAvailability, () => {
  let sites: BrowserSites;
  beforeAll(async () => {
    sites = await startBrowserSites();
  }, 60_000);
  afterAll(() => sites?.close());

  test('21.7: the sign-in page names the asking site; a wrong password keeps the name', async () => {
    const context = await sites.browser.newContext();
    const page = await context.newPage();
    await typeIdentifier(sites, page);
    expect(await page.textContent('body')).toContain(`${sites.consumer.url}/ asks you to sign in`);
    expect(await page.locator('nav a:has-text("Sign in")').count()).toBe(0);
    await signInAtProvider(sites, page, 'not the password');
    await shot(page, 'state-wrong-password');
    expect(await page.textContent('.notice.error')).toContain('Wrong name or password');
    expect(await page.inputValue('input[name=name]')).toBe(DEMO.name);
    expect(await page.textContent('body')).toContain(`${sites.consumer.url}/ asks you to sign in`);
    await context.close();
  });

  test('21.8: unticking a required field: a notice of what the site will not get, then signed in without it', async () => {
    const context = await sites.browser.newContext();
    const page = await context.newPage();
    await typeIdentifier(sites, page);
    await signInAtProvider(sites, page);
    await page.uncheck('input[name=field][value=email]');
    await page.click('button[value=allow]');
    await page.waitForSelector('.notice.warning');
    await shot(page, 'state-required-field-withheld');
    expect(await page.textContent('.notice.warning')).toContain('The site requires Email address, which you chose not to share');
    await page.click('button[value=allow]');
    await page.waitForURL(`${sites.consumer.url}/profile`);
    expect(await page.textContent('body')).not.toContain(DEMO.email);
    await context.close();
  });

  test('21.4: Back after signing out of the relying party does not show the signed-in page', async () => {
    const context = await sites.browser.newContext();
    const page = await context.newPage();
    await typeIdentifier(sites, page);
    await signInAtProvider(sites, page);
    await page.click('button[value=allow]');
    await page.waitForURL(`${sites.consumer.url}/profile`);
    await page.click('text=Sign out');
    await page.waitForURL(`${sites.consumer.url}/`);
    await page.goBack();
    await page.waitForLoadState();
    await shot(page, 'state-rp-back-after-sign-out');
    expect(await page.textContent('body')).not.toContain('You are signed in');
    expect(await page.textContent('body')).not.toContain(DEMO.email);
    await context.close();
  });

  test('21.10: Back after signing out of the provider does not show the account page', async () => {
    const context = await sites.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sites.provider.url}/login`);
    await page.fill('input[name=name]', DEMO.name);
    await page.fill('input[name=password]', DEMO.password);
    await page.click('form.card button[type=submit]');
    await page.waitForURL(`${sites.provider.url}/account`);
    await shot(page, 'state-provider-account');
    await page.click('nav button:has-text("Sign out")');
    await page.waitForURL(`${sites.provider.url}/`);
    await page.goBack();
    await page.waitForLoadState();
    await shot(page, 'state-provider-back-after-sign-out');
    expect(await page.textContent('body')).not.toContain('Sites you always allow');
    expect(page.url()).toContain(`${sites.provider.url}/login`);
    await context.close();
  });

  test('21.10: consent answered in one tab, then in a second tab: a styled page with a way back', async () => {
    const context = await sites.browser.newContext();
    const first = await context.newPage();
    await typeIdentifier(sites, first);
    await signInAtProvider(sites, first);
    const second = await context.newPage();
    await second.goto(first.url());
    await first.click('button[value=allow]');
    await first.waitForURL(`${sites.consumer.url}/profile`);
    await second.click('button[value=allow]');
    await second.waitForLoadState();
    await shot(second, 'state-second-tab-consent');
    expect(await second.textContent('.notice.error')).toContain('already answered');
    await second.click('text=Provider home');
    await second.waitForURL(`${sites.provider.url}/`);
    await context.close();
  });

  test('21.10: the consent page after signing out of the provider: a styled page with a way back', async () => {
    const context = await sites.browser.newContext();
    const page = await context.newPage();
    await typeIdentifier(sites, page);
    await signInAtProvider(sites, page);
    const consentUrl = page.url();
    await page.click('nav button:has-text("Sign out")');
    await page.waitForURL(`${sites.provider.url}/`);
    await page.goto(consentUrl);
    await shot(page, 'state-consent-after-sign-out');
    expect(await page.textContent('.notice.error')).toContain('expired or was already answered');
    expect(await page.locator('a:has-text("Provider home")').count()).toBe(1);
    await context.close();
  });

  test('21.5, 21.6: a failure shows its sentence and keeps the identifier; an unknown ?openid_error= shows nothing', async () => {
    const context = await sites.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sites.consumer.url}/`);
    await page.fill('input[name=openid_identifier]', 'http://127.0.0.1:1/nobody');
    await page.click('form.card button[type=submit]');
    await page.waitForURL(`${sites.consumer.url}/?openid_error=unreachable`);
    await shot(page, 'state-rp-discovery-failed');
    expect(await page.textContent('.notice.error')).toContain('could not be reached');
    expect(await page.inputValue('input[name=openid_identifier]')).toBe('http://127.0.0.1:1/nobody');
    await page.goto(`${sites.consumer.url}/?openid_error=${encodeURIComponent('Your account is locked, call 555-0100')}`);
    await shot(page, 'state-rp-unknown-error-ignored');
    expect(await page.locator('.notice').count()).toBe(0);
    await context.close();
  });

  test('21.10: the endpoint page and a typed /logout at the provider are pages of the site', async () => {
    const context = await sites.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sites.provider.url}/openid`);
    await shot(page, 'state-provider-endpoint-page');
    expect(await page.textContent('h1')).toBe('OpenID provider endpoint');
    await page.goto(`${sites.provider.url}/logout`);
    expect(page.url()).toBe(`${sites.provider.url}/`);
    await page.goto(`${sites.provider.url}/user/${DEMO.name}`);
    await shot(page, 'state-provider-identity-page');
    expect(await page.textContent('body')).toContain('This page is an OpenID identifier');
    await context.close();
  });
});
