// Reads a .cpuprofile and lists the functions that take the time: self time
// (in the function itself) and inclusive time (with what it calls), as
// shares of the busy time (idle left out).
import { readFileSync } from 'node:fs';

function label(frame) {
  const where = frame.url
    .replace(/^file:\/\//, '')
    .replace(/.*\/node_modules\//, '')
    .replace(/.*\/packages\//, '')
    .replace(/.*\/bench\//, 'bench/');
  return `${frame.functionName || '(anonymous)'} ${where}${where === '' ? '' : `:${frame.lineNumber + 1}`}`;
}

export function summarizeProfile(file, { top = 25 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  const sampled = new Map();
  profile.samples.forEach((id, index) => sampled.set(id, (sampled.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const self = new Map();
  const inclusive = new Map();
  let busy = 0;
  const profiling = (id) => {
    for (let at = id; at !== undefined; at = parents.get(at)) if (nodes.get(at).callFrame.url.endsWith('/lib/profiler.mjs')) return true;
    return false;
  };
  for (const [id, micros] of sampled) {
    const name = label(nodes.get(id).callFrame);
    // Idle time, and the profiler starting and stopping, are not the code's.
    if (name.startsWith('(idle)') || profiling(id)) continue;
    busy += micros;
    self.set(name, (self.get(name) ?? 0) + micros);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parents.get(at)) {
      const outer = label(nodes.get(at).callFrame);
      if (seen.has(outer) || outer.startsWith('(root)')) continue;
      seen.add(outer);
      inclusive.set(outer, (inclusive.get(outer) ?? 0) + micros);
    }
  }
  const list = (map) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => ({ name, share: micros / busy }));
  return { busySeconds: busy / 1e6, self: list(self), inclusive: list(inclusive) };
}

export function printSummary(summary, log = console.log) {
  const row = ({ name, share }) => `  ${(100 * share).toFixed(1).padStart(5)}%  ${name}`;
  log(`busy ${summary.busySeconds.toFixed(2)} s`);
  log('self time:');
  for (const entry of summary.self) log(row(entry));
  log('inclusive time:');
  for (const entry of summary.inclusive) log(row(entry));
}
