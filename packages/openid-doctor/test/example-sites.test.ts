/**
 * `openid-doctor <url>` on the example sites, correct and misconfigured
 * (a public URL that is not where the site listens): the command's exit
 * status and its lines.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createProvider } from '../../../examples/provider-site/app.mjs';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createConsumer } from '../../../examples/consumer-site/app.mjs';
import { main } from '../src/cli/openid-doctor.js';

interface Site { url: string; server: Server }

async function reserve(): Promise<Site> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

async function doctor(url: string): Promise<{ status: number; lines: string[] }> {
  const lines: string[] = [];
  const status = await main([url, '--allow-private', '--timeout', '3000'], (line) => lines.push(line));
  process.stdout.write(`\n$ openid-doctor ${url} --allow-private\n${lines.join('\n')}\n(exit ${status})\n`);
  return { status, lines };
}

// A port nothing listens on: the misconfigured sites claim it as their public URL.
const WRONG = 'http://127.0.0.1:9';

let dataDir: string;
const sites: Site[] = [];
const closers: Array<() => Promise<void>> = [];
let provider: Site;
let consumer: Site;
let badProvider: Site;
let badConsumer: Site;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'openid-doctor-'));
  [provider, consumer, badProvider, badConsumer] = await Promise.all([reserve(), reserve(), reserve(), reserve()]);
  sites.push(provider, consumer, badProvider, badConsumer);
  const op = await createProvider({ baseUrl: provider.url, dataDir: join(dataDir, 'good') });
  const wrongOp = await createProvider({ baseUrl: WRONG, dataDir: join(dataDir, 'bad') });
  closers.push(op.close, wrongOp.close);
  provider.server.on('request', op.app);
  badProvider.server.on('request', wrongOp.app);
  consumer.server.on('request', createConsumer({ baseUrl: consumer.url, providerUrl: provider.url }).app);
  badConsumer.server.on('request', createConsumer({ baseUrl: WRONG, providerUrl: provider.url }).app);
});

afterAll(async () => {
  for (const site of sites) {
    site.server.closeAllConnections();
    await new Promise<void>((resolve) => site.server.close(() => resolve()));
  }
  for (const close of closers) await close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('openid-doctor on the example sites', () => {
  test('the example relying party: its return URL published and answering, nothing to fix', async () => {
    const { status, lines } = await doctor(`${consumer.url}/`);
    for (const path of ['openid', 'with-provider', 'steam']) expect(lines).toContain(`note    relying party: publishes the return URL ${consumer.url}/${path}/return`);
    expect(lines.at(-1)).toBe(`ok      nothing to fix at ${consumer.url}/`);
    expect(status).toBe(0);
  });

  test('the example provider: OP identifier and identity page lead to a live endpoint, nothing to fix', async () => {
    const home = await doctor(`${provider.url}/`);
    expect(home.lines).toContain(`note    provider: OP identifier → endpoint ${provider.url}/openid`);
    expect(home.status).toBe(0);
    const identity = await doctor(`${provider.url}/user/demo`);
    expect(identity.lines.some((line) => line.startsWith('note    provider: identity (OpenID 2.0)'))).toBe(true);
    expect(identity.status).toBe(0);
  });

  test('the relying party configured with another public URL: its published return URL is outside the realm and dead', async () => {
    const { status, lines } = await doctor(`${badConsumer.url}/`);
    // The example publishes the return URL of each of its three sign-in paths: each is outside the realm and dead.
    expect(lines.filter((line) => line.startsWith('error'))).toEqual(['openid', 'with-provider', 'steam'].flatMap((path) => [
      expect.stringMatching(new RegExp(`^error {3}site\\.return_url_outside_realm {2}the published return URL http://127\\.0\\.0\\.1:9/${path}/return is outside the realm`)),
      expect.stringMatching(new RegExp(`^error {3}site\\.return_url_unreachable {2}the published return URL http://127\\.0\\.0\\.1:9/${path}/return cannot be fetched`)),
    ]));
    expect(status).toBe(1);
  });

  test('the provider configured with another public URL: discovery names a dead endpoint', async () => {
    const { status, lines } = await doctor(`${badProvider.url}/`);
    expect(lines).toContainEqual(expect.stringMatching(/^error {3}site\.endpoint_unreachable {2}the OP endpoint http:\/\/127\.0\.0\.1:9\/openid named by discovery cannot be fetched/));
    expect(status).toBe(1);
  });

  test('usage errors and an unreachable site', async () => {
    const lines: string[] = [];
    expect(await main([], (line) => lines.push(line))).toBe(2);
    expect(lines[0]).toMatch(/^usage: openid-doctor/);
    expect((await doctor(`${WRONG}/`)).lines[0]).toMatch(/^error {3}site\.unreachable/);
  });

  test('without --allow-private a loopback site is refused by the guard, not probed', async () => {
    const lines: string[] = [];
    expect(await main([`${consumer.url}/`], (line) => lines.push(line))).toBe(1);
    expect(lines[0]).toMatch(/^error {3}site\.unreachable .*private/i);
  });
});
