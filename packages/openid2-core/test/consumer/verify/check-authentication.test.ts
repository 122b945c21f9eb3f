/**
 * §11.4.2: without an association, the verified OP endpoint is asked; only
 * a well-formed KV answer with exactly `is_valid:true` counts.
 */
import { startServer, type TestServer } from 'openid-test-helpers';
import { OPENID2_NS } from '../../../src/constants.js';
import type { TestOP } from '../op.js';
import { forgeAssertion } from '../forge.js';
import { assertionUrl, complete, expectFailure, party, returnToFor, withOPAndStandIn, type StandIn } from '../parties.js';

let op: TestOP;
let stand: StandIn;
withOPAndStandIn((started) => ({ op, standIn: stand } = started));

/** A stateless login at the stand-in, whose check_authentication answers `reply`. */
async function withReply(status: number, body: string, headers?: Record<string, string>): Promise<Awaited<ReturnType<typeof complete>>> {
  stand.reply = { status, body, ...(headers === undefined ? {} : { headers }) };
  const rp = party({ withStore: false });
  const returnTo = await returnToFor(rp, `${stand.base}/user/alice`);
  return complete(rp, forgeAssertion({ opEndpoint: stand.endpoint, claimedId: `${stand.base}/user/alice`, returnTo }));
}

describe('the answer to check_authentication', () => {
  test('exactly is_valid:true in well-formed KV: success (the control case)', async () => {
    expect(await withReply(200, `ns:${OPENID2_NS}\nis_valid:true\n`)).toMatchObject({ status: 'success' });
  });

  test.each([
    ['is_valid:false', 200, `ns:${OPENID2_NS}\nis_valid:false\n`],
    ['upper case', 200, `ns:${OPENID2_NS}\nis_valid:TRUE\n`],
    ['a space before the value', 200, `ns:${OPENID2_NS}\nis_valid: true\n`],
    ['is_valid twice', 200, `ns:${OPENID2_NS}\nis_valid:true\nis_valid:true\n`],
    ['no final newline', 200, `ns:${OPENID2_NS}\nis_valid:true`],
    ['CRLF line ends', 200, `ns:${OPENID2_NS}\r\nis_valid:true\r\n`],
    ['an error answer', 400, `ns:${OPENID2_NS}\nerror:bad request\n`],
    ['HTTP 500 saying is_valid:true', 500, `ns:${OPENID2_NS}\nis_valid:true\n`],
    ['an HTML page', 200, '<html><body>is_valid:true</body></html>'],
    ['an empty body', 200, ''],
    ['no is_valid', 200, `ns:${OPENID2_NS}\nmode:id_res\n`],
  ])('%s: check_authentication_failed', async (_name, status, body) => {
    expectFailure(await withReply(status, body), 'check_authentication_failed');
  });

  test('the request carries every field of the answer, with mode check_authentication', async () => {
    stand.reply = { status: 200, body: `ns:${OPENID2_NS}\nis_valid:true\n` };
    const rp = party({ withStore: false });
    const returnTo = await returnToFor(rp, `${stand.base}/user/alice`);
    const url = new URL(forgeAssertion({ opEndpoint: stand.endpoint, claimedId: `${stand.base}/user/alice`, returnTo, extra: { 'ns.sreg': 'http://openid.net/extensions/sreg/1.1', 'sreg.email': 'zoë@example.com' } }));
    expect(await complete(rp, url.href)).toMatchObject({ status: 'success' });
    const sent = stand.lastCheck?.fields as URLSearchParams;
    expect(sent.get('openid.mode')).toBe('check_authentication');
    for (const [key, value] of url.searchParams) if (key.startsWith('openid.') && key !== 'openid.mode') expect(sent.get(key)).toBe(value);
    expect([...sent.keys()].filter((key) => !key.startsWith('openid.'))).toEqual([]);
  });
});

describe('17.6: a redirect from the verified endpoint', () => {
  let elsewhere: TestServer;
  beforeAll(async () => {
    // Where the redirect points: a server that would confirm anything it is sent.
    elsewhere = await startServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(`ns:${OPENID2_NS}\nis_valid:true\n`));
  });
  afterAll(() => elsewhere.close());

  test.each([307, 308, 302, 301, 303])('17.6: check_authentication answered with %i is refused (check_authentication_redirected), never followed', async (status) => {
    const before = elsewhere.requests.length;
    const result = await withReply(status, '', { location: `${elsewhere.url}/check` });
    expectFailure(result, 'check_authentication_redirected');
    expect(elsewhere.requests.length).toBe(before);
  });
});

describe('with a real OP', () => {
  test('a tampered nonce: the OP does not confirm (check_authentication_failed)', async () => {
    const rp = party({ withStore: false });
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.response_nonce', `${new Date().toISOString().slice(0, 19)}Zforged`);
    expectFailure(await complete(rp, url.href), 'check_authentication_failed');
  });

  test('a replay to a stateless relying party: the OP confirms only once', async () => {
    const rp = party({ withStore: false });
    const url = await assertionUrl(rp, `${op.base}/user/alice`);
    expect(await complete(rp, url)).toMatchObject({ status: 'success' });
    const replayer = party({ withStore: false, allowUnsolicitedAssertions: true });
    expectFailure(await complete(replayer, url), 'check_authentication_failed');
  });
});
