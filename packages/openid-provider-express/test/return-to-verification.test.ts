/**
 * 20.9: the decision hook (and the consent page) learn why a return_to is
 * not verified: not_published, fetch_failed or mismatch.
 */
import { CookieClient, startServer, type TestServer } from 'openid-test-helpers';
import { createFetcher, RP_RETURN_TO_TYPE, type ReturnToVerification } from 'openid2-core';
import { checkidParams, startProvider, type TestProvider } from './app.js';

let realms: TestServer;
let provider: TestProvider;
const seen: Array<[boolean, ReturnToVerification]> = [];

beforeAll(async () => {
  realms = await startServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path.startsWith('/none/')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html><head></head><body>no XRDS here</body></html>');
      return;
    }
    // /pub/ publishes its own return URL; /other/ publishes another one.
    const published = path.startsWith('/other/') ? `${realms.url}/other/elsewhere` : `${realms.url}${path}return`;
    res.writeHead(200, { 'content-type': 'application/xrds+xml' });
    res.end(`<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service><Type>${RP_RETURN_TO_TYPE}</Type><URI>${published}</URI></Service></XRD></xrds:XRDS>`);
  });
  provider = await startProvider({
    provider: {
      fetcher: createFetcher({ allowLoopback: true, timeoutMs: 2000 }),
      decide: async ({ returnToVerified, returnToVerification }) => {
        seen.push([await returnToVerified(), await returnToVerification()]);
        return { type: 'deny' };
      },
    },
  });
});
afterAll(async () => {
  await provider.close();
  await realms.close();
});

function checkidUrl(realm: string): string {
  return `${provider.endpoint}?${checkidParams(provider.base, { 'openid.return_to': `${realm}return`, 'openid.realm': realm })}`;
}

test.each<[string, () => string, ReturnToVerification['verified'], string | undefined]>([
  ['published', () => `${realms.url}/pub/`, true, undefined],
  ['not published (no XRDS)', () => `${realms.url}/none/`, false, 'not_published'],
  ['another return_to published', () => `${realms.url}/other/`, false, 'mismatch'],
  ['discovery failed (nothing listens)', () => 'http://127.0.0.1:1/', false, 'fetch_failed'],
])('20.9: %s', async (_name, realm, verified, reason) => {
  seen.splice(0);
  await new CookieClient().get(checkidUrl(realm()));
  expect(seen).toHaveLength(1);
  const [boolean, verification] = seen[0] as [boolean, ReturnToVerification];
  expect(boolean).toBe(verified);
  expect(verification.verified).toBe(verified);
  expect((verification as { reason?: string }).reason).toBe(reason);
  if (reason === 'fetch_failed') expect((verification as { cause: unknown }).cause).toBeInstanceOf(Error);
});
