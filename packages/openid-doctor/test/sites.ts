/** Small sites on 127.0.0.1 for the network checks: a relying party (good or misconfigured) and a provider. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import session from 'express-session';
import { createFetcher, MemoryStore } from 'openid2-core';
import { openidConsumer, relyingPartyXrds } from 'openid-consumer-express';

export interface Site {
  base: string;
  app: Express;
  close(): Promise<void>;
}

export const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 });

/** An Express app on a free loopback port (the URL is known before routes are added). */
export async function startSite(): Promise<Site> {
  const app = express();
  const server: Server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    app,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export type RelyingPartyFault = 'none' | 'no_realm_discovery' | 'other_return_url' | 'return_route_missing';

/** A relying party on openid-consumer-express at /openid; `fault` breaks one thing. */
export async function startRelyingParty(fault: RelyingPartyFault): Promise<Site> {
  const site = await startSite();
  site.app.use(session({ secret: 'doctor', resave: false, saveUninitialized: false }));
  const router = openidConsumer({ baseUrl: `${site.base}/openid`, fetcher, store: new MemoryStore() });
  if (fault === 'return_route_missing') {
    // The XRDS names a return URL the app does not serve.
    site.app.get('/', (_req, res) => {
      res.type('application/xrds+xml').send(relyingPartyXrds(`${site.base}/gone/return`));
    });
    return site;
  }
  site.app.use('/openid', router);
  if (fault === 'other_return_url') {
    site.app.get('/', (_req, res) => {
      res.type('application/xrds+xml').send(relyingPartyXrds(`${site.base}/old/return`));
    });
    site.app.get('/old/return', (_req, res) => {
      res.send('old');
    });
  } else if (fault === 'none') {
    site.app.get('/', router.realmDiscovery, (_req, res) => {
      res.send('home');
    });
  } else {
    site.app.get('/', (_req, res) => {
      res.send('home');
    });
  }
  return site;
}
