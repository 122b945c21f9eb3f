/**
 * Keeps `npm run bench` working: a smoke run with tiny bounded loads (its
 * figures mean nothing, timing is judged only by the real run) must finish,
 * measure every case against every reference it can reach, and hold the
 * correctness checks the benchmark reports: no failed login, no replay
 * accepted, no assertion left unverified, a re-login without discovery or
 * association. It runs the built packages (npm test builds first).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { redisAvailability, servicesRequired, SYSTEM_PYTHON } from 'openid-test-helpers';

const RUNNER = fileURLToPath(new URL('../run.mjs', import.meta.url));

interface Rate { median: number | null }
interface Entry { subject: string; rate: Rate; cpuRate: Rate }
interface Check { label: string; value: unknown; met: boolean; hard?: boolean }
interface Target { against: string; skipped?: string; actual?: number | null }
interface CaseRecord {
  id: number;
  name: string;
  subject?: Entry;
  references?: Entry[];
  checks?: Check[];
  facts?: { label: string; value: unknown }[];
  targets: Target[];
}
interface Results { settings: { smoke: boolean }; cases: CaseRecord[] }

function pythonPeersInstalled(): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(SYSTEM_PYTHON, ['-c', 'import openid, gunicorn'], (error) => resolve(error === null));
  });
}

let results: Results;
let python = false;
let redis = false;
let output = '';

beforeAll(async () => {
  python = await pythonPeersInstalled();
  redis = (await redisAvailability()).ok;
  if (!python) {
    const message = 'python3-openid or python3-gunicorn is missing: the smoke run skips the python3-openid columns';
    if (servicesRequired()) throw new Error(`${message} and OPENID_REQUIRE_SERVICES=1`);
    console.warn(`\n*** ${message}\n`);
  }
  if (!redis) {
    if (servicesRequired()) throw new Error('Redis is unreachable and OPENID_REQUIRE_SERVICES=1');
    console.warn('\n*** Redis is unreachable: the smoke run skips the Redis rows of case 5\n');
  }
  const dir = mkdtempSync(join(tmpdir(), 'openid-bench-smoke-'));
  const file = join(dir, 'results.json');
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(
        process.execPath,
        [RUNNER, '--smoke', '--no-install', `--output=${file}`],
        { timeout: 480_000, maxBuffer: 32 * 1024 * 1024 },
        (error, stdout, stderr) => {
          output = `${stdout}\n${stderr}`;
          if (error) reject(new Error(`bench smoke run failed (${error.message}):\n${output.slice(-6000)}`));
          else resolve();
        },
      );
    });
    results = JSON.parse(readFileSync(file, 'utf8')) as Results;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 500_000);

const byId = (id: number): CaseRecord => {
  const found = results.cases.find((record) => record.id === id);
  if (found === undefined) throw new Error(`case ${id} is missing from the results`);
  return found;
};

const measured = (entry: Entry): void => {
  expect(entry.rate.median).toBeGreaterThan(0);
  expect(entry.cpuRate.median).toBeGreaterThan(0);
};

test('the run is recorded as a smoke run holding cases 1 to 7', () => {
  expect(results.settings.smoke).toBe(true);
  expect(results.cases.map((record) => record.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(output).toContain('Targets (ratios on CPU-seconds');
});

test.each([1, 2, 3, 4])('case %i measures ours and every reference, with a ratio for each target', (id) => {
  const record = byId(id);
  measured(record.subject!);
  const references = record.references ?? [];
  // Case 2 also measures the provider with express-session in front of every request (20.7).
  const expected = id === 4 ? 5 - (python ? 0 : 1) : (python ? 2 : 1) + (id === 2 ? 1 : 0);
  expect(references).toHaveLength(expected);
  if (id === 2) expect(references.some((reference) => reference.subject.includes('express-session in front of every request'))).toBe(true);
  for (const reference of references) measured(reference);
  expect(references.some((reference) => reference.subject.includes('python3-openid'))).toBe(python);
  expect(record.targets.length).toBe(2);
  for (const target of record.targets) {
    if (target.against.includes('python3-openid') && !python) expect(target.skipped).toBeTruthy();
    else expect(target.actual).toBeGreaterThan(0);
  }
});

test('case 4 verifies every prepared assertion', () => {
  const check = byId(4).checks!.find((candidate) => candidate.label === 'assertions not verified');
  expect(check).toMatchObject({ value: 0, met: true });
});

test('case 5: every login succeeds and every replay is refused, with Redis and two processes each side', () => {
  const record = byId(5);
  const rows = [record.subject!, ...(record.references ?? [])];
  expect(rows.map((row) => row.subject)).toEqual([
    'memory store, 1 RP + 1 OP',
    ...(redis ? ['Redis store, 1 RP + 1 OP', 'Redis store and sessions, 2 RP + 2 OP, alternating'] : []),
  ]);
  for (const row of rows) measured(row);
  const checks = Object.fromEntries(record.checks!.map((check) => [check.label, check]));
  expect(checks['failed logins']).toMatchObject({ value: 0, met: true });
  expect(checks['replayed responses accepted']).toMatchObject({ value: 0, met: true });
  expect(checks['replayed responses refused']!.met).toBe(true);
  expect(checks['replayed responses refused']!.value).toBeGreaterThan(0);
});

test('case 6: a second login makes no discovery and no association request', () => {
  const checks = Object.fromEntries(byId(6).checks!.map((check) => [check.label, check]));
  expect(checks['both logins succeeded']).toMatchObject({ value: 2, met: true });
  expect(checks['second login: discovery requests']).toMatchObject({ value: 0, met: true });
  expect(checks['second login: association requests']).toMatchObject({ value: 0, met: true });
});

test('case 7 reports memory for nonces, associations and after cleanup', () => {
  const labels = byId(7).facts!.map((fact) => fact.label);
  expect(labels).toEqual(['RSS, empty store', '+ 10,000 nonces', '+ 1,000 associations', 'after cleanup (all expired)']);
  expect(String(byId(7).facts![3]!.value)).toContain('removed 10000 nonces, 1000 associations');
});
