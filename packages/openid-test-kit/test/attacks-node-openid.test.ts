/**
 * The attack run against a relying party built on npm's `openid` package
 * (node-openid 2.x), stateless as Steam sites run it: the kit works against
 * another library, and shows which attacks get through there.
 */
import { formatAttackTable, runRelyingPartyAttacks } from '../src/index.js';
import { startNodeOpenIDRP } from './relying-parties.js';

/**
 * What node-openid 2.0.x lets through: it does not check that claimed_id
 * and identity are signed, reads SREG without looking at the signed list,
 * checks a POSTed assertion's return_to not at all, accepts logins it never
 * started, and fetches discovery documents without a time or size limit.
 * (A duplicated claimed_id makes it throw: a 500, not a login.)
 */
const NODE_OPENID_ACCEPTS = [
  'identity_not_signed',
  'unsigned_extension_value',
  'assertion_for_other_return_to_post',
  'unsolicited_assertion',
  'slow_discovery',
  'huge_discovery',
];

test('node-openid: the attacks that get through', async () => {
  const rp = await startNodeOpenIDRP();
  try {
    const report = await runRelyingPartyAttacks({ loginUrl: rp.loginUrl, meUrl: rp.meUrl, discoveryDeadlineMs: 8000 });
    process.stdout.write(`\nnode-openid (stateless):\n${formatAttackTable(report)}\n`);
    expect(report.results.filter((result) => result.outcome === 'inconclusive')).toEqual([]);
    expect(report.accepted).toEqual(NODE_OPENID_ACCEPTS);
    expect(report.results.find((result) => result.name === 'duplicate_keys')?.detail).toMatch(/^500 at \/verify\?openid\.ns=/);
  } finally {
    await rp.close();
  }
});
