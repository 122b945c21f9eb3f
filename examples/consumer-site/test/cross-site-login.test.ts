/**
 * Login CSRF in a real browser (issue 17.1): a page on another origin
 * auto-submits a form (or follows a link) to the example relying party's
 * /openid/login with the attacker's identifier. The attacker's OP approves
 * anyone at once, and records every request: the browser must not end up
 * signed in, and the OP must hear nothing. The site is at 127.0.0.1, the
 * attacker's page at localhost (another site to the browser).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import { createFetcher, escapeHTML, MemoryStore } from 'openid2-core';
import { openidProvider, serveIdentity } from 'openid-provider-express';
import { describeWith } from 'openid-test-helpers';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createProvider } from '../../provider-site/app.mjs';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createConsumer } from '../app.mjs';

const CHROMIUM = '/usr/bin/chromium';

/** A server on 127.0.0.1, answering with `app` (or with what is attached later). */
async function listen(app?: express.Express): Promise<{ server: Server; port: number }> {
  const server = app === undefined ? createServer() : createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** An OP that approves every request at once, as the attacker's own would; it records what it is asked. */
async function startAttackerOP(requests: string[]): Promise<{ server: Server; identifier: string }> {
  const app = express();
  const { server, port } = await listen(app);
  const base = `http://127.0.0.1:${port}`;
  app.use((req, _res, next) => {
    requests.push(`${req.method} ${req.url}`);
    next();
  });
  app.use('/openid', openidProvider({
    opEndpoint: `${base}/openid`,
    store: new MemoryStore(),
    fetcher: createFetcher({ allowPrivateAddresses: true, timeoutMs: 5000 }),
    interactionUrl: '/nowhere',
    decide: async () => ({ type: 'allow' }),
  }));
  app.get('/user/mallory', (req, res) => serveIdentity(req, res, { opEndpoint: `${base}/openid`, claimedId: `${base}/user/mallory` }));
  return { server, identifier: `${base}/user/mallory` };
}

describeWith('Chromium', existsSync(CHROMIUM) ? { ok: true } : { ok: false, reason: `${CHROMIUM} not found (apt-get install chromium)` }, () => {
  let browser: Browser;
  const servers: Server[] = [];
  const attackerRequests: string[] = [];
  let consumerUrl: string;
  let attackerPage: string;
  let dataDir: string;
  let closeProvider: () => Promise<void>;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'openid-cross-site-'));
    const provider = await listen();
    const consumer = await listen();
    const providerUrl = `http://127.0.0.1:${provider.port}`;
    consumerUrl = `http://127.0.0.1:${consumer.port}`;
    const op = await createProvider({ baseUrl: providerUrl, dataDir });
    closeProvider = op.close;
    provider.server.on('request', op.app);
    consumer.server.on('request', createConsumer({ baseUrl: consumerUrl, providerUrl }).app);
    const attacker = await startAttackerOP(attackerRequests);
    // The attacker's pages: a form that submits itself, and a link followed by script.
    const target = `${consumerUrl}/openid/login`;
    const pages = express();
    pages.get('/form', (_req, res) => {
      res.type('html').send(`<!DOCTYPE html><html><body><form method="post" action="${escapeHTML(target)}">
        <input type="hidden" name="openid_identifier" value="${escapeHTML(attacker.identifier)}">
        <input type="hidden" name="openid_csrf" value="guessed"></form>
        <script>document.forms[0].submit();</script></body></html>`);
    });
    pages.get('/link', (_req, res) => {
      const href = `${target}?openid_identifier=${encodeURIComponent(attacker.identifier)}`;
      res.type('html').send(`<!DOCTYPE html><html><body><a href="${escapeHTML(href)}">win a prize</a><script>document.links[0].click();</script></body></html>`);
    });
    const evil = await listen(pages);
    attackerPage = `http://localhost:${evil.port}`;
    servers.push(provider.server, consumer.server, attacker.server, evil.server);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await closeProvider?.();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test.each([
    ['an auto-submitting form', '/form'],
    ['a link', '/link'],
  ])('17.1: %s on another origin posting to /login does not sign the browser in, nor reach the attacker\'s OP', async (_name, path) => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // The victim has been to the site before: a session (and a token) exist.
      await page.goto(`${consumerUrl}/`);
      const refused = page.waitForResponse((response) => response.url().startsWith(`${consumerUrl}/openid/login`));
      await page.goto(`${attackerPage}${path}`);
      const answer = await refused;
      expect(answer.status()).toBe(403);
      expect(await answer.text()).toContain('csrf_failed');
      await page.goto(`${consumerUrl}/profile`);
      expect(page.url()).toBe(`${consumerUrl}/`);
      expect(await page.locator('#claimed-id').count()).toBe(0);
      expect(attackerRequests).toEqual([]);
    } finally {
      await context.close();
    }
  });

  test('17.1: a browser without a session gets the refusal too, whose link leads back to the site with the reason', async () => {
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${attackerPage}/form`);
      await page.waitForURL(`${consumerUrl}/openid/login`);
      await page.click('text=Continue');
      await page.waitForURL(`${consumerUrl}/?openid_error=csrf_failed`);
      expect(await page.textContent('body')).toContain('did not come from this site');
      expect(attackerRequests).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
