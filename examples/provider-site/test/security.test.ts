/**
 * 17.13: the example provider has no hard-coded session secret, marks its
 * session cookie Secure behind HTTPS (through `trust proxy`), and limits
 * failed password sign-ins per account and per address.
 */
import { statSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
// @ts-expect-error: the example sites are plain JavaScript
import { createApp, DEMO } from '../app.mjs';

interface Provider { app: Parameters<typeof request>[0]; close: () => Promise<void> }

const dirs: string[] = [];
const opened: Provider[] = [];

async function provider(options: Record<string, unknown> = {}, dataDir?: string): Promise<{ op: Provider; dataDir: string }> {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'openid-op-security-')));
  if (dataDir === undefined) dirs.push(dir);
  const op = (await createApp({ baseUrl: 'http://127.0.0.1:9', dataDir: dir, ...options })) as Provider;
  opened.push(op);
  return { op, dataDir: dir };
}

afterAll(async () => {
  for (const op of opened) await op.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const signIn = (op: Provider, name: string, password: string, headers: Record<string, string> = {}): request.Test =>
  request(op.app).post('/login').set(headers).type('form').send({ name, password });

describe('17.13: session secret', () => {
  test('17.13: a secret is generated at first start, kept in the data directory (0600) and reused; two sites get different ones', async () => {
    const first = await provider();
    const file = join(first.dataDir, 'session-secret');
    const secret = readFileSync(file, 'utf8');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // A session cookie signed by the first start is accepted by the next one on the same data directory.
    const login = await signIn(first.op, DEMO.name, DEMO.password);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] as string;
    const restarted = await provider({}, first.dataDir);
    expect(readFileSync(file, 'utf8')).toBe(secret);
    const account = await request(restarted.op.app).get('/account').set('Cookie', cookie);
    expect(account.status).toBe(200);
    expect(account.text).toContain('Sites you always allow');
    const other = await provider();
    expect(readFileSync(join(other.dataDir, 'session-secret'), 'utf8')).not.toBe(secret);
  });

  test('17.13: a SESSION_SECRET shorter than 32 characters is refused at start', async () => {
    await expect(provider({ sessionSecret: 'short' })).rejects.toThrow('at least 32 characters');
  });
});

describe('17.13: Secure cookies behind HTTPS', () => {
  test('17.13: with an https URL behind a loopback proxy (X-Forwarded-Proto: https) the session cookie is Secure', async () => {
    const { op } = await provider({ baseUrl: 'https://op.example' });
    const login = await signIn(op, DEMO.name, DEMO.password, { 'X-Forwarded-Proto': 'https' });
    expect(login.status).toBe(303);
    const cookie = (login.headers['set-cookie'] as unknown as string[])[0] ?? '';
    expect(cookie).toMatch(/^provider\.sid=/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; HttpOnly/);
    // Over plain HTTP the Secure cookie is not sent at all.
    const plain = await signIn(op, DEMO.name, DEMO.password);
    expect(plain.headers['set-cookie']).toBeUndefined();
  });

  test('17.13: with an http URL (local development) the cookie is not marked Secure', async () => {
    const { op } = await provider();
    const login = await signIn(op, DEMO.name, DEMO.password);
    expect((login.headers['set-cookie'] as unknown as string[])[0]).not.toMatch(/Secure/);
  });
});

describe('17.13: sign-in rate limit', () => {
  const loginLimit = { windowMs: 60_000, perAccount: 3, perAddress: 6 };

  test('17.13: after 3 failed sign-ins an account is refused (429), even with the right password; another account is not', async () => {
    const { op } = await provider({ loginLimit });
    for (let i = 0; i < 3; i += 1) expect((await signIn(op, DEMO.name, 'wrong')).status).toBe(401);
    const limited = await signIn(op, DEMO.name, DEMO.password);
    expect(limited.status).toBe(429);
    expect(limited.text).toContain('Too many failed sign-ins');
    expect((await signIn(op, 'DEMO', DEMO.password)).status).toBe(429);
    expect((await signIn(op, 'someone-else', 'wrong')).status).toBe(401);
  });

  test('17.13: after 6 failed sign-ins from one address, any account is refused from it', async () => {
    const { op } = await provider({ loginLimit });
    for (let i = 0; i < 6; i += 1) expect((await signIn(op, `user-${i}`, 'wrong')).status).toBe(401);
    expect((await signIn(op, DEMO.name, DEMO.password)).status).toBe(429);
  });

  test('17.13: successful sign-ins are not counted', async () => {
    const { op } = await provider({ loginLimit });
    for (let i = 0; i < 8; i += 1) expect((await signIn(op, DEMO.name, DEMO.password)).status).toBe(303);
  });

  test('17.13: the default limit is on without any option', async () => {
    const { op } = await provider();
    let status = 0;
    for (let i = 0; i < 11 && status !== 429; i += 1) status = (await signIn(op, DEMO.name, 'wrong')).status;
    expect(status).toBe(429);
  });
});
