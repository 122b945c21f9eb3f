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
