// Runs the example relying party alone: CONSUMER_PORT (3001), CONSUMER_URL, PROVIDER_URL, OPENID_STORE_URL, SESSION_SECRET (else kept in .data).
import { createApp } from './app.mjs';

const port = Number(process.env.CONSUMER_PORT ?? 3001);
const baseUrl = process.env.CONSUMER_URL ?? `http://127.0.0.1:${port}`;
const providerUrl = process.env.PROVIDER_URL ?? `http://127.0.0.1:${process.env.PROVIDER_PORT ?? 3000}`;
const { app, ready, close } = createApp({ baseUrl, providerUrl, storeUrl: process.env.OPENID_STORE_URL });
await ready;
const server = app.listen(port, '127.0.0.1', (error) => {
  if (error) {
    console.error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use: choose another with CONSUMER_PORT.` : error.message);
    close().then(() => process.exit(1));
    return;
  }
  console.log(`Example relying party: ${baseUrl}/`);
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
