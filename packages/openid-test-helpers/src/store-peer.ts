/**
 * A store opened in a second Node process, for the conformance suite's
 * two-process tests.
 *
 * How the child gets the store code: it runs store-child.mjs, which registers
 * module hooks (ts-source-loader.mjs) that map the workspace packages to
 * their `src/index.ts` and transpile TypeScript on the fly (types erased, as
 * ts-jest does; output cached by content hash). So the child runs exactly
 * the sources the test runs, with no build step and no risk of a stale
 * dist/, and a warm start costs only Node's own start-up.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** How another process opens the same store: the package, the export and JSON constructor options. */
export interface SharedStoreSpec {
  module: string;
  exportName: string;
  options: Record<string, unknown>;
}

/** What the child answers when it fails: a thrown error's name and code. */
export class PeerError extends Error {
  readonly code: string | undefined;
  constructor(name: string, code: string | undefined, message: string) {
    super(`${name}: ${message}`);
    this.name = 'PeerError';
    this.code = code;
  }
}

export interface StorePeer {
  /** Runs one operation in the child (or `repeat` concurrent ones) and resolves with its JSON result. */
  call(op: string, args: readonly unknown[], repeat?: number): Promise<unknown>;
  /** Closes the child's store and waits for it to exit. */
  close(): Promise<void>;
}

const CHILD = fileURLToPath(new URL('./store-child.mjs', import.meta.url));
const ANSWER_TIMEOUT_MS = 30_000;

interface Answer {
  id?: number;
  ready?: boolean;
  result?: unknown;
  error?: { name: string; code?: string; message: string };
}

/** Starts the second process and resolves once it has opened the store. */
export function startStorePeer(spec: SharedStoreSpec): Promise<StorePeer> {
  const child = spawn(process.execPath, ['--no-warnings', CHILD, JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const waiting = new Map<number, (answer: Answer) => void>();
  let nextId = 0;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolveReady, rejectReady) => {
    const startTimer = setTimeout(() => rejectReady(new Error(`the store child did not start: ${stderr}`)), ANSWER_TIMEOUT_MS);
    child.once('exit', (code) => rejectReady(new Error(`the store child exited (${code}): ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const answer = JSON.parse(line) as Answer;
      if (answer.ready === true) {
        clearTimeout(startTimer);
        resolveReady(peer);
        return;
      }
      waiting.get(answer.id as number)?.(answer);
      waiting.delete(answer.id as number);
    });
    const peer: StorePeer = {
      call: (op, args, repeat) =>
        new Promise((resolve, reject) => {
          const id = (nextId += 1);
          const timer = setTimeout(() => reject(new Error(`the store child did not answer ${op}: ${stderr}`)), ANSWER_TIMEOUT_MS);
          waiting.set(id, (answer) => {
            clearTimeout(timer);
            if (answer.error === undefined) resolve(answer.result);
            else reject(new PeerError(answer.error.name, answer.error.code, answer.error.message));
          });
          child.stdin.write(`${JSON.stringify({ id, op, args, repeat })}\n`);
        }),
      close: async () => {
        child.stdin.end();
        const killer = setTimeout(() => child.kill(), ANSWER_TIMEOUT_MS);
        await exited;
        clearTimeout(killer);
      },
    };
  });
}
