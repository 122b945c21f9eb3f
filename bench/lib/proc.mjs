// Processes under measurement: started pinned to a core with taskset, their
// CPU time and peak resident memory read from /proc (the machine is shared:
// CPU-seconds of the serving process are the steadier figure).
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { once } from 'node:events';

const CLOCK_TICKS = (() => {
  const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const ticks = Number.parseInt(result.stdout, 10);
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

export const CORES = (() => {
  const result = spawnSync('nproc', [], { encoding: 'utf8' });
  return Number.parseInt(result.stdout, 10) || 1;
})();

/** The core the server under test runs on, and the one the load generator runs on. */
export const SERVER_CORE = CORES > 1 ? 1 : 0;
export const LOAD_CORE = 0;

export const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** [command, args] that run `command args` pinned to `core` (taskset execs, so the pid is the command's). */
export function pinned(core, command, args) {
  return HAS_TASKSET ? ['taskset', ['-c', String(core), command, ...args]] : [command, args];
}

function statFields(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name is in parentheses and may contain spaces: split after the last ')'.
  return text.slice(text.lastIndexOf(')') + 2).split(' ');
}

/** The process and its descendants (gunicorn's worker under its master). */
export function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(statFields(entry)[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {
      // The process exited while we looked.
    }
  }
  const tree = [];
  const queue = [pid];
  while (queue.length > 0) {
    const next = queue.shift();
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  return tree;
}

/** User + system CPU seconds of a process tree so far. */
export function cpuSeconds(pid) {
  let ticks = 0;
  for (const member of processTree(pid)) {
    try {
      const fields = statFields(member);
      // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the name and state).
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return ticks / CLOCK_TICKS;
}

/** Peak resident memory (VmHWM) of a process tree, in bytes. */
export function peakRss(pid) {
  let total = 0;
  for (const member of processTree(pid)) {
    try {
      const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${member}/status`, 'utf8'));
      if (match) total += Number(match[1]) * 1024;
    } catch {
      // Gone.
    }
  }
  return total;
}

/**
 * Starts a server process pinned to the server core and waits for it to
 * print `READY <port>` on stdout. Returns its pid, port and a stop function.
 */
export async function startProcess(name, command, args, { env = {}, core = SERVER_CORE, timeoutMs = 30_000 } = {}) {
  const [cmd, argv] = pinned(core, command, args);
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const onData = (chunk) => {
      output += chunk;
      const match = /READY (\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${output}`));
    });
  });
  const port = await ready;
  return {
    name,
    pid: child.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await once(child, 'exit');
      clearTimeout(timer);
    },
  };
}

/** Runs a node script pinned to a core and returns the JSON it prints last on stdout. */
export async function runJsonProcess(command, args, { core = SERVER_CORE, env = {}, timeoutMs = 300_000 } = {}) {
  const [cmd, argv] = pinned(core, command, args);
  const child = spawn(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const [code, signal] = await once(child, 'exit');
  clearTimeout(timer);
  const last = stdout.trim().split('\n').pop() ?? '';
  if (code !== 0) throw new Error(`${[command, ...args].join(' ')} failed (${code ?? signal}):\n${stderr}${stdout}`);
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${[command, ...args].join(' ')} printed no JSON result:\n${stderr}${stdout}`);
  }
}
