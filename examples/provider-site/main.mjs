// Runs the example provider alone: PROVIDER_PORT (3000), OPENID_STORE_URL (SQLite by default).
import { fileURLToPath } from 'node:url';
import { createApp, DEMO } from './app.mjs';

const port = Number(process.env.PROVIDER_PORT ?? 3000);
const baseUrl = process.env.PROVIDER_URL ?? `http://127.0.0.1:${port}`;
const { app, close } = await createApp({ baseUrl, dataDir: fileURLToPath(new URL('./.data', import.meta.url)), storeUrl: process.env.OPENID_STORE_URL });
const server = app.listen(port, '127.0.0.1', () => {
  console.log(`Example provider: ${baseUrl}/  (demo account: ${DEMO.name} / ${DEMO.password})`);
});
process.once('SIGINT', () => server.close(() => close().then(() => process.exit(0))));
