/**
 * python3-openid's OP as a real peer: a fixture script (serving
 * `openid.server.server.Server` over http.server on 127.0.0.1) started with
 * the system interpreter, which prints its port first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { SYSTEM_PYTHON } from './python.js';

export interface PythonOP {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** Sets what checkid requests get: `allow`, `cancel` or `setup` (immediate requests answered "setup needed"). */
  policy(value: 'allow' | 'cancel' | 'setup'): Promise<void>;
  close(): Promise<void>;
}

/** Starts the script and waits for its port (it must print it on the first line of stdout). */
export async function startPythonOP(script: string, timeoutMs = 15_000): Promise<PythonOP> {
  const child: ChildProcess = spawn(SYSTEM_PYTHON, [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} printed no port within ${timeoutMs} ms`)), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
    child.stdout?.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(chunk.toString().trim());
    });
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    policy: async (value) => {
      const response = await fetch(`${base}/policy?set=${value}`);
      if (response.status !== 200) throw new Error(`policy ${value}: HTTP ${response.status}`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
