import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

// The acceptance check of issue 18 on the layering of every package: the
// relative imports of packages/*/src (type-only ones included, since a type
// cycle is still two files that cannot be read apart) form no cycle, and the
// provider side (`server/`) is never a dependency of the relying party
// (`consumer/`) or of the extensions both sides share.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...sourceFiles(path));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

/** Relative imports of one file, resolved to files (`./x.js` → `./x.ts`, `./dir` → `./dir/index.ts`). */
function relativeImports(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const targets: string[] = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName);
    const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, join(base, 'index.ts')];
    const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
    if (found === undefined) throw new Error(`${relative(repo, file)}: cannot resolve ${fileName}`);
    targets.push(found);
  }
  return targets;
}

function graphOf(files: string[]): Map<string, string[]> {
  return new Map(files.map((file) => [file, relativeImports(file)]));
}

/** Every cycle found by a depth-first walk, each as the list of files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next]);
      else if (state.get(next) === undefined) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (state.get(file) === undefined) visit(file);
  return found;
}

const packageSources = readdirSync(join(repo, 'packages'))
  .map((dir) => join(repo, 'packages', dir, 'src'))
  .filter((src) => existsSync(src));
const graph = graphOf(packageSources.flatMap(sourceFiles));
const name = (file: string): string => relative(join(repo, 'packages'), file);

describe('module graph of packages/*/src (issue 18 acceptance)', () => {
  test('the walk sees the core and resolves its imports', () => {
    const core = join(repo, 'packages', 'openid2-core', 'src');
    expect(graph.get(join(core, 'index.ts'))?.length).toBeGreaterThan(10);
    expect(graph.get(join(core, 'consumer', 'consumer.ts'))).toContain(join(core, 'message.ts'));
  });

  test('the cycle finder reports a type-only cycle', () => {
    const a = '/x/a.ts';
    const b = '/x/b.ts';
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([[a, b, a]]);
    expect(cycles(new Map([[a, [b]], [b, []]]))).toEqual([]);
  });

  test('18: no import cycle, type-only imports included', () => {
    expect(cycles(graph).map((cycle) => cycle.map(name).join(' → '))).toEqual([]);
  });

  test('18: nothing under consumer/ or extensions/ imports from server/', () => {
    const inverted: string[] = [];
    for (const [file, targets] of graph) {
      if (!/\/src\/(consumer|extensions)\//.test(file)) continue;
      for (const target of targets) {
        if (/\/src\/server\//.test(target)) inverted.push(`${name(file)} → ${name(target)}`);
      }
    }
    expect(inverted).toEqual([]);
  });
});
