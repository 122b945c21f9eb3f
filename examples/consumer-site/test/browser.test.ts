/**
 * A real browser (Debian's Chromium through playwright-core) signs in to
 * the example relying party with the example provider: approve, deny,
 * always allow and revoke it. The other states (Back after sign-out, a
 * second tab, a wrong password, a withheld required field) are in
 * browser-states.test.ts. Screenshots go to test-artifacts/screenshots.
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

  test('identifier, sign in, approve: signed in with the claimed identifier and email', async () => {
    const page = await sites.browser.newPage();
    await page.goto(`${sites.consumer.url}/`);
    await shot(page, 'approve-1-relying-party');
    await typeIdentifier(sites, page);
    await shot(page, 'approve-2-provider-login');
    await signInAtProvider(sites, page);
    await shot(page, 'approve-3-consent');
    await page.click('button[value=allow]');
    await page.waitForURL(`${sites.consumer.url}/profile`);
    await shot(page, 'approve-4-profile');
    expect(await page.textContent('#claimed-id')).toBe(`${sites.provider.url}/user/${DEMO.name}`);
    expect(await page.textContent('body')).toContain(DEMO.email);
    await page.close();
  });

  test('deny: back at the relying party with the reason, the identifier still in the box', async () => {
    const page = await sites.browser.newPage();
    await typeIdentifier(sites, page);
    await signInAtProvider(sites, page);
    await page.click('button[value=deny]');
    await page.waitForURL(`${sites.consumer.url}/?openid_error=cancel`);
    await shot(page, 'deny-4-cancelled');
    expect(await page.textContent('body')).toContain('You cancelled the sign-in');
    expect(await page.inputValue('input[name=openid_identifier]')).toBe(`${sites.provider.url}/user/${DEMO.name}`);
    await page.close();
  });

  test('21.9: identifier select with always allow: no consent page the second time; revoked on the account page, consent is asked again', async () => {
    const context = await sites.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${sites.consumer.url}/`);
    await page.click('text=The example provider');
    await page.waitForURL(`${sites.provider.url}/login**`);
    await signInAtProvider(sites, page);
    await page.check('input[name=remember][value=always]');
    await shot(page, 'always-3-consent-always-chosen');
    await page.click('button[value=allow]');
    await page.waitForURL(`${sites.consumer.url}/profile`);
    await page.click('text=Sign out');
    await page.waitForURL(`${sites.consumer.url}/`);
    await page.click('text=The example provider');
    await page.waitForURL(`${sites.consumer.url}/profile`);
    await shot(page, 'always-5-profile-without-consent');
    expect(await page.textContent('#claimed-id')).toBe(`${sites.provider.url}/user/${DEMO.name}`);

    await page.goto(`${sites.provider.url}/account`);
    await shot(page, 'always-6-account-page');
    expect(await page.textContent('ul.sites')).toContain(`${sites.consumer.url}/`);
    await page.click('ul.sites button:has-text("Revoke")');
    await page.waitForURL(`${sites.provider.url}/account`);
    await shot(page, 'always-7-revoked');
    expect(await page.textContent('body')).toContain('You have not chosen to always allow any site.');

    await page.goto(`${sites.consumer.url}/profile`);
    await page.click('text=Sign out');
    await page.waitForURL(`${sites.consumer.url}/`);
    await page.click('text=The example provider');
    await page.waitForURL(`${sites.provider.url}/consent**`);
    await shot(page, 'always-8-consent-asked-again');
    await context.close();
  });
});
