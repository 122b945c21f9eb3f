// The packaging test (`npm run test:packaging`, a step of .ci/run): packs
// every published package, installs ONLY the tarballs plus public
// dependencies from the registry in temporary directories outside the
// repository, and logs in end to end on loopback:
//   (c) a provider: the root README's provider guide, TypeScript, Express 5
//       (a memory store for its SQLite one); `npx openid-discover` from the
//       installed core;
//   (a) a TypeScript ESM relying party on Express 5: the root README's
//       relying-party guide (its PostgreSQL store), strict, skipLibCheck false;
//   (b) a CommonJS relying party on Express 4 (require() of the ESM packages);
//   (d) the Passport strategy under `tsc --strict`, skipLibCheck false.
// Each scenario's time is printed by the test runner.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tsBlocks } from '../check-readme-snippets.mjs';
import { Browser } from './browser.mjs';
import { freePort, run, startServer, substitute, typeScriptProject } from './tools.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PACKAGES = ['openid2-core', 'openid-consumer-express', 'openid-provider-express', 'openid-store-sql', 'openid-store-redis'];
const POSTGRES_URL = process.env.OPENID_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Public dependencies, in the ranges the repository itself uses.
const TS = ['typescript@5.9', '@types/node@^20.19', '@types/express-session@^1.18'];

const work = mkdtempSync(join(tmpdir(), 'openid-packaging-'));
const tarballs = {};
const servers = [];
const installs = {};

/** The first ```ts block after a README heading. */
function guide(heading) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.notEqual(start, -1, `README.md has no "## ${heading}" section`);
  const [block] = tsBlocks(readme.slice(start));
  assert.ok(block, `no ts block under "## ${heading}"`);
  return block.code;
}

/** A directory with the tarballs and registry packages installed. */
function install(name, packages, registry) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  if (!registry.includes('typescript@5.9')) writeFileSync(join(dir, 'package.json'), '{ "name": "packaging-app", "private": true }\n');
  else typeScriptProject(dir);
  const specs = [...packages.map((pkg) => tarballs[pkg]), ...registry];
  return run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], { cwd: dir }).then(() => dir);
}

before(async () => {
  // A build first: the tarballs hold dist/ (tsc -b is a no-op when up to date).
  await run('npm', ['run', 'build'], { cwd: root });
  const packed = JSON.parse(await run('npm', ['pack', '--json', '--pack-destination', work, ...PACKAGES.flatMap((p) => ['-w', p])], { cwd: root }).then((out) => out.slice(out.indexOf('['))));
  for (const entry of packed) {
    tarballs[entry.name] = join(work, entry.filename);
    const files = entry.files.map((file) => file.path);
    assert.ok(files.includes('LICENSE'), `${entry.name}: no LICENSE in the tarball`);
    assert.ok(!files.some((file) => file.endsWith('.tsbuildinfo')), `${entry.name}: .tsbuildinfo in the tarball`);
    assert.ok(!files.some((file) => file.startsWith('test/')), `${entry.name}: tests in the tarball`);
  }
  assert.deepEqual(Object.keys(tarballs).sort(), [...PACKAGES].sort());
  assert.ok(packed.find((entry) => entry.name === 'openid2-core').files.some((file) => file.path === 'bin/openid-discover.js'));
  // Installs run side by side; each scenario waits for its own.
  installs.provider = install('provider', ['openid2-core', 'openid-provider-express', 'openid-store-sql'], ['express@^5', 'express-session@^1.18', ...TS, '@types/express@^5', '@types/better-sqlite3@^7']);
  installs.rpTs = install('rp-esm-express5', ['openid2-core', 'openid-consumer-express', 'openid-store-sql'], ['express@^5', 'express-session@^1.18', 'pg@^8', ...TS, '@types/express@^5', '@types/pg@^8']);
  installs.rpCjs = install('rp-cjs-express4', ['openid2-core', 'openid-consumer-express', 'openid-store-sql', 'openid-store-redis'], ['express@^4.21', 'express-session@^1.18']);
  installs.passport = install('passport', ['openid2-core', 'openid-consumer-express'], ['express@^5', 'express-session@^1.18', 'passport@^0.7', ...TS, '@types/express@^5', '@types/passport@^1']);
  for (const promise of Object.values(installs)) promise.catch(() => {});
});

after(() => {
  for (const server of servers) server.child.kill();
  rmSync(work, { recursive: true, force: true });
});

const op = { origin: '' };

/** Signs `user` in at the provider, then starts a login at the relying party; returns the last page. */
async function login(browser, user, startUrl, identifier) {
  const signIn = await browser.request(`${op.origin}/test-login`, { method: 'POST', form: { user } });
  assert.equal(signIn.status, 200, signIn.text);
  return browser.navigate(startUrl, { method: 'POST', form: { openid_identifier: identifier } });
}

test('(c) provider: the README provider guide from the tarballs (TypeScript, Express 5), and npx openid-discover', async () => {
  const dir = await installs.provider;
  const port = await freePort();
  op.origin = `http://127.0.0.1:${port}`;
  let code = substitute(guide('A provider in five minutes'), 'https://op.example', op.origin);
  // better-sqlite3 has no prebuilt binary for every platform, and compiling
  // it takes minutes: the guide's SQLite store becomes a MemoryStore (its
  // import stays, type-checked against @types/better-sqlite3 alone: the
  // driver loads on first use only). The in-repo tests cover SqliteStore.
  code = substitute(code, "new SqliteStore({ filename: 'openid.db' })", 'new MemoryStore()', 1);
  code = `import { MemoryStore } from 'openid2-core';\n${code}`;
  code += `
// Added by the packaging test: the test's browser signs in here, and the port.
app.use(express.urlencoded({ extended: false }));
app.post('/test-login', (req, res) => {
  req.session.user = String(req.body.user);
  res.send('signed in');
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;
  writeFileSync(join(dir, 'src', 'provider.ts'), code);
  await run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir });
  servers.push(await startServer(process.execPath, ['dist/provider.js'], { cwd: dir, env: { PORT: String(port), SESSION_SECRET: 'packaging test' } }));
  const discovered = await run('npx', ['--no-install', 'openid-discover', '--allow-private', `${op.origin}/user/alice`], { cwd: dir });
  assert.match(discovered, new RegExp(`OP endpoint: ${op.origin}/openid\\n`));
  const required = await run(process.execPath, ['-e', "for (const p of ['openid-provider-express', 'openid-store-sql/sqlite']) require(p); console.log('ok')"], { cwd: dir });
  assert.equal(required.trim(), 'ok');
});

test('(a) TypeScript ESM relying party on Express 5: the README guide (PostgreSQL store), strict, skipLibCheck false', async () => {
  assert.ok(op.origin, 'the provider did not start');
  const dir = await installs.rpTs;
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  let code = substitute(guide('A relying party in five minutes'), 'https://rp.example', origin);
  // The provider is on loopback, which the default fetcher refuses.
  code = substitute(code, 'openidConsumer({', 'openidConsumer({\n  fetcher: createFetcher({ allowPrivateAddresses: true }),   // added by the packaging test', 1);
  code = `import { createFetcher } from 'openid2-core';\n${code}
// Added by the packaging test: the session's identity (typed by the package's SessionData), and the port.
app.get('/profile', (req, res) => {
  res.json(req.session.openid ?? null);
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;
  writeFileSync(join(dir, 'src', 'rp.ts'), code);
  await run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir });
  servers.push(await startServer(process.execPath, ['dist/rp.js'], { cwd: dir, env: { PORT: String(port), SESSION_SECRET: 'packaging test', DATABASE_URL: POSTGRES_URL } }));

  const page = await login(new Browser(), 'alice', `${origin}/openid/login`, `${op.origin}/`);
  assert.equal(page.status, 200, `${page.visited.join(' → ')}\n${page.text}`);
  assert.equal(page.url, `${origin}/profile`);
  assert.equal(JSON.parse(page.text).claimedId, `${op.origin}/user/alice`);
  // The provider refuses a user who is not the identifier's owner: a failure redirect, no identity.
  const refused = await login(new Browser(), 'mallory', `${origin}/openid/login`, `${op.origin}/user/alice`);
  assert.match(refused.url, /\/login\?openid_error=cancel$/, refused.visited.join(' → '));
});

test('(b) CommonJS relying party on Express 4: require() of every package', async () => {
  assert.ok(op.origin, 'the provider did not start');
  const dir = await installs.rpCjs;
  copyFileSync(join(here, 'apps', 'rp-express4.cjs'), join(dir, 'rp.cjs'));
  const required = await run(
    process.execPath,
    ['-e', "for (const p of ['openid2-core', 'openid-consumer-express', 'openid-store-sql', 'openid-store-sql/postgres', 'openid-store-sql/mysql', 'openid-store-sql/sqlite', 'openid-store-redis']) require(p); console.log(require('express/package.json').version)"],
    { cwd: dir },
  );
  assert.match(required.trim(), /^4\./);
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  servers.push(await startServer(process.execPath, ['rp.cjs'], { cwd: dir, env: { PORT: String(port), ORIGIN: origin } }));
  const page = await login(new Browser(), 'alice', `${origin}/openid/login`, `${op.origin}/user/alice`);
  assert.equal(page.status, 200, `${page.visited.join(' → ')}\n${page.text}`);
  const body = JSON.parse(page.text);
  assert.match(body.express, /^4\./);
  assert.equal(body.openid.claimedId, `${op.origin}/user/alice`);
});

test('(d) Passport strategy under tsc --strict, skipLibCheck false, no cast', async () => {
  assert.ok(op.origin, 'the provider did not start');
  const dir = await installs.passport;
  copyFileSync(join(here, 'apps', 'passport.ts'), join(dir, 'src', 'passport.ts'));
  await run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  servers.push(await startServer(process.execPath, ['dist/passport.js'], { cwd: dir, env: { PORT: String(port), ORIGIN: origin } }));
  const page = await login(new Browser(), 'alice', `${origin}/auth/openid`, `${op.origin}/`);
  assert.equal(page.status, 200, `${page.visited.join(' → ')}\n${page.text}`);
  assert.deepEqual(JSON.parse(page.text), { user: { id: `${op.origin}/user/alice` } });
});
