// `node bench/micro.mjs`: runs the micro-benchmark scripts in this folder against the
// built packages (npm run build runs first) and prints their figures.
// Benchmarks measure speed; tests never do.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((name) => name.endsWith('.mjs') && name !== 'run.mjs' && name !== 'micro.mjs' && !name.startsWith('lib-'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
  .sort();

let failed = 0;
for (const script of scripts) {
  console.log(`\n### ${script}`);
  const result = spawnSync(process.execPath, [join(here, script)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`${script} exited with ${result.status ?? result.signal}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
