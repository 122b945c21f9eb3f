// `npm run bench`: the benchmark suite. Each case runs side by side with its
// references in the same run (ratios are case ÷ reference), the server under
// test pinned to one core, the load generator to the other. Prints a table
// and writes bench/results.json.
//   node bench/run.mjs [--smoke] [--only=1,4] [--no-install] [--output=FILE]
// --smoke runs tiny bounded loads (kept working by the test suite); its
// figures mean nothing and are written to bench/results.smoke.json. A run of
// some cases only (--only) is written to bench/results.partial.json, so the
// full run's record stays whole.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { providerCases } from './cases/provider.mjs';
import { consumerCase } from './cases/consumer.mjs';
import { loginCases } from './cases/logins.mjs';
import { memoryCase } from './cases/memory.mjs';
import { CORES, HAS_TASKSET, LOAD_CORE, SERVER_CORE } from './lib/proc.mjs';
import { format, ratioOf } from './lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const smoke = args.includes('--smoke');
const onlyArg = args.find((arg) => arg.startsWith('--only='));
const only = onlyArg === undefined ? undefined : new Set(onlyArg.slice('--only='.length).split(',').map(Number));
const wanted = (...ids) => only === undefined || ids.some((id) => only.has(id));
const log = (line) => console.log(line);
const began = Date.now();

const settings = smoke
  ? { rounds: 3, warmupSeconds: 0.3, roundSeconds: 0.4, connections: 4, maxRequests: 200, dhKeys: 400, consumerPool: 3000, consumerSeconds: 0.1, consumerRounds: 3, logins: 12, loginConcurrency: 2, bigNonces: 10_000, smoke: true, log }
  : { rounds: 3, warmupSeconds: 2, roundSeconds: 4, connections: 10, maxRequests: 250_000, dhKeys: 40_000, consumerPool: 240_000, consumerSeconds: 1, consumerRounds: 5, logins: 600, loginConcurrency: 8, bigNonces: 1_000_000, smoke: false, log };

// --- Peers --------------------------------------------------------------------
function pythonReady() {
  return spawnSync('/usr/bin/python3', ['-c', 'import openid, gunicorn'], { stdio: 'ignore' }).status === 0;
}
const python = { available: pythonReady(), why: '' };
if (!python.available && !args.includes('--no-install') && process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0) {
  log('python3-openid or gunicorn missing: apt-get install python3-openid python3-gunicorn');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let installed = spawnSync('apt-get', ['install', '-y', '-qq', 'python3-openid', 'python3-gunicorn'], { stdio: 'inherit', env });
  if (installed.status !== 0) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    installed = spawnSync('apt-get', ['install', '-y', '-qq', 'python3-openid', 'python3-gunicorn'], { stdio: 'inherit', env });
  }
  python.available = pythonReady();
}
if (!python.available) {
  python.why = 'python3-openid or python3-gunicorn is not installed (apt-get install python3-openid python3-gunicorn): its columns are skipped';
  log(`!! ${python.why}`);
}
if (!HAS_TASKSET) log('!! taskset is missing: processes are not pinned to cores');
if (CORES < 2) log('!! one core only: the server and the load generator share it');
log(`server core ${SERVER_CORE}, load core ${LOAD_CORE}; ${settings.rounds} rounds of ${settings.roundSeconds} s after ${settings.warmupSeconds} s of warm-up${smoke ? ' (smoke run)' : ''}`);

const context = { ...settings, python };
const records = [];
if (wanted(1, 2, 3)) records.push(...(await providerCases(context)).filter((record) => wanted(record.id)));
if (wanted(4)) records.push(await consumerCase(context));
if (wanted(5, 6)) records.push(...(await loginCases(context)).filter((record) => wanted(record.id)));
if (wanted(7)) records.push(await memoryCase(context));

// --- Targets and ratios ---------------------------------------------------------
const TARGETS = {
  1: [{ reference: 'Express', min: 0.85 }, { reference: 'python3-openid', min: 1.6 }],
  2: [{ reference: 'Express', min: 0.85 }, { reference: 'python3-openid', min: 1.1 }],
  3: [{ reference: 'floor', min: 0.7 }, { reference: 'python3-openid', min: 6 }],
  4: [{ reference: 'python3-openid', min: 5 }, { reference: 'node-openid verifyAssertion, 500 ', min: 4 }],
};
for (const record of records) {
  for (const reference of record.references ?? []) reference.ratio = ratioOf(record.subject, reference);
  const first = record.references?.[0];
  if (first !== undefined) {
    record.reference = { subject: first.subject, rate: first.rate, cpuRate: first.cpuRate };
    record.ratio = first.ratio;
  }
  record.targets = (TARGETS[record.id] ?? []).map(({ reference, min }) => {
    const against = record.references?.find((candidate) => candidate.subject.includes(reference));
    if (against === undefined) return { against: reference, min, skipped: python.why || 'reference not measured' };
    // Judged on CPU-seconds of the serving process (steady on a shared machine); wall-clock shown beside it.
    const actual = against.ratio.cpu ?? against.ratio.wall;
    return { against: against.subject, min, basis: against.ratio.cpu === null ? 'wall' : 'cpu', actual, wall: against.ratio.wall, met: actual !== null && actual >= min };
  });
}

// --- Table ------------------------------------------------------------------------
const rows = [['case', 'subject', 'rate/s (wall)', 'rate/CPU-s', 'p50 ms', 'p99 ms', 'peak RSS MB', 'ratio wall', 'ratio CPU']];
const rateCell = (summary) => (summary?.median == null ? '—' : `${format.rate(summary.median)} ${format.pct(summary.spreadPct)}`);
for (const record of records) {
  if (record.subject !== undefined) {
    const line = (entry, label, ratio) => [label, entry.subject, rateCell(entry.rate), rateCell(entry.cpuRate), format.ms(entry.latencyMs?.p50), format.ms(entry.latencyMs?.p99), format.mb(entry.peakRssBytes), format.ratio(ratio?.wall), format.ratio(ratio?.cpu)];
    rows.push(line(record.subject, `${record.id} ${record.name}`, undefined));
    for (const reference of record.references) rows.push(line(reference, '', reference.ratio));
  }
  for (const fact of record.facts ?? []) rows.push([`${record.id} ${record.name}`, fact.label, String(fact.value), '', '', '', '', '', '']);
}
const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
const printRow = (row) => `| ${row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
console.log(`\n${printRow(rows[0])}\n| ${widths.map((width, column) => (column < 2 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`);
for (const row of rows.slice(1)) console.log(printRow(row));

console.log('\nTargets (ratios on CPU-seconds of the serving process; wall-clock in brackets):');
for (const record of records) {
  for (const target of record.targets) {
    if (target.skipped) console.log(`  case ${record.id} vs ${target.against}: ≥ ${target.min}×: skipped (${target.skipped})`);
    else console.log(`  case ${record.id} vs ${target.against}: ≥ ${target.min}×: ${format.ratio(target.actual)} (${format.ratio(target.wall)} wall) ${target.met ? 'met' : 'MISSED'}`);
  }
  for (const check of record.checks ?? []) console.log(`  case ${record.id}: ${check.label}: ${check.value} (want ${check.want}) ${check.met ? 'met' : 'MISSED'}`);
}

const outputArg = args.find((arg) => arg.startsWith('--output='));
const output = outputArg !== undefined ? resolve(outputArg.slice('--output='.length)) : join(here, smoke ? 'results.smoke.json' : only !== undefined ? 'results.partial.json' : 'results.json');
const cpuModel = cpus()[0]?.model ?? 'unknown';
// bench/scale.mjs keeps its capacity figures under `scale` in the same file: carry them over.
const scale = existsSync(output) ? JSON.parse(readFileSync(output, 'utf8')).scale : undefined;
writeFileSync(
  output,
  `${JSON.stringify({ date: new Date().toISOString(), machine: { node: process.version, cores: CORES, cpu: cpuModel, pinned: HAS_TASKSET }, settings: { ...settings, log: undefined }, seconds: Math.round((Date.now() - began) / 1000), cases: records, ...(scale === undefined ? {} : { scale }) }, null, 2)}\n`,
);
console.log(`\nwritten ${output} in ${Math.round((Date.now() - began) / 1000)} s`);
const broken = records.some((record) => (record.checks ?? []).some((check) => check.hard && !check.met));
process.exit(broken ? 1 : 0);
