// Runs the example provider alone: PROVIDER_PORT (3000), PROVIDER_URL, OPENID_STORE_URL (SQLite by default), SESSION_SECRET (else kept in .data).
import { fileURLToPath } from 'node:url';
import { createApp, DEMO } from './app.mjs';

const port = Number(process.env.PROVIDER_PORT ?? 3000);
const baseUrl = process.env.PROVIDER_URL ?? `http://127.0.0.1:${port}`;
const { app, close } = await createApp({ baseUrl, dataDir: fileURLToPath(new URL('./.data', import.meta.url)), storeUrl: process.env.OPENID_STORE_URL });
const server = app.listen(port, '127.0.0.1', (error) => {
  if (error) {
    console.error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use: choose another with PROVIDER_PORT.` : error.message);
    close().then(() => process.exit(1));
    return;
  }
  console.log(`Example provider: ${baseUrl}/  (demo account: ${DEMO.name} / ${DEMO.password})`);
});
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.closeAllConnections();
  server.close(() => close().then(() => process.exit(0)));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
