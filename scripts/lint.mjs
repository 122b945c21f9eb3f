// Repository hygiene checks that a type checker does not make: no focused
// tests, no module-level `console.log` left in library sources, and the
// published packages' LICENSE, shared version and file list.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const problems = [];
function walk(dir, visit) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, visit);
    else if (path.endsWith('.ts')) visit(path, readFileSync(path, 'utf8'));
  }
}

for (const root of ['packages', 'examples', 'bench'].filter((dir) => existsSync(dir))) {
  walk(root, (path, text) => {
    if (/\b(it|test|describe)\.only\(/.test(text)) problems.push(`${path}: focused test (.only)`);
    if (path.includes('/src/') && !path.includes('/cli/') && !path.includes('examples/') && /^\s*console\.log\(/m.test(text)) {
      problems.push(`${path}: console.log in library code`);
    }
  });
}

// Every published package ships the root LICENSE and keeps the shared version.
const license = readFileSync('LICENSE', 'utf8');
const rootVersion = JSON.parse(readFileSync('lerna.json', 'utf8')).version;
for (const dir of readdirSync('packages')) {
  const manifest = JSON.parse(readFileSync(join('packages', dir, 'package.json'), 'utf8'));
  if (manifest.private === true) continue;
  const path = join('packages', dir, 'LICENSE');
  if (!existsSync(path) || readFileSync(path, 'utf8') !== license) problems.push(`${path}: missing or different from the root LICENSE`);
  if (manifest.version !== rootVersion) problems.push(`${dir}/package.json: version ${manifest.version}, lerna.json says ${rootVersion}`);
  if (!manifest.files?.includes('LICENSE') || !manifest.files?.includes('!dist/.tsbuildinfo')) problems.push(`${dir}/package.json: files must list LICENSE and exclude dist/.tsbuildinfo`);
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
