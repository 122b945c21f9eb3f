// Runs the example relying party alone: CONSUMER_PORT (3001), CONSUMER_URL, PROVIDER_URL, OPENID_STORE_URL, SESSION_SECRET (else kept in .data).
import { serve } from '../shared/serve.mjs';
import { createApp } from './app.mjs';

const port = Number(process.env.CONSUMER_PORT ?? 3001);
const baseUrl = process.env.CONSUMER_URL ?? `http://127.0.0.1:${port}`;
const providerUrl = process.env.PROVIDER_URL ?? `http://127.0.0.1:${process.env.PROVIDER_PORT ?? 3000}`;
const { app, ready, close } = createApp({ baseUrl, providerUrl, storeUrl: process.env.OPENID_STORE_URL });
await ready;
serve({ app, close, port, variable: 'CONSUMER_PORT', banner: `Example relying party: ${baseUrl}/` });
