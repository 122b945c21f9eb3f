// Runs the example provider alone: PROVIDER_PORT (3000), PROVIDER_URL, OPENID_STORE_URL (SQLite by default), SESSION_SECRET (else kept in .data).
import { fileURLToPath } from 'node:url';
import { serve } from '../shared/serve.mjs';
import { createApp, DEMO } from './app.mjs';

const port = Number(process.env.PROVIDER_PORT ?? 3000);
const baseUrl = process.env.PROVIDER_URL ?? `http://127.0.0.1:${port}`;
const { app, close } = await createApp({ baseUrl, dataDir: fileURLToPath(new URL('./.data', import.meta.url)), storeUrl: process.env.OPENID_STORE_URL });
serve({ app, close, port, variable: 'PROVIDER_PORT', banner: `Example provider: ${baseUrl}/  (demo account: ${DEMO.name} / ${DEMO.password})` });
