// `npm start`: builds the packages, then runs the example provider and
// relying party on 127.0.0.1 with embedded storage (SQLite in
// examples/*/.data, or EXAMPLES_DATA_DIR). A port in use is a clear error
// (exit 1); SIGINT or SIGTERM stops both sites and the build, leaving nothing
// behind. The npm script is this file alone, so npm's forwarded signals
// reach this process.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const providerPort = Number(process.env.PROVIDER_PORT ?? 3000);
const consumerPort = Number(process.env.CONSUMER_PORT ?? 3001);
const dataRoot = process.env.EXAMPLES_DATA_DIR;

/** Everything to undo on the way out, in order: servers first, then the sites' stores. */
const cleanups = [];
let stopping = false;

async function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch (error) {
      console.error(`While stopping: ${error.message}`);
    }
  }
  process.exit(code);
}
// 128 + signal number, as a shell reports a signalled process. `on`, not
// `once`: Ctrl-C reaches this process twice (from the terminal and from npm),
// and a second signal must not cut the clean stop short.
process.on('SIGINT', () => stop(130));
process.on('SIGTERM', () => stop(143));

function build() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const child = spawn(process.execPath, [tsc, '-b', join(root, 'tsconfig.json')], { cwd: root, stdio: 'inherit' });
  const kill = () => child.kill('SIGTERM');
  cleanups.push(kill);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      cleanups.splice(cleanups.indexOf(kill), 1);
      if (code === 0) resolve();
      else reject(new Error(`The build failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/**
 * Takes 127.0.0.1:port before anything slow happens (a port in use becomes a
 * message naming the variable that changes it); the site's app is set later.
 */
function listen(port, variable) {
  const site = { app: (req, res) => res.writeHead(503, { 'content-type': 'text/plain' }).end('Starting, please reload in a moment.\n') };
  const server = createServer((req, res) => site.app(req, res));
  return new Promise((resolve, reject) => {
    server.once('error', (error) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`Port ${port} is already in use. Stop whatever uses it, or choose another port with ${variable}, e.g. ${variable}=${port + 100} npm start`));
      else reject(error);
    });
    server.listen(port, '127.0.0.1', () => {
      cleanups.push(() => {
        server.closeAllConnections();
        return new Promise((done) => server.close(done));
      });
      resolve(site);
    });
  });
}

async function main() {
  const providerSite = await listen(providerPort, 'PROVIDER_PORT');
  const consumerSite = await listen(consumerPort, 'CONSUMER_PORT');
  await build();
  if (stopping) return;
  // Imported after the build: the sites load the packages' compiled output.
  const { createApp: createProvider, DEMO } = await import('../examples/provider-site/app.mjs');
  const { createApp: createConsumer } = await import('../examples/consumer-site/app.mjs');
  const providerUrl = `http://127.0.0.1:${providerPort}`;
  const consumerUrl = `http://127.0.0.1:${consumerPort}`;
  const storeUrl = process.env.OPENID_STORE_URL;
  const dataDir = (site) => (dataRoot === undefined ? join(root, 'examples', site, '.data') : join(dataRoot, site));

  const provider = await createProvider({ baseUrl: providerUrl, dataDir: dataDir('provider-site'), storeUrl });
  cleanups.push(provider.close);
  const consumer = createConsumer({ baseUrl: consumerUrl, providerUrl, dataDir: dataDir('consumer-site'), storeUrl });
  cleanups.push(consumer.close);
  await consumer.ready;
  providerSite.app = provider.app;
  consumerSite.app = consumer.app;

  console.log(`
  OpenID example sites are running.

  Relying party:  ${consumerUrl}/
  Provider:       ${providerUrl}/
  Demo account:   ${DEMO.name} / ${DEMO.password}
  Your identifier at the provider: ${providerUrl}/user/${DEMO.name}

  Press Ctrl-C to stop.
`);
}

main().catch((error) => {
  console.error(`\n  npm start failed: ${error.message}\n`);
  return stop(1);
});
