// Module hooks (node:module `register`) that let a plain Node process run the
// workspace's TypeScript sources without a build: the store conformance
// suite's second process imports `openid2-core`, `openid-store-sql` and
// `openid-store-redis` through them, so it always runs the same code as the
// jest process, never a stale or missing dist/.
//
// - resolve: a bare workspace package name (`openid2-core`) goes to
//   packages/<name>/src/index.ts, a subpath (`openid-store-sql/sqlite`) to
//   packages/<name>/src/<subpath>.ts; a relative `./x.js` imported from a .ts file
//   goes to `./x.ts` when that exists (NodeNext import style).
// - load: .ts files are transpiled (types erased, nothing checked) with the
//   workspace's `typescript`, the same transpile-only step ts-jest performs.
//   Output is cached on disk by content hash, so only the first child process
//   after an edit pays for transpiling.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const PACKAGES = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(PACKAGES, '..', 'node_modules', '.cache', 'openid-ts-source-loader');

let compiler;
async function typescript() {
  compiler ??= (await import('typescript')).default;
  return compiler;
}

export async function resolve(specifier, context, nextResolve) {
  const workspace = /^(openid2?-[a-z-]+)(?:\/([a-z-]+))?$/.exec(specifier);
  if (workspace !== null) {
    const source = join(PACKAGES, workspace[1], 'src', `${workspace[2] ?? 'index'}.ts`);
    if (existsSync(source)) return { url: pathToFileURL(source).href, format: 'module', shortCircuit: true };
  }
  const parent = context.parentURL;
  if (parent?.endsWith('.ts') && /^\.\.?\//.test(specifier) && specifier.endsWith('.js')) {
    const candidate = new URL(`${specifier.slice(0, -3)}.ts`, parent);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, format: 'module', shortCircuit: true };
  }
  return nextResolve(specifier, context);
}

async function transpile(path, source) {
  const key = createHash('sha256').update(path).update('\0').update(source).digest('hex');
  const cached = join(CACHE, `${key}.mjs`);
  try {
    return await readFile(cached, 'utf8');
  } catch {
    // Not cached yet.
  }
  const ts = await typescript();
  const { outputText } = ts.transpileModule(source, {
    fileName: path,
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      inlineSourceMap: true,
    },
  });
  // Written under a temporary name, then renamed: concurrent children never read half a file.
  await mkdir(CACHE, { recursive: true });
  const temp = `${cached}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temp, outputText);
  await rename(temp, cached);
  return outputText;
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
  const path = fileURLToPath(url);
  const source = await readFile(path, 'utf8');
  return { format: 'module', source: await transpile(path, source), shortCircuit: true };
}
