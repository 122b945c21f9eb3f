import type { TestServer } from 'openid-test-helpers';
import { main } from '../../src/cli/openid-discover.js';
import { createFetcher, type Fetcher } from '../../src/fetch/fetcher.js';
import { XRDS_TYPE, html, opIdentifier, signon1, signon2, xrds } from '../discovery/fixtures/documents.js';
import { redirect, send, startFixtureServer } from '../discovery/fixtures/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startFixtureServer((url) => ({
    '/alice': redirect('/users/alice'),
    '/users/alice': send(XRDS_TYPE, xrds(signon1(`${url}/op1`), signon2(`${url}/op`, `${url}/local`), opIdentifier(`${url}/idp`))),
    '/html': send('text/html', html(`<link rel="openid.server" href="${url}/op1">`)),
    '/nobody': send('text/html', html('')),
  }));
});
afterAll(() => server.close());

/** Runs the command in-process; `fetcher: null` lets the command create its own. */
async function run(argv: string[], fetcher: Fetcher | null = createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 })) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => err.push(t) }, ...(fetcher === null ? {} : { fetcher }) };
  const code = await main(argv, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

describe('openid-discover', () => {
  test('prints the normalized identifier, the final URL and each endpoint', async () => {
    const { code, stdout, stderr } = await run([`${server.url}/alice`]);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toBe(
      [
        `Identifier:  ${server.url}/alice`,
        `Claimed ID:  ${server.url}/users/alice`,
        `Final URL:   ${server.url}/users/alice`,
        'Endpoints:   3',
        '  1. OP Identifier, OpenID 2.0 (XRDS)',
        `     OP endpoint: ${server.url}/idp`,
        '  2. Claimed Identifier, OpenID 2.0 (XRDS)',
        `     OP endpoint: ${server.url}/op`,
        `     Local ID:    ${server.url}/local`,
        '  3. Claimed Identifier, OpenID 1.1 (XRDS)',
        `     OP endpoint: ${server.url}/op1`,
        '',
      ].join('\n'),
    );
  });

  test('says when endpoints come from HTML links', async () => {
    expect((await run([`${server.url}/html`])).stdout).toContain('1. Claimed Identifier, OpenID 1.1 (HTML)');
  });

  test('--json prints the result as JSON', async () => {
    const { code, stdout } = await run(['--json', `${server.url}/alice`]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(result.claimedId).toBe(`${server.url}/users/alice`);
    expect(result.endpoints.map((e: { opEndpoint: string; version: string }) => [e.opEndpoint, e.version])).toEqual([
      [`${server.url}/idp`, '2.0'], [`${server.url}/op`, '2.0'], [`${server.url}/op1`, '1.1'],
    ]);
  });

  test('prints why discovery failed, with the cause chain, exit 1', async () => {
    const { code, stdout, stderr } = await run([`${server.url}/alice`], createFetcher({ timeoutMs: 2000 }));
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toMatch(new RegExp(`^Discovery of ${server.url}/alice failed\\.\\nERR_DISCOVERY: .*private_address.*\\n  caused by ERR_FETCH: .*private address`));
  });

  test('without an injected fetcher, private addresses are refused unless --allow-private', async () => {
    expect((await run([`${server.url}/nobody`], null)).stderr).toMatch(/private address/);
    const allowed = await run(['--allow-private', '--timeout', '2000', `${server.url}/nobody`], null);
    expect([allowed.code, allowed.stderr]).toEqual([1, `Discovery of ${server.url}/nobody failed.\nERR_DISCOVERY: No OpenID service was found for ${server.url}/nobody\n`]);
  });

  test('invalid identifiers and XRIs without a resolver are explained', async () => {
    expect((await run(['javascript:alert(1)'])).stderr).toMatch(/ERR_DISCOVERY: Not a valid identifier.*\n  caused by ERR_URL/);
    expect((await run(['=example'])).stderr).toMatch(/XRI resolution needs a proxy resolver.*--?xri-?[pP]roxy|option xriProxy/);
  });

  test('--help prints the usage on stdout, exit 0', async () => {
    const { code, stdout, stderr } = await run(['--help']);
    expect([code, stderr]).toEqual([0, '']);
    expect(stdout).toMatch(/^Usage: openid-discover/);
  });

  test.each([
    [[], /An identifier is needed/],
    [['--bogus', 'x'], /Unknown option --bogus/],
    [['a', 'b'], /Only one identifier/],
    [['--timeout', 'soon', 'x'], /--timeout needs a positive whole number/],
    [['x', '--timeout'], /--timeout needs/],
    [['x', '--xri-proxy'], /--xri-proxy needs a URL/],
  ])('usage errors exit 2: %j', async (argv, message) => {
    const { code, stdout, stderr } = await run(argv);
    expect([code, stdout]).toEqual([2, '']);
    expect(stderr).toMatch(message);
    expect(stderr).toContain('Usage: openid-discover');
  });
});
