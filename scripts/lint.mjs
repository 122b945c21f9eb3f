// Repository hygiene checks that a type checker does not make: no focused
// tests and no module-level `console.log` left in library sources.
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

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('lint: ok');
