/**
 * A real browser (Debian's Chromium through playwright-core) signs in to
 * the example relying party with the example provider. Screenshots of each
 * page go to test-artifacts/screenshots (ignored by git).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { describeWith } from 'openid-test-helpers';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createProvider, DEMO } from '../../provider-site/app.mjs';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createConsumer } from '../app.mjs';

const CHROMIUM = '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

describeWith('Chromium', existsSync(CHROMIUM) ? { ok: true } : { ok: false, reason: `${CHROMIUM} not found (apt-get install chromium)` }, () => {
  let browser: Browser;
  let servers: Server[];
  let providerUrl: string;
  let consumerUrl: string;
  let dataDir: string;
  let closeProvider: () => Promise<void>;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dataDir = await mkdtemp(join(tmpdir(), 'openid-browser-'));
    servers = [createServer(), createServer()];
    for (const server of servers) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    [providerUrl, consumerUrl] = servers.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`) as [string, string];
    const op = await createProvider({ baseUrl: providerUrl, dataDir });
    closeProvider = op.close;
    servers[0]?.on('request', op.app);
    servers[1]?.on('request', createConsumer({ baseUrl: consumerUrl, providerUrl }).app);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers ?? []) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await closeProvider?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function logIn(page: Page, prefix: string): Promise<void> {
    await page.waitForURL(`${providerUrl}/login**`);
    await shot(page, `${prefix}-2-provider-login`);
    await page.fill('input[name=name]', DEMO.name);
    await page.fill('input[name=password]', DEMO.password);
    await page.click('button[type=submit]');
    await page.waitForURL(`${providerUrl}/consent**`);
    await shot(page, `${prefix}-3-consent`);
  }

  test('identifier, sign in, approve: signed in with the claimed identifier and email', async () => {
    const page = await browser.newPage();
    await page.goto(`${consumerUrl}/`);
    await shot(page, 'approve-1-relying-party');
    await page.fill('input[name=openid_identifier]', `${providerUrl}/user/${DEMO.name}`);
    await page.click('form.card button[type=submit]');
    await logIn(page, 'approve');
    await page.click('button[value=allow]');
    await page.waitForURL(`${consumerUrl}/profile`);
    await shot(page, 'approve-4-profile');
    expect(await page.textContent('#claimed-id')).toBe(`${providerUrl}/user/${DEMO.name}`);
    expect(await page.textContent('body')).toContain(DEMO.email);
    await page.close();
  });

  test('deny: back at the relying party with the reason', async () => {
    const page = await browser.newPage();
    await page.goto(`${consumerUrl}/`);
    await page.fill('input[name=openid_identifier]', `${providerUrl}/user/${DEMO.name}`);
    await page.click('form.card button[type=submit]');
    await logIn(page, 'deny');
    await page.click('button[value=deny]');
    await page.waitForURL(`${consumerUrl}/?openid_error=cancel`);
    await shot(page, 'deny-4-cancelled');
    expect(await page.textContent('body')).toContain('You cancelled the sign-in');
    await page.close();
  });

  test('identifier select with always allow: no consent page the second time', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${consumerUrl}/`);
    await page.click('text=The example provider');
    await logIn(page, 'always');
    await page.check('input[name=always]');
    await page.click('button[value=allow]');
    await page.waitForURL(`${consumerUrl}/profile`);
    await shot(page, 'always-4-profile');
    await page.click('text=Sign out');
    await page.waitForURL(`${consumerUrl}/`);
    await page.click('text=The example provider');
    await page.waitForURL(`${consumerUrl}/profile`);
    await shot(page, 'always-5-profile-without-consent');
    expect(await page.textContent('#claimed-id')).toBe(`${providerUrl}/user/${DEMO.name}`);
    await context.close();
  });
});
