/**
 * The attack run against our relying party (openid-consumer-express):
 * its login route refuses a bare identifier POST (login CSRF), and every
 * attack is refused through its sign-in form (the login token goes along),
 * behind an app's own extra CSRF check, and through Steam.
 */
import { ATTACKS, formatAttackTable, readForms, runRelyingPartyAttacks, startMockProvider, submitForm } from '../src/index.js';
import { startOurRP } from './relying-parties.js';

const generic = ATTACKS.map((attack) => attack.name);
const steamOnes = ATTACKS.filter((attack) => attack.steam).map((attack) => attack.name);

test('openid-consumer-express: every attack refused (login through its sign-in form)', async () => {
  const rp = await startOurRP();
  try {
    // A bare POST of an identifier carries no login token: the router refuses it, so not even the honest login starts.
    await expect(runRelyingPartyAttacks({ loginUrl: rp.loginUrl, meUrl: rp.meUrl, attacks: ['wrong_signature_key'] })).rejects.toThrow(/honest login did not sign the victim in/);
    const report = await runRelyingPartyAttacks({ loginUrl: rp.loginUrl, loginMethod: 'form', loginPageUrl: `${rp.base}/`, meUrl: rp.meUrl, discoveryDeadlineMs: 15_000 });
    process.stdout.write(`\nopenid-consumer-express:\n${formatAttackTable(report)}\n`);
    expect(report.results.map((result) => result.name)).toEqual(generic);
    expect(report.results.filter((result) => result.outcome !== 'refused')).toEqual([]);
    expect(report.accepted).toEqual([]);
    expect(formatAttackTable(report)).toContain('every attack was refused');
  } finally {
    await rp.close();
  }
});

test("openid-consumer-express behind a login form with a CSRF token: the 'form' mode submits the hidden input", async () => {
  const rp = await startOurRP({ csrfForm: true });
  try {
    const options = { loginUrl: rp.loginUrl, meUrl: rp.meUrl, attacks: ['identity_changed_after_signing', 'replayed_assertion'] };
    await expect(runRelyingPartyAttacks(options)).rejects.toThrow(/honest login did not sign the victim in/);
    const report = await runRelyingPartyAttacks({ ...options, loginMethod: 'form', loginPageUrl: `${rp.base}/` });
    expect(report.results.map((result) => [result.name, result.outcome])).toEqual([
      ['identity_changed_after_signing', 'refused'],
      ['replayed_assertion', 'refused'],
    ]);
  } finally {
    await rp.close();
  }
});

test('a startLogin callback of the user starts each login (here: the form, found and filled by hand)', async () => {
  const rp = await startOurRP({ csrfForm: true });
  const started: string[] = [];
  try {
    const report = await runRelyingPartyAttacks({
      loginUrl: rp.loginUrl,
      meUrl: rp.meUrl,
      attacks: ['duplicate_keys'],
      async startLogin({ browser, identifier }) {
        started.push(identifier ?? '');
        const page = await browser.get(`${rp.base}/`);
        const form = readForms(page.body, page.url)[0] as ReturnType<typeof readForms>[number];
        return submitForm(browser, { ...form, fields: [...form.fields.filter(([name]) => name !== 'openid_identifier'), ['openid_identifier', identifier ?? '']] });
      },
    });
    expect(report.results.map((result) => result.outcome)).toEqual(['refused']);
    expect(started).toEqual([expect.stringMatching(/\/user\/victim$/), expect.stringMatching(/\/user\/attacker$/)]);
  } finally {
    await rp.close();
  }
});

test('openid-consumer-express with the Steam preset: every Steam attack refused', async () => {
  const steam = await startMockProvider({ steam: true });
  const rp = await startOurRP({ steamBase: steam.base });
  try {
    const report = await runRelyingPartyAttacks({ loginUrl: rp.loginUrl, meUrl: rp.meUrl, steam: true, provider: steam });
    process.stdout.write(`\nopenid-consumer-express, Steam preset:\n${formatAttackTable(report)}\n`);
    expect(report.results.map((result) => result.name)).toEqual(steamOnes);
    expect(report.results.filter((result) => result.outcome !== 'refused')).toEqual([]);
  } finally {
    await rp.close();
    await steam.close();
  }
});

test('a relying party that accepts unsolicited assertions is reported: the run can tell refused from accepted', async () => {
  const rp = await startOurRP({ options: { allowUnsolicitedAssertions: true } });
  try {
    const report = await runRelyingPartyAttacks({ loginUrl: rp.loginUrl, loginMethod: 'form', loginPageUrl: `${rp.base}/`, meUrl: rp.meUrl, attacks: ['unsolicited_assertion', 'wrong_signature_key'] });
    expect(report.accepted).toEqual(['unsolicited_assertion']);
    expect(formatAttackTable(report)).toMatch(/unsolicited_assertion\s+GOT THROUGH/);
  } finally {
    await rp.close();
  }
});

test.each([
  [{ meUrl: 'http://127.0.0.1:1/me' }, /loginUrl/],
  [{ loginUrl: 'http://127.0.0.1:1/login' }, /meUrl/],
  [{ loginUrl: 'http://127.0.0.1:1/login', meUrl: 'http://127.0.0.1:1/me', attacks: ['nope'] }, /attacks/],
])('bad options %j are refused before anything runs', async (options, message) => {
  await expect(runRelyingPartyAttacks(options as never)).rejects.toThrow(message);
});
