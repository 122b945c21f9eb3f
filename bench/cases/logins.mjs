// Case 5: full logins through both middlewares on loopback (memory store;
// Redis store; two relying-party and two provider processes sharing Redis),
// every login checked and every replay refused. Case 6: what a second login
// with the same identifier costs in discovery and association requests.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpuSeconds, LOAD_CORE, peakRss, runJsonProcess, startProcess } from '../lib/proc.mjs';
import { median, summarize } from '../lib/stats.mjs';
import { deleteRedisKeys, reachable } from '../lib/services.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const servers = join(here, '..', 'servers');
const client = join(here, '..', 'lib', 'login-client.mjs');
const REDIS_URL = process.env.OPENID_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';



/** Starts `ops` provider and `rps` relying-party processes of one site. */
async function startSite({ store, sessions, rps, ops }) {
  const prefix = `openid-bench:${randomBytes(4).toString('hex')}:`;
  const env = { OPENID_BENCH_STORE: store, OPENID_BENCH_SESSIONS: sessions, OPENID_BENCH_PREFIX: prefix, OPENID_BENCH_REDIS_URL: REDIS_URL, OPENID_BENCH_MODE: 'login' };
  const processes = [];
  try {
    const first = await startProcess('provider 1', process.execPath, [join(servers, 'ours-op.mjs')], { env });
    processes.push(first);
    for (let i = 1; i < ops; i += 1) processes.push(await startProcess(`provider ${i + 1}`, process.execPath, [join(servers, 'ours-op.mjs')], { env: { ...env, OPENID_BENCH_ENDPOINT: `${first.url}/openid` } }));
    // The relying party's "Sign in with X" button names alice's identifier: a plain GET /login, no typed identifier (whose form needs a login token).
    const rpEnv = { ...env, OPENID_BENCH_IDENTITY: `${first.url}/user/alice` };
    const rp = await startProcess('relying party 1', process.execPath, [join(servers, 'ours-rp.mjs')], { env: rpEnv });
    processes.push(rp);
    for (let i = 1; i < rps; i += 1) processes.push(await startProcess(`relying party ${i + 1}`, process.execPath, [join(servers, 'ours-rp.mjs')], { env: { ...rpEnv, OPENID_BENCH_BASE: rp.url } }));
  } catch (error) {
    await Promise.all(processes.map((process_) => process_.stop()));
    throw error;
  }
  const opList = processes.filter((entry) => entry.name.startsWith('provider'));
  const rpList = processes.filter((entry) => entry.name.startsWith('relying'));
  return {
    opList,
    rpList,
    identity: `${opList[0].url}/user/alice`,
    cpu: () => processes.reduce((sum, entry) => sum + cpuSeconds(entry.pid), 0),
    rss: () => processes.reduce((sum, entry) => sum + peakRss(entry.pid), 0),
    counters: async () => (await fetch(`${opList[0].url}/bench/counters`)).json(),
    async stop() {
      await Promise.all(processes.map((entry) => entry.stop()));
      if (store === 'redis' || sessions === 'redis') await deleteRedisKeys(prefix, REDIS_URL);
    },
  };
}

function runClient(site, { logins, concurrency, seconds, offset, alternate }) {
  const spec = { rps: site.rpList.map((entry) => entry.url), ops: site.opList.map((entry) => entry.url), opOrigin: site.opList[0].url, identity: site.identity, logins, concurrency, seconds, offset, alternate };
  return runJsonProcess(process.execPath, [client, JSON.stringify(spec)], { core: LOAD_CORE });
}

async function measureLogins(config, settings) {
  const site = await startSite(config);
  const totals = { ok: 0, failed: 0, replaysRefused: 0, replaysAccepted: 0, failures: {} };
  const add = (result) => {
    for (const key of ['ok', 'failed', 'replaysRefused', 'replaysAccepted']) totals[key] += result[key];
    for (const [reason, count] of Object.entries(result.failures)) totals.failures[reason] = (totals.failures[reason] ?? 0) + count;
  };
  try {
    const shape = { concurrency: settings.loginConcurrency, alternate: config.rps > 1 };
    add(await runClient(site, { ...shape, logins: settings.logins, seconds: settings.warmupSeconds, offset: 0 }));
    const walls = [];
    const cpus = [];
    const p50 = [];
    const p99 = [];
    for (let round = 0; round < settings.rounds; round += 1) {
      const before = site.cpu();
      const result = await runClient(site, { ...shape, logins: settings.logins, seconds: settings.roundSeconds * 2, offset: (round + 1) * settings.logins });
      const cpu = site.cpu() - before;
      add(result);
      walls.push(result.ok / result.seconds);
      cpus.push(cpu > 0 ? result.ok / cpu : Number.NaN);
      p50.push(result.latency.p50);
      p99.push(result.latency.p99);
      settings.log(`    ${config.label} round ${round + 1}: ${result.ok} logins, ${Math.round(result.ok / result.seconds)}/s, ${result.failed} failed, ${result.replaysRefused} replays refused, ${result.replaysAccepted} accepted`);
    }
    if (totals.failed > 0 || totals.replaysAccepted > 0) settings.log(`!! ${config.label}: ${JSON.stringify(totals.failures)}`);
    return {
      subject: config.label,
      unit: 'logins/s',
      rate: summarize(walls),
      cpuRate: summarize(cpus),
      latencyMs: { p50: median(p50), p99: median(p99) },
      peakRssBytes: site.rss(),
      completed: totals.ok,
      failed: totals.failed,
      replaysRefused: totals.replaysRefused,
      replaysAccepted: totals.replaysAccepted,
      failures: totals.failures,
    };
  } finally {
    await site.stop();
  }
}

/** Case 6: two logins with the same identifier, each in a new browser; the provider counts what the relying party asked of it. */
async function reloginCost(settings) {
  const site = await startSite({ store: 'memory', sessions: 'memory', rps: 1, ops: 1 });
  try {
    const one = { logins: 1, concurrency: 1, seconds: 30, alternate: false };
    const start = await site.counters();
    const first = await runClient(site, { ...one, offset: 0 });
    const afterFirst = await site.counters();
    const second = await runClient(site, { ...one, offset: 1 });
    const afterSecond = await site.counters();
    const delta = (a, b, key) => b[key] - a[key];
    return {
      first: { ok: first.ok, discovery: delta(start, afterFirst, 'discovery'), associate: delta(start, afterFirst, 'associate') },
      second: { ok: second.ok, discovery: delta(afterFirst, afterSecond, 'discovery'), associate: delta(afterFirst, afterSecond, 'associate') },
    };
  } finally {
    await site.stop();
  }
}

export async function loginCases(settings) {
  const { log } = settings;
  const records = [];
  log('case 5: full logins through both middlewares');
  const redis = await reachable(REDIS_URL, 6379);
  if (!redis) log(`!! Redis is not reachable at ${REDIS_URL}: the Redis rows of case 5 are skipped`);
  const configs = [
    { label: 'memory store, 1 RP + 1 OP', store: 'memory', sessions: 'memory', rps: 1, ops: 1 },
    ...(redis
      ? [
          { label: 'Redis store, 1 RP + 1 OP', store: 'redis', sessions: 'memory', rps: 1, ops: 1 },
          { label: 'Redis store and sessions, 2 RP + 2 OP, alternating', store: 'redis', sessions: 'redis', rps: 2, ops: 2 },
        ]
      : []),
  ];
  const measured = [];
  for (const config of configs) measured.push(await measureLogins(config, settings));
  const failed = measured.reduce((sum, entry) => sum + entry.failed, 0);
  const accepted = measured.reduce((sum, entry) => sum + entry.replaysAccepted, 0);
  const refused = measured.reduce((sum, entry) => sum + entry.replaysRefused, 0);
  records.push({
    id: 5,
    name: 'full logins',
    subject: measured[0],
    references: measured.slice(1),
    checks: [
      { label: 'failed logins', value: failed, want: 0, met: failed === 0, hard: true },
      { label: 'replayed responses accepted', value: accepted, want: 0, met: accepted === 0, hard: true },
      { label: 'replayed responses refused', value: refused, want: '2 per login', met: refused === 2 * measured.reduce((sum, entry) => sum + entry.completed, 0) },
    ],
  });

  log('case 6: re-login cost');
  const cost = await reloginCost(settings);
  records.push({
    id: 6,
    name: 're-login cost',
    first: cost.first,
    second: cost.second,
    facts: [
      { label: 'first login: discovery requests', value: cost.first.discovery },
      { label: 'first login: association requests', value: cost.first.associate },
      { label: 'second login: discovery requests', value: cost.second.discovery },
      { label: 'second login: association requests', value: cost.second.associate },
    ],
    checks: [
      { label: 'both logins succeeded', value: cost.first.ok + cost.second.ok, want: 2, met: cost.first.ok + cost.second.ok === 2, hard: true },
      { label: 'second login: discovery requests', value: cost.second.discovery, want: 0, met: cost.second.discovery === 0 },
      { label: 'second login: association requests', value: cost.second.associate, want: 0, met: cost.second.associate === 0 },
    ],
  });
  return records;
}
