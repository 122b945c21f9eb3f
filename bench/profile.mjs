// Where the time goes: a CPU profile of our side of one benchmark case,
// taken inside the measured process during the load only (no set-up, no
// warm-up), written to bench/profiles/case-<n>.cpuprofile and summarized.
//   npm run build && node bench/profile.mjs <1|2|3|4> [--seconds=6] [--top=25]
// 1 checkid_immediate, 2 check_authentication, 3 associate DH-SHA256 (the
// provider under autocannon, as in `npm run bench`), 4 complete() in process.
// The profiler slows the process down: read shares, not rates.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { associateBody, dhPool, FORM, immediateRequest, poolOf, startOurs } from './cases/provider.mjs';
import { prepare } from './cases/consumer.mjs';
import { load, scratchFile } from './lib/http.mjs';
import { runJsonProcess, SERVER_CORE } from './lib/proc.mjs';
import { printSummary, summarizeProfile } from './lib/profile-summary.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => Number(args.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const which = Number(args.find((arg) => /^\d$/.test(arg)));
const seconds = option('seconds', 6);
const top = option('top', 25);
if (![1, 2, 3, 4].includes(which)) {
  console.error('usage: node bench/profile.mjs <1|2|3|4> [--seconds=6] [--top=25]');
  process.exit(2);
}
const folder = join(here, 'profiles');
mkdirSync(folder, { recursive: true });
const file = join(folder, `case-${which}.cpuprofile`);

if (which === 4) {
  const assertions = scratchFile('assertions', prepare(Math.ceil(seconds * 40_000)));
  const result = await runJsonProcess(process.execPath, [join(here, 'consumer', 'ours.mjs'), assertions, '100', '1', String(seconds), '1'], { core: SERVER_CORE, env: { OPENID_BENCH_PROFILE: file } });
  if (result.failed > 0) throw new Error(`complete() failed: ${result.firstFailure}`);
  console.log(`case 4: ${result.rounds[0].ops} complete() calls profiled`);
} else {
  const server = await startOurs({ OPENID_BENCH_PROFILE: '1' });
  try {
    let spec;
    if (which === 1) {
      spec = { path: await immediateRequest(`${server.url}/openid`), expectStatus: '3xx', amount: 1_000_000 };
    } else if (which === 2) {
      const pool = await poolOf(server, '/bench/pool', Math.ceil(seconds * 12_000));
      spec = { method: 'POST', path: '/openid', headers: FORM, poolFile: scratchFile('check-auth', pool), expectStatus: '2xx', bodyIncludes: 'is_valid:true' };
    } else {
      spec = { method: 'POST', path: '/openid', headers: FORM, poolFile: scratchFile('dh-keys', dhPool(Math.ceil(seconds * 6_000)).map(associateBody)), expectStatus: '2xx', bodyIncludes: 'enc_mac_key:' };
    }
    // Warm-up on a separate slice of any pool, so the profiled load sends only fresh requests.
    const warm = spec.poolFile === undefined ? spec : { ...spec, amount: 2000 };
    await load({ ...warm, url: server.url, connections: 10, duration: 2 });
    await fetch(`${server.url}/bench/profile/start`, { method: 'POST' });
    const result = await load({ ...spec, poolOffset: spec.poolFile === undefined ? undefined : 2000, url: server.url, connections: 10, duration: seconds });
    await fetch(`${server.url}/bench/profile/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ file }) });
    console.log(`case ${which}: ${result.ok} requests answered as expected, ${result.total - result.ok} not`);
  } finally {
    await server.stop();
  }
}
console.log(`profile written to ${file}`);
printSummary(summarizeProfile(file, { top }));
