import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from 'jest';

// One jest project per workspace package that has a test/ folder. Tests run as
// native ESM (the packages are ESM, and `got` is ESM-only), transpiled by
// ts-jest without type-checking: `npm run typecheck` checks types once for the
// whole tree, which is much faster than type-checking per test file.
const roots = ['packages', 'examples'];

// Workspace packages resolve to their TypeScript sources, so tests never
// depend on a previous build.
const workspaceMapper: Record<string, string> = {};
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const dir of readdirSync(root)) {
    const src = join(__dirname, root, dir, 'src', 'index.ts');
    if (!existsSync(src)) continue;
    workspaceMapper[`^${dir}$`] = src;
    // Subpath exports (`openid-store-sql/sqlite`) name a file of src/.
    workspaceMapper[`^${dir}/([a-z-]+)$`] = join(__dirname, root, dir, 'src', '$1.ts');
  }
}

// The transform cache lives with this checkout (a fresh clone starts with an
// empty one), never shared through the machine's temp folder with other
// checkouts or an earlier run's stale entries.
const CACHE = join(__dirname, 'node_modules', '.cache', 'jest');

function project(root: string, dir: string): Config {
  return {
    displayName: dir,
    cacheDirectory: CACHE,
    rootDir: join(__dirname, root, dir),
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts'],
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    moduleNameMapper: {
      ...workspaceMapper,
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    transform: {
      '^.+\\.ts$': [
        'ts-jest',
        {
          useESM: true,
          tsconfig: join(__dirname, 'tsconfig.jest.json'),
        },
      ],
    },
  };
}

const projects: Config[] = [];
for (const root of roots) {
  if (!existsSync(root)) continue;
  for (const dir of readdirSync(root).sort()) {
    if (existsSync(join(root, dir, 'test'))) projects.push(project(root, dir));
  }
}

// The benchmark's smoke run (tiny loads, no timing judged) keeps `npm run bench` working.
if (existsSync(join('bench', 'test'))) projects.push(project('.', 'bench'));

const config: Config = {
  projects,
  testTimeout: 30_000,
  cacheDirectory: CACHE,
};

export default config;
