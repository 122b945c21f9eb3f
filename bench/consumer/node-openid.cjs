// Case 4, node-openid: verifyAssertion() on the same prepared assertions.
// node-openid keeps its nonces in a module-private object that every
// verification scans; to hold it at `level` nonces, each batch starts with a
// fresh copy of the module, verifies `level` assertions untimed, then times
// a batch of level/10 (at least 10) more. Prints one JSON line.
const { readFileSync } = require('node:fs');

const [file, levelArg, roundsArg, secondsArg, warmupArg] = process.argv.slice(2);
const data = JSON.parse(readFileSync(file, 'utf8'));
const level = Number(levelArg);
const batch = Math.max(10, Math.floor(level / 10));
// node-openid compares return_to with a fixed return URL (query included): give it each login's own.
const returnToOf = (entry) => `${data.returnTo}?openid_tx=${entry.tx}`;
const prefill = data.assertions.slice(0, level);
const timed = data.assertions.slice(level, level + batch);
if (timed.length < batch) throw new Error('not enough assertions');
const provider = { endpoint: data.endpoint, version: 'http://specs.openid.net/auth/2.0', claimedIdentifier: data.claimedId, localIdentifier: undefined };
let failed = 0;
let firstFailure;

function freshModule() {
  delete require.cache[require.resolve('openid')];
  const openid = require('openid');
  openid.saveAssociation(provider, 'sha256', data.handle, data.secret, 3600, () => {});
  openid.saveDiscoveredInformation(data.claimedId, provider, () => {});
  return openid;
}

function verify(openid, entry) {
  return new Promise((resolve) => {
    openid.verifyAssertion(entry.url, returnToOf(entry), (error, result) => {
      if (error || !result?.authenticated) {
        failed += 1;
        firstFailure ??= error?.message ?? 'not authenticated';
      }
      resolve();
    }, false, [], false);
  });
}

async function run(ms) {
  let ops = 0;
  let wallMs = 0;
  let cpuUs = 0;
  while (wallMs < ms) {
    const openid = freshModule();
    for (const entry of prefill) await verify(openid, entry);
    const cpu = process.cpuUsage();
    const start = performance.now();
    for (const entry of timed) await verify(openid, entry);
    wallMs += performance.now() - start;
    const used = process.cpuUsage(cpu);
    cpuUs += used.user + used.system;
    ops += timed.length;
  }
  return { ops, wall: ops / (wallMs / 1000), cpu: ops / (cpuUs / 1e6) };
}

(async () => {
  await run(Number(warmupArg) * 1000);
  const rounds = [];
  for (let round = 0; round < Number(roundsArg); round += 1) rounds.push(await run(Number(secondsArg) * 1000));
  // Prefill verifications are counted as failures too if they failed.
  console.log(JSON.stringify({ rounds, failed, firstFailure, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
  process.exit(0);
})();
