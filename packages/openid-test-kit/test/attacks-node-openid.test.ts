/**
 * The attack run against a relying party built on npm's `openid` package
 * (node-openid 2.x), stateless as Steam sites run it: the kit works against
 * another library, and shows which attacks get through there.
 */
import { formatAttackTable, runRelyingPartyAttacks } from '../src/index.js';
import { startNodeOpenIDRP } from './relying-parties.js';

test('node-openid: the attacks that get through', async () => {
  const rp = await startNodeOpenIDRP();
  try {
    const report = await runRelyingPartyAttacks({ loginUrl: rp.loginUrl, meUrl: rp.meUrl, discoveryDeadlineMs: 8000 });
    process.stdout.write(`\nnode-openid (stateless):\n${formatAttackTable(report)}\n`);
    expect(report.results.filter((result) => result.outcome === 'inconclusive')).toEqual([]);
    expect(report.accepted).toEqual(NODE_OPENID_ACCEPTS);
  } finally {
    await rp.close();
  }
});

const NODE_OPENID_ACCEPTS: string[] = [];
