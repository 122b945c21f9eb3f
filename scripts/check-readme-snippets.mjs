// Type-checks every TypeScript snippet (```ts blocks) of the root README and
// the package READMEs against the built packages, as an application outside
// this repository would see them: `strict`, `skipLibCheck: false` (so the
// shipped declarations are checked too), NodeNext modules, each package
// resolved through its `exports` map to dist/. Run after `npm run build`.
//
// Each block is its own module. A fragment may use the names declared in
// scripts/readme-snippets/context.d.ts (an `app`, a `store`, a request...)
// without declaring them; anything else it uses must be imported or declared
// in the block, as a reader would have to.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync, copyFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { STRANGER_COMPILER_OPTIONS } from './packaging/tools.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The READMEs whose snippets are checked. */
export function readmes() {
  const packages = readdirSync(join(root, 'packages'))
    .map((dir) => join(root, 'packages', dir, 'README.md'))
    .filter((path) => existsSync(path));
  return [join(root, 'README.md'), ...packages.sort()];
}

/** The ```ts blocks of a Markdown text, with the line each starts on. */
export function tsBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    if (!/^```(ts|typescript)\s*$/.test(lines[i])) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end])) end += 1;
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

function main() {
  const missing = ['openid2-core', 'openid-consumer-express', 'openid-provider-express', 'openid-store-sql', 'openid-store-redis'].filter(
    (name) => !existsSync(join(root, 'packages', name, 'dist', 'index.d.ts')),
  );
  if (missing.length > 0) {
    console.error(`readme snippets: ${missing.join(', ')} not built; run \`npm run build\` first`);
    process.exit(1);
  }
  // Under node_modules, so that the snippets resolve packages as an application would.
  const dir = join(root, 'node_modules', '.cache', 'readme-snippets');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(root, 'scripts', 'readme-snippets', 'context.d.ts'), join(dir, 'context.d.ts'));
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
  const sources = new Map();
  for (const readme of readmes()) {
    const name = relative(root, readme).replace(/\/README\.md$|README\.md$/, '').replace(/[/]/g, '_') || 'root';
    for (const [index, block] of tsBlocks(readFileSync(readme, 'utf8')).entries()) {
      const file = `${name}.${index + 1}.ts`;
      // `export {}` keeps every block a module, with its own scope.
      writeFileSync(join(dir, file), `${block.code}\nexport {};\n`);
      sources.set(file, `${relative(root, readme)}:${block.line}`);
    }
  }
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...STRANGER_COMPILER_OPTIONS, noEmit: true, noUnusedLocals: false },
      include: ['*.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  } catch (error) {
    // Name the README line each error comes from.
    const output = String(error.stdout).replace(/^(?:.*\/)?([\w.-]+\.\d+\.ts)\((\d+),(\d+)\)/gm, (whole, file, line, column) => {
      const source = sources.get(file);
      if (source === undefined) return whole;
      const [path, start] = source.split(':');
      return `${path}:${Number(start) + Number(line) - 1}:${column} (${file})`;
    });
    console.error(output);
    console.error(`readme snippets: type errors in ${sources.size} snippets checked`);
    process.exit(1);
  }
  console.log(`readme snippets: ${sources.size} TypeScript snippets type-check (strict, skipLibCheck false)`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
