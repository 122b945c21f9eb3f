import { startServer, type TestServer } from 'openid-test-helpers';
import { main } from '../../src/cli/openid-discover.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { xrds, signon2, XRDS_TYPE } from '../discovery/fixtures.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': XRDS_TYPE });
    res.end(xrds(signon2(`${server.url}/op`, `${server.url}/local`)));
  });
});
afterAll(() => server.close());

function io(fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 })) {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, fetcher } };
}

describe('openid-discover', () => {
  test('prints the endpoints found', async () => {
    const run = io();
    expect(await main([`${server.url}/alice`], run.io)).toBe(0);
    const text = run.out.join('');
    expect(text).toContain(`Claimed ID:  ${server.url}/alice`);
    expect(text).toContain('Claimed Identifier, OpenID 2.0 (XRDS)');
    expect(text).toContain(`OP endpoint: ${server.url}/op`);
    expect(text).toContain(`Local ID:    ${server.url}/local`);
  });

  test('--json prints the result as JSON', async () => {
    const run = io();
    expect(await main(['--json', `${server.url}/alice`], run.io)).toBe(0);
    expect(JSON.parse(run.out.join('')).endpoints[0].serverUrl).toBe(`${server.url}/op`);
  });

  test('prints why discovery failed, exit 1', async () => {
    const run = io(createFetcher({ timeoutMs: 2000 }));
    expect(await main([`${server.url}/alice`], run.io)).toBe(1);
    expect(run.err.join('')).toMatch(/ERR_DISCOVERY: .*private/);
  });

  test('usage errors exit 2', async () => {
    const run = io();
    expect(await main([], run.io)).toBe(2);
    expect(await main(['--bogus', 'x'], run.io)).toBe(2);
    expect(run.err.join('')).toContain('Usage: openid-discover');
  });
});
