/** The openid-test-kit command: usage errors, a table against our relying party, JSON, and the exit status when an attack gets through. */
import { main } from '../src/cli/openid-test-kit.js';
import { startOurRP, type RunningRP } from './relying-parties.js';

let rp: RunningRP;
let lax: RunningRP;
beforeAll(async () => {
  rp = await startOurRP();
  lax = await startOurRP({ options: { allowUnsolicitedAssertions: true } });
});
afterAll(async () => {
  await rp.close();
  await lax.close();
});

async function run(args: string[]): Promise<{ status: number; text: string }> {
  const lines: string[] = [];
  const status = await main(args, (text) => lines.push(text));
  return { status, text: lines.join('\n') };
}

test('without --login and --me: usage, status 2', async () => {
  const { status, text } = await run(['--me', 'http://127.0.0.1:1/me']);
  expect(status).toBe(2);
  expect(text).toMatch(/^usage: openid-test-kit --login/);
  expect((await run(['--bogus'])).status).toBe(2);
});

test('a table, one line per attack, status 0 when all were refused', async () => {
  const { status, text } = await run(['--login', rp.loginUrl, '--form', `${rp.base}/`, '--me', rp.meUrl, '--only', 'wrong_signature_key,duplicate_keys']);
  expect(text.split('\n').slice(0, 4)).toEqual([
    expect.stringMatching(/^attack\s+outcome\s+detail$/),
    expect.stringMatching(/^-+\s+-+\s+-+$/),
    expect.stringMatching(/^wrong_signature_key\s+refused\s+401 at \/failed\?openid_error=signature_mismatch$/),
    expect.stringMatching(/^duplicate_keys\s+refused\s+401 at \/failed\?openid_error=/),
  ]);
  expect(status).toBe(0);
});

test('--json, and status 1 when an attack got through', async () => {
  const { status, text } = await run(['--login', lax.loginUrl, '--form', `${lax.base}/`, '--me', lax.meUrl, '--only', 'unsolicited_assertion', '--json']);
  expect(JSON.parse(text)).toMatchObject({ accepted: ['unsolicited_assertion'], results: [{ name: 'unsolicited_assertion', outcome: 'accepted' }] });
  expect(status).toBe(1);
});

test('a relying party that cannot be reached: the honest login fails, status 2 with the reason', async () => {
  const { status, text } = await run(['--login', 'http://127.0.0.1:9/login', '--me', 'http://127.0.0.1:9/me', '--only', 'duplicate_keys']);
  expect(status).toBe(2);
  expect(text).toMatch(/^openid-test-kit: The honest login did not sign the victim in/);
});
