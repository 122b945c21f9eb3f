// Case 1 taken apart: where the provider's checkid_immediate loses to the
// Express ceiling. Measures, side by side as `npm run bench` does, ours,
// the ceiling's short redirect, the same route answering with our 750-byte
// Location and headers, and that answer behind the bench provider's app
// structure (bench/servers/ceiling-parts.mjs). Not part of `npm run bench`.
//   npm run build && node bench/case1-parts.mjs [--rounds=3] [--seconds=4]
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { immediateRequest, startOurs } from './cases/provider.mjs';
import { measureHttp } from './lib/http.mjs';
import { startProcess } from './lib/proc.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const option = (name, fallback) => Number(process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const settings = { rounds: option('rounds', 3), warmupSeconds: 2, roundSeconds: option('seconds', 4) };

const ours = await startOurs();
let parts;
try {
  const path = await immediateRequest(`${ours.url}/openid`);
  const location = (await fetch(`${ours.url}${path}`, { redirect: 'manual' })).headers.get('location');
  parts = await startProcess('express, case 1 parts', process.execPath, [join(here, 'servers', 'ceiling-parts.mjs')], { env: { OPENID_BENCH_LOCATION: location } });
  const query = path.slice(path.indexOf('?'));
  const fixed = (target) => async () => ({ path: target, connections: 10, expectStatus: '3xx', amount: 250_000 });
  const rows = [
    await measureHttp('openid-provider-express', ours, fixed(path), settings),
    await measureHttp('Express + session, short redirect (the ceiling)', parts, fixed(`/redirect${query}`), settings),
    await measureHttp(`Express + session, our ${location.length}-byte Location and headers`, parts, fixed(`/same${query}`), settings),
    await measureHttp('the same, mounted as the bench provider is', parts, fixed(`/mounted${query}`), settings),
  ];
  const ourRate = rows[0].cpuRate.median;
  for (const row of rows) {
    const rate = row.cpuRate.median;
    console.log(`${row.subject.padEnd(58)} ${String(Math.round(rate)).padStart(6)}/CPU-s ±${Math.round(row.cpuRate.spreadPct)}%  ${Math.round(1e6 / rate)} µs  ours ÷ this ${(ourRate / rate).toFixed(2)}`);
  }
} finally {
  await parts?.stop();
  await ours.stop();
}
