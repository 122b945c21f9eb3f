/**
 * Debian's python3-openid (the reference implementation), used as an
 * independent peer in interoperability tests. It is installed for the system
 * interpreter, /usr/bin/python3, not for any other python on the PATH.
 */
import { existsSync } from 'node:fs';
import { run, type Availability } from './services.js';

export const SYSTEM_PYTHON = '/usr/bin/python3';

let cached: Promise<Availability> | undefined;

/** Whether python3-openid can be imported by the system interpreter. */
export function pythonOpenIDAvailability(): Promise<Availability> {
  cached ??= (async () => {
    if (!existsSync(SYSTEM_PYTHON)) return { ok: false, reason: `${SYSTEM_PYTHON} not found (apt-get install python3-openid)` };
    try {
      await run(SYSTEM_PYTHON, ['-c', 'import openid'], { timeoutMs: 10_000 });
      return { ok: true };
    } catch {
      return { ok: false, reason: 'python3-openid is not installed (apt-get install python3-openid)' };
    }
  })();
  return cached;
}

/** Runs a python script (source text) with the system interpreter and returns its stdout. */
export function runPython(source: string, input?: string): Promise<string> {
  return run(SYSTEM_PYTHON, ['-c', source], input === undefined ? {} : { input });
}

export interface PythonPeer {
  /** Sends one JSON command and resolves with the JSON answer line. */
  call<T = Record<string, unknown>>(command: Record<string, unknown>): Promise<T>;
  close(): void;
}

/** Starts a python script speaking one JSON object per line on stdin/stdout. */
export async function startPythonPeer(script: string): Promise<PythonPeer> {
  const { spawn } = await import('node:child_process');
  const child = spawn(SYSTEM_PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let buffer = '';
  let stderr = '';
  const waiting: Array<(line: string) => void> = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    buffer += chunk;
    for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      waiting.shift()?.(line);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return {
    call<T>(command: Record<string, unknown>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`python peer did not answer: ${stderr}`)), 30_000);
        waiting.push((line) => {
          clearTimeout(timer);
          resolve(JSON.parse(line) as T);
        });
        child.stdin.write(`${JSON.stringify(command)}\n`);
      });
    },
    close(): void {
      child.kill();
    },
  };
}
