/**
 * Debian's Chromium (through playwright-core) and the two example sites, for
 * the real-browser tests. Screenshots go to test-artifacts/screenshots/
 * (ignored by git).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { DEMO, startSites, type Sites } from './sites-fixture.js';

export const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

export const chromiumAvailability = existsSync(CHROMIUM) ? { ok: true } : { ok: false, reason: `${CHROMIUM} not found (apt-get install chromium)` };

export interface BrowserSites extends Sites { browser: Browser }

export async function startBrowserSites(): Promise<BrowserSites> {
  mkdirSync(SHOTS, { recursive: true });
  const sites = await startSites();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const close = sites.close;
  return Object.assign(sites, {
    browser,
    close: async () => {
      await browser.close();
      await close();
    },
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** From the relying party's form to the provider's sign-in page, with the demo identifier typed. */
export async function typeIdentifier(sites: Sites, page: Page): Promise<void> {
  await page.goto(`${sites.consumer.url}/`);
  await page.fill('input[name=openid_identifier]', `${sites.provider.url}/user/${DEMO.name}`);
  await page.click('form.card button[type=submit]');
  await page.waitForURL(`${sites.provider.url}/login**`);
}

/** Signs in at the provider's sign-in page; on to the consent page. */
export async function signInAtProvider(sites: Sites, page: Page, password: string = DEMO.password): Promise<void> {
  await page.fill('input[name=name]', DEMO.name);
  await page.fill('input[name=password]', password);
  await page.click('form.card button[type=submit]');
  if (password === DEMO.password) await page.waitForURL(`${sites.provider.url}/consent**`);
  else await page.waitForLoadState();
}
