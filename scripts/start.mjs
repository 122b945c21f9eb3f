// `npm start`: until the example sites exist, show what the workspace holds
// and how to run the tests.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

console.log('OpenID 2.0 / 1.1 suite for Node.js. Packages in this workspace:\n');
for (const root of ['packages', 'examples']) {
  if (!existsSync(root)) continue;
  for (const dir of readdirSync(root).sort()) {
    const manifest = join(root, dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
    console.log(`  ${pkg.name.padEnd(28)} ${pkg.description ?? ''}`);
  }
}
console.log('\nThe example provider and relying party sites are not written yet.');
console.log('Run the tests with: npm test');
