// Capacity figures (issue 22.5): `node --expose-gc bench/scale.mjs` after
// `npm run build`. Measures sealed against store-backed provider paths, the
// store's size after 100,000 associate requests, store operations per login
// and bytes per nonce and association in each shared store, then builds the
// paper estimate for 10 million logins a day from those figures and the
// full-login rates of case 5 in results.json. Writes `scale` into
// bench/results.json (run.mjs keeps it) and prints the figures.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reachable, REDIS_URL } from './lib/services.mjs';
import { providerFigures } from './scale-provider.mjs';
import { bytesPerItem, operationsPerLogin } from './scale-stores.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const RESULTS = join(here, 'results.json');


/**
 * The paper estimate: 10 M logins a day, a peak of 3× the mean, each login
 * through one relying party and one provider instance. Instances from the
 * measured logins per CPU-second (case 5, both sides on Redis) at 60% CPU;
 * store operations per second from the counted operations per login; memory
 * from the bytes per nonce over the 30-minute window.
 */
function estimate({ perLogin, bytes, cases }) {
  const LOGINS_PER_DAY = 10_000_000;
  const mean = LOGINS_PER_DAY / 86_400;
  const peak = mean * 3;
  const windowSeconds = 30 * 60;
  const full = cases?.find((entry) => entry.id === 5);
  const pair = full?.references?.find((entry) => entry.subject.startsWith('Redis store and sessions'))?.cpuRate?.median;
  const single = full?.references?.find((entry) => entry.subject.startsWith('Redis store, 1 RP'))?.cpuRate?.median;
  // Case 5 counts the CPU of both the relying party and the provider: a login costs 1/rate CPU-seconds in all.
  const loginsPerCpuSecond = single ?? pair;
  const cpuSecondsAtPeak = loginsPerCpuSecond === undefined ? undefined : peak / loginsPerCpuSecond;
  const instances = cpuSecondsAtPeak === undefined ? undefined : Math.ceil(cpuSecondsAtPeak / 0.6);
  const ops = (mode, provider) => perLogin.find((row) => row.mode === mode && row.provider === provider)?.perLogin;
  const redis = bytes.find((row) => row.store.startsWith('Redis'));
  const postgres = bytes.find((row) => row.store.startsWith('PostgreSQL'));
  const rows = [];
  for (const [mode, provider] of [['smart', 'store-backed'], ['smart', 'sealed handles'], ['stateless', 'store-backed'], ['stateless', 'sealed handles']]) {
    const per = ops(mode, provider);
    if (per === undefined) continue;
    // Nonces kept at once: one per login on the RP, one more on the OP for stateless check_authentication.
    const noncesPerLogin = per.rp.useNonce + per.op.useNonce;
    const kept = mean * windowSeconds * noncesPerLogin;
    rows.push({
      mode,
      provider,
      storeOperationsPerSecondAtPeak: Math.round(peak * (per.rp.total + per.op.total)),
      noncesKept: Math.round(kept),
      redisMegabytes: redis === undefined ? undefined : Math.round((kept * redis.bytesPerNonce) / 1e6),
      postgresMegabytes: postgres === undefined ? undefined : Math.round((kept * postgres.bytesPerNonce) / 1e6),
    });
  }
  return { loginsPerDay: LOGINS_PER_DAY, meanPerSecond: Math.round(mean), peakPerSecond: Math.round(peak), loginsPerCpuSecond, cpuSecondsAtPeak: cpuSecondsAtPeak && Math.round(cpuSecondsAtPeak * 10) / 10, instancesAt60PctCpu: instances, rows };
}

const began = Date.now();
const services = {
  redis: await reachable(REDIS_URL, 6379),
  postgres: await reachable(process.env.OPENID_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test', 5432),
  mysql: await reachable(process.env.OPENID_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test', 3306),
};
const provider = await providerFigures(services);
const perLogin = await operationsPerLogin();
const bytes = await bytesPerItem(services);
const previous = JSON.parse(readFileSync(RESULTS, 'utf8'));
const scale = { date: new Date().toISOString(), seconds: Math.round((Date.now() - began) / 1000), services, provider, operationsPerLogin: perLogin, bytes, estimate: estimate({ perLogin, bytes, cases: previous.cases }) };
writeFileSync(RESULTS, `${JSON.stringify({ ...previous, scale }, null, 2)}\n`);
console.log(JSON.stringify(scale, null, 2));
