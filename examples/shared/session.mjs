// express-session for an example site: the secret from the data directory,
// a store in the OpenID store's backend, and cookies marked Secure when the
// site is served over HTTPS (behind a proxy, through Express's `trust proxy`).
import session from 'express-session';
import { loadSessionSecret } from './session-secret.mjs';
import { createSessionStore } from './session-store.mjs';

/**
 * Installs the session middleware. The store opens in the background
 * (requests wait for it); `ready` settles when it is open or failed.
 * @param {import('express').Express} app
 * @param {{ name: string, baseUrl: string, dataDir: string, storeUrl?: string, secret?: string, prefix?: string, trustProxy?: string | number | boolean }} options
 * @returns {{ ready: Promise<void>, close: () => Promise<void> }}
 */
export function useSessions(app, options) {
  const https = new URL(options.baseUrl).protocol === 'https:';
  // Behind HTTPS the TLS usually ends at a proxy: trust its X-Forwarded-Proto (loopback by default, TRUST_PROXY otherwise).
  if (https) app.set('trust proxy', options.trustProxy ?? process.env.TRUST_PROXY ?? 'loopback');
  const secret = loadSessionSecret({ dataDir: options.dataDir, secret: options.secret });
  const opened = createSessionStore(session, options).then(({ store, close }) => ({
    close,
    middleware: session({ name: options.name, secret, store, resave: false, saveUninitialized: false, cookie: { sameSite: 'lax', httpOnly: true, secure: https } }),
  }));
  app.use((req, res, next) => {
    opened.then(({ middleware }) => middleware(req, res, next), next);
  });
  const ready = opened.then(() => undefined);
  // Marked handled here; whoever awaits `ready` still sees the failure.
  ready.catch(() => undefined);
  return {
    ready,
    close: () => opened.then(({ close }) => close(), () => undefined),
  };
}
