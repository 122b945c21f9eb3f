#!/usr/bin/env node
/**
 * `openid-test-kit --login <url> --me <url> [--steam] [--form <page>] [--get]
 * [--field <name>] [--only <attack,...>] [--json]`: starts the hostile
 * provider on 127.0.0.1, plays every attack against your running relying
 * party and prints a table. Exit status 0 when all were refused, 1 when one
 * got through, 2 for a usage error or a failed honest login.
 */
import { parseArgs } from 'node:util';
import { formatAttackTable } from '../report.js';
import { runRelyingPartyAttacks, type RelyingPartyAttackOptions } from '../run-attacks.js';

const USAGE = `usage: openid-test-kit --login <login URL> --me <page showing the signed-in user> [options]
  --steam           the relying party signs in through Steam (its login takes no identifier)
  --form <page>     fetch this page and submit its login form (hidden inputs included)
  --get             send the identifier to the login URL by GET (default POST)
  --field <name>    the identifier field (default openid_identifier)
  --only <a,b,...>  only these attacks
  --json            print the report as JSON
The relying party must be able to fetch http://127.0.0.1 (allow private addresses while testing).`;

export async function main(argv: readonly string[], out: (text: string) => void = (text) => console.log(text)): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        login: { type: 'string' }, me: { type: 'string' }, steam: { type: 'boolean' }, form: { type: 'string' }, get: { type: 'boolean' },
        field: { type: 'string' }, only: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' },
      },
    }));
  } catch (error) {
    out(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help === true || values.login === undefined || values.me === undefined) {
    out(USAGE);
    return 2;
  }
  const options: RelyingPartyAttackOptions = {
    loginUrl: values.login,
    meUrl: values.me,
    steam: values.steam === true,
    loginMethod: values.form !== undefined ? 'form' : values.get === true ? 'GET' : 'POST',
    ...(values.form === undefined ? {} : { loginPageUrl: values.form }),
    ...(values.field === undefined ? {} : { identifierField: values.field }),
    ...(values.only === undefined ? {} : { attacks: values.only.split(',').map((name) => name.trim()) }),
  };
  try {
    const report = await runRelyingPartyAttacks(options);
    out(values.json === true ? JSON.stringify(report, null, 2) : formatAttackTable(report));
    return report.accepted.length === 0 ? 0 : 1;
  } catch (error) {
    out(`openid-test-kit: ${(error as Error).message}`);
    return 2;
  }
}
