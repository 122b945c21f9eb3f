/**
 * The two example sites on 127.0.0.1:0, and the steps of a sign-in as a
 * browser without JavaScript makes them (a cookie-keeping client that
 * follows redirects and marks requests crossing from one site to the other).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CookieClient, readForm } from 'openid-test-helpers';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createProvider, DEMO } from '../../provider-site/app.mjs';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createConsumer } from '../app.mjs';

export { DEMO };

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
interface App { app: Handler; close: () => Promise<void>; ready?: Promise<void> }

/** A server on a random loopback port whose app can be swapped (a restart at the same address). */
export interface Site { url: string; server: Server; app: Handler }

export async function reserve(): Promise<Site> {
  const site = { url: '', app: ((req, res) => res.writeHead(503).end()) as Handler } as Site;
  site.server = createServer((req, res) => site.app(req, res));
  await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
  site.url = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`;
  return site;
}

export interface Sites {
  provider: Site;
  consumer: Site;
  providerDataDir: string;
  /** Starts a provider on the same URL and data directory, as after a restart, and closes the old one. */
  restartProvider(): Promise<void>;
  close(): Promise<void>;
}

/** `instances`: that many provider instances behind the provider's one URL, taking requests in turn. */
export interface SitesOptions { provider?: Record<string, unknown>; consumer?: Record<string, unknown>; instances?: number }

export async function startSites(options: SitesOptions = {}): Promise<Sites> {
  const dataDir = await mkdtemp(join(tmpdir(), 'openid-example-'));
  const providerDataDir = join(dataDir, 'provider');
  const provider = await reserve();
  const consumer = await reserve();
  const openProvider = async (): Promise<App[]> => {
    const apps: App[] = [];
    for (let i = 0; i < (options.instances ?? 1); i += 1) apps.push(await createProvider({ baseUrl: provider.url, dataDir: providerDataDir, ...options.provider }));
    return apps;
  };
  const serve = (apps: App[]): Handler => {
    let turn = 0;
    return (req, res) => {
      const app = apps[turn % apps.length] as App;
      turn += 1;
      app.app(req, res);
    };
  };
  let ops = await openProvider();
  provider.app = serve(ops);
  const rp: App = createConsumer({ baseUrl: consumer.url, providerUrl: provider.url, dataDir: join(dataDir, 'consumer'), ...options.consumer });
  await rp.ready;
  consumer.app = rp.app;
  return {
    provider,
    consumer,
    providerDataDir,
    async restartProvider() {
      for (const op of ops) await op.close();
      ops = await openProvider();
      provider.app = serve(ops);
    },
    async close() {
      for (const site of [provider, consumer]) {
        site.server.closeAllConnections();
        await new Promise((resolve) => site.server.close(resolve));
      }
      for (const op of ops) await op.close();
      await rp.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface At { url: string; status: number; body: string; headers: Headers }

/** Follows redirects, marking requests that cross from one site to the other. */
export async function follow(client: CookieClient, location: string, from: string): Promise<At> {
  let url = location;
  let previous = from;
  for (let hops = 0; hops < 10; hops += 1) {
    const response = await client.get(url, new URL(url).origin !== new URL(previous).origin);
    if (response.location === undefined) return { url, status: response.status, body: response.body, headers: response.headers };
    previous = url;
    url = response.location;
  }
  throw new Error('too many redirects');
}

/** A POST, then the redirects after it (or the page it answered with). */
export async function submit(client: CookieClient, url: string, form: Record<string, string> | URLSearchParams): Promise<At> {
  const response = await client.post(url, form);
  if (response.location === undefined) return { url, status: response.status, body: response.body, headers: response.headers };
  return follow(client, response.location, url);
}

export async function startSignIn(sites: Sites, client: CookieClient, form: Record<string, string>, path = '/openid/login'): Promise<At> {
  // The home page's sign-in form carries this browser's login token (login CSRF).
  const home = await client.get(`${sites.consumer.url}/`);
  if (home.location !== undefined) throw new Error(`the home page redirects to ${home.location}: sign out of the relying party first (signOut)`);
  const token = readForm(home.body).fields.get('openid_csrf');
  if (token === null) throw new Error('the home page has no login token');
  return submit(client, `${sites.consumer.url}${path}`, { ...form, openid_csrf: token });
}

/** Signs the browser out of the relying party (its session is destroyed). */
export async function signOut(sites: Sites, client: CookieClient): Promise<void> {
  const response = await client.post(`${sites.consumer.url}/logout`, {});
  expect(response.location).toBe(`${sites.consumer.url}/`);
}

export function logIn(sites: Sites, client: CookieClient, at: At, password: string = DEMO.password): Promise<At> {
  expect(at.url).toContain(`${sites.provider.url}/login`);
  const form = readForm(at.body);
  form.fields.set('name', DEMO.name);
  form.fields.set('password', password);
  return submit(client, `${sites.provider.url}/login`, form.fields);
}

export function consent(sites: Sites, client: CookieClient, at: At, decision: 'allow' | 'deny', { always = false, fields = ['email', 'nickname'] } = {}): Promise<At> {
  expect(at.url).toContain(`${sites.provider.url}/consent`);
  const form = readForm(at.body);
  form.fields.set('decision', decision);
  for (const field of fields) form.fields.append('field', field);
  form.fields.set('remember', always ? 'always' : 'ask');
  return submit(client, `${sites.provider.url}/consent`, form.fields);
}

/** Up to the consent page with an identifier typed at the relying party. */
export async function toConsent(sites: Sites, client: CookieClient): Promise<At> {
  return logIn(sites, client, await startSignIn(sites, client, { openid_identifier: `${sites.provider.url}/user/${DEMO.name}` }));
}
