// `npm start`: the example provider and relying party on 127.0.0.1, with
// embedded storage (SQLite in examples/provider-site/.data). Ctrl-C stops both.
import { fileURLToPath } from 'node:url';
import { createApp as createProvider, DEMO } from '../examples/provider-site/app.mjs';
import { createApp as createConsumer } from '../examples/consumer-site/app.mjs';

const providerPort = Number(process.env.PROVIDER_PORT ?? 3000);
const consumerPort = Number(process.env.CONSUMER_PORT ?? 3001);
const providerUrl = `http://127.0.0.1:${providerPort}`;
const consumerUrl = `http://127.0.0.1:${consumerPort}`;

const provider = await createProvider({
  baseUrl: providerUrl,
  dataDir: fileURLToPath(new URL('../examples/provider-site/.data', import.meta.url)),
  storeUrl: process.env.OPENID_STORE_URL,
});
const consumer = createConsumer({ baseUrl: consumerUrl, providerUrl });

const listen = (app, port) =>
  new Promise((resolve, reject) => {
    const server = app.listen(port, '127.0.0.1', () => resolve(server));
    server.once('error', reject);
  });
const servers = [await listen(provider.app, providerPort), await listen(consumer.app, consumerPort)];

console.log(`
  OpenID example sites are running.

  Relying party:  ${consumerUrl}/
  Provider:       ${providerUrl}/
  Demo account:   ${DEMO.name} / ${DEMO.password}
  Your identifier at the provider: ${providerUrl}/user/${DEMO.name}

  Press Ctrl-C to stop.
`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  for (const server of servers) server.closeAllConnections?.();
  Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
    .then(() => provider.close())
    .then(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
