// HTTP cases: the load generator (autocannon, its own process, pinned to the
// load core) against one server process pinned to the server core; CPU time
// of the server read from /proc around every round.
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { cpuSeconds, LOAD_CORE, peakRss, runJsonProcess } from './proc.mjs';
import { median, summarize } from './stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'openid-bench-'));
let files = 0;

export function scratchFile(name, data) {
  const path = join(scratch, `${(files += 1)}-${name}.json`);
  writeFileSync(path, JSON.stringify(data));
  return path;
}

/** A free TCP port on 127.0.0.1 (for servers that cannot report theirs, such as gunicorn). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** One autocannon run from the load core. */
export function load(spec) {
  return runJsonProcess(process.execPath, [join(here, 'load.mjs'), JSON.stringify(spec)], { core: LOAD_CORE });
}

/**
 * Warms up, then runs `rounds` bounded rounds. `spec(round)` gives the load
 * spec of a round (round −1 is the warm-up; it may make a fresh pool), given
 * the previous round's rate per wall-clock second once there is one.
 * Returns the record of one subject: rates per wall-clock second and per
 * CPU-second of the server, latencies, peak RSS, and every failure counted.
 */
export async function measureHttp(subject, server, spec, { rounds, warmupSeconds, roundSeconds, log }) {
  const warm = await spec(-1);
  await load({ ...warm, url: server.url, duration: warmupSeconds });
  const walls = [];
  const cpus = [];
  const p50 = [];
  const p99 = [];
  let ok = 0;
  let failed = 0;
  for (let round = 0; round < rounds; round += 1) {
    // The previous round's rate sizes pools (none before the first round).
    const roundSpec = await spec(round, walls.length === 0 ? undefined : walls[walls.length - 1]);
    const before = cpuSeconds(server.pid);
    const result = await load({ ...roundSpec, url: server.url, duration: roundSeconds });
    const cpu = cpuSeconds(server.pid) - before;
    walls.push(result.ok / result.seconds);
    cpus.push(cpu > 0 ? result.ok / cpu : Number.NaN);
    p50.push(result.latency.p50);
    p99.push(result.latency.p99);
    ok += result.ok;
    failed += result.total - result.ok + result.errors + result.timeouts;
    log?.(`    ${subject} round ${round + 1}: ${Math.round(result.ok / result.seconds)}/s wall, ${cpu > 0 ? Math.round(result.ok / cpu) : '?'}/CPU-s, ${result.ok} ok, ${result.total - result.ok} not ok`);
  }
  return {
    subject,
    unit: 'req/s',
    rate: summarize(walls),
    cpuRate: summarize(cpus),
    latencyMs: { p50: median(p50), p99: median(p99) },
    peakRssBytes: peakRss(server.pid),
    completed: ok,
    failed,
  };
}
