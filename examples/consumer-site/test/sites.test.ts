/**
 * The two example sites end to end over real HTTP, as a browser without
 * JavaScript would use them: sign in with an identifier, log in at the
 * provider, consent, arrive signed in; deny; always allow; identifier select.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CookieClient, readForm } from 'openid-test-helpers';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createProvider, DEMO } from '../../provider-site/app.mjs';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp as createConsumer } from '../app.mjs';

interface Site { url: string; server: Server }

async function reserve(): Promise<Site> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

let provider: Site;
let consumer: Site;
let dataDir: string;
let closeProvider: () => Promise<void>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'openid-example-'));
  provider = await reserve();
  consumer = await reserve();
  const op = await createProvider({ baseUrl: provider.url, dataDir });
  closeProvider = op.close;
  provider.server.on('request', op.app);
  consumer.server.on('request', createConsumer({ baseUrl: consumer.url, providerUrl: provider.url }).app);
});

afterAll(async () => {
  for (const site of [provider, consumer]) {
    site.server.closeAllConnections();
    await new Promise((resolve) => site.server.close(resolve));
  }
  await closeProvider();
  await rm(dataDir, { recursive: true, force: true });
});

/** Follows redirects, marking requests that cross from one site to the other. */
async function follow(client: CookieClient, location: string, from: string): Promise<{ url: string; body: string }> {
  let url = location;
  let previous = from;
  for (let hops = 0; hops < 10; hops += 1) {
    const response = await client.get(url, new URL(url).origin !== new URL(previous).origin);
    if (response.location === undefined) return { url, body: response.body };
    previous = url;
    url = response.location;
  }
  throw new Error('too many redirects');
}

async function startSignIn(client: CookieClient, form: Record<string, string>, path = '/openid/login'): Promise<{ url: string; body: string }> {
  // The home page's sign-in form carries this browser's login token (login CSRF).
  const token = readForm((await client.get(`${consumer.url}/`)).body).fields.get('openid_csrf');
  const start = await client.post(`${consumer.url}${path}`, { ...form, ...(token === null ? {} : { openid_csrf: token }) });
  return follow(client, start.location as string, consumer.url);
}

async function logIn(client: CookieClient, at: { url: string; body: string }): Promise<{ url: string; body: string }> {
  expect(at.url).toContain(`${provider.url}/login`);
  const form = readForm(at.body);
  form.fields.set('name', DEMO.name);
  form.fields.set('password', DEMO.password);
  const response = await client.post(`${provider.url}/login`, form.fields);
  return follow(client, response.location as string, provider.url);
}

async function consent(client: CookieClient, at: { url: string; body: string }, decision: 'allow' | 'deny', always = false): Promise<{ url: string; body: string }> {
  expect(at.url).toContain(`${provider.url}/consent`);
  expect(at.body).toContain(consumer.url);
  const form = readForm(at.body);
  form.fields.set('decision', decision);
  form.fields.append('field', 'email');
  form.fields.append('field', 'nickname');
  if (always) form.fields.set('always', '1');
  const response = await client.post(`${provider.url}/consent`, form.fields);
  return follow(client, response.location as string, provider.url);
}

describe('the example sites', () => {
  test('sign in with an identifier: log in, consent, arrive with the claimed identifier and email', async () => {
    const client = new CookieClient();
    const atLogin = await startSignIn(client, { openid_identifier: `${provider.url}/user/${DEMO.name}` });
    const atConsent = await logIn(client, atLogin);
    expect(atConsent.body).toContain('Email address');
    const done = await consent(client, atConsent, 'allow');
    expect(done.url).toBe(`${consumer.url}/profile`);
    expect(done.body).toContain(`${provider.url}/user/${DEMO.name}`);
    expect(done.body).toContain(DEMO.email);
  });

  test('deny: back at the relying party with a clear message', async () => {
    const client = new CookieClient();
    const done = await consent(client, await logIn(client, await startSignIn(client, { openid_identifier: `${provider.url}/user/${DEMO.name}` })), 'deny');
    expect(done.url).toBe(`${consumer.url}/?openid_error=cancel`);
    expect(done.body).toContain('You cancelled the sign-in');
  });

  test('always allow: no consent page the second time; identifier select through the provider button', async () => {
    const client = new CookieClient();
    const first = await consent(client, await logIn(client, await startSignIn(client, {}, '/with-provider/login')), 'allow', true);
    expect(first.url).toBe(`${consumer.url}/profile`);
    expect(first.body).toContain(`${provider.url}/user/${DEMO.name}`);
    await client.post(`${consumer.url}/logout`, {});
    const second = await startSignIn(client, {}, '/with-provider/login');
    expect(second.url).toBe(`${consumer.url}/profile`);
    expect(second.body).toContain(DEMO.email);
  });

  test('a wrong password is refused at the provider', async () => {
    const client = new CookieClient();
    const atLogin = await startSignIn(client, { openid_identifier: `${provider.url}/user/${DEMO.name}` });
    const form = readForm(atLogin.body);
    form.fields.set('name', DEMO.name);
    form.fields.set('password', 'wrong');
    const response = await client.post(`${provider.url}/login`, form.fields);
    expect(response.location).toContain('/login?error=1');
  });
});
