// Runs the example relying party alone: CONSUMER_PORT (3001), PROVIDER_URL.
import { createApp } from './app.mjs';

const port = Number(process.env.CONSUMER_PORT ?? 3001);
const baseUrl = process.env.CONSUMER_URL ?? `http://127.0.0.1:${port}`;
const providerUrl = process.env.PROVIDER_URL ?? `http://127.0.0.1:${process.env.PROVIDER_PORT ?? 3000}`;
const { app } = createApp({ baseUrl, providerUrl });
const server = app.listen(port, '127.0.0.1', () => console.log(`Example relying party: ${baseUrl}/`));
process.once('SIGINT', () => server.close(() => process.exit(0)));
