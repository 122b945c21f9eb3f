// Case 4, ours: Consumer.complete() in process on prepared positive
// assertions (stored association, memory store, every nonce fresh, each
// assertion's login in its own session), with `preNonces` nonces already in
// the store. Prints one JSON line.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { Association, Consumer, MemoryStore, objectSession, OPENID_2_0_TYPE } from 'openid2-core';
import { readFormPairs } from 'openid2-core/internals';

const [file, preNoncesArg, roundsArg, secondsArg, warmupArg] = process.argv.slice(2);
const data = JSON.parse(readFileSync(file, 'utf8'));
const store = new MemoryStore();
await store.storeAssociation(data.endpoint, Association.fromExpiresIn(3600, data.handle, Buffer.from(data.secret, 'base64'), 'HMAC-SHA256'));
const now = Math.floor(Date.now() / 1000);
const preNonces = Number(preNoncesArg);
for (let i = 0; i < preNonces; i += 1) await store.useNonce(data.endpoint, now - (i % 600), randomBytes(6).toString('base64url'));

const created = Date.now();
const logins = data.assertions.map(({ url, tx }) => ({
  url,
  session: objectSession({
    openidTransactions: { [tx]: { id: tx, opEndpoint: data.endpoint, claimedId: data.claimedId, localId: undefined, typeUris: [OPENID_2_0_TYPE], usedYadis: true, created } },
  }),
}));
// One consumer for every login, as an application has; each login passes its session.
const consumer = new Consumer({ store });
let next = 0;
let failed = 0;
let firstFailure;

async function run(ms) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms && next < logins.length) {
    const { url, session } = logins[next];
    next += 1;
    // The query read as the consumer middleware reads it.
    const result = await consumer.complete(session, readFormPairs(url.slice(url.indexOf('?'))), url);
    if (result.status !== 'success') {
      failed += 1;
      firstFailure ??= result;
    }
    ops += 1;
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { ops, wall: ops / wall, cpu: ops / ((used.user + used.system) / 1e6) };
}

await run(Number(warmupArg) * 1000);
// OPENID_BENCH_PROFILE=<file>: a CPU profile of the timed rounds (bench/profile.mjs).
const profileFile = process.env.OPENID_BENCH_PROFILE;
const profiler = profileFile ? await import('../lib/profiler.mjs') : undefined;
await profiler?.startProfiling();
const rounds = [];
for (let round = 0; round < Number(roundsArg); round += 1) rounds.push(await run(Number(secondsArg) * 1000));
await profiler?.stopProfiling(profileFile);
console.log(JSON.stringify({ rounds, failed, firstFailure: firstFailure && `${firstFailure.reason}: ${firstFailure.message}`, exhausted: next >= logins.length, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
