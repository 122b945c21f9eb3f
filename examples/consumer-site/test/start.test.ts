/**
 * `npm start` as a person (or a process manager) runs it: a port in use is
 * a clear error with a non-zero exit, and SIGTERM or SIGINT to npm, or to
 * the node process under it, leaves no process and no port behind.
 * Every run uses free ports (PROVIDER_PORT, CONSUMER_PORT) and a temporary
 * data directory; 3000 and 3001 are never assumed free.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeWith } from 'openid-test-helpers';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const STARTED = 'Press Ctrl-C to stop.';

interface Run { child: ChildProcess; output: () => string; exit: Promise<number | null> }

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** `detached`: in a process group of its own, as in a terminal, so the group can be signalled like Ctrl-C does. */
function npmStart(env: Record<string, string>, detached = false): Run {
  const child = spawn('npm', ['start'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached });
  let text = '';
  child.stdout?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exit };
}

async function started(run: Run): Promise<void> {
  for (let i = 0; i < 1200 && !run.output().includes(STARTED); i += 1) {
    if (run.child.exitCode !== null) throw new Error(`npm start exited early:\n${run.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!run.output().includes(STARTED)) throw new Error(`npm start did not start:\n${run.output()}`);
}

/** Every process under pid (Linux /proc), deepest last. */
function descendants(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  if (!existsSync(file)) return [];
  const children = readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  return children.flatMap((child) => [child, ...descendants(child)]);
}

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');

async function gone(pids: number[]): Promise<boolean> {
  for (let i = 0; i < 100 && pids.some(alive); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
  return !pids.some(alive);
}

const linux = existsSync('/proc/self/task');

describeWith('npm start', linux ? { ok: true } : { ok: false, reason: 'the process tree is read from Linux /proc' }, () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'openid-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function running(detached = false): Promise<{ run: Run; ports: [number, number]; env: Record<string, string> }> {
    const ports: [number, number] = [await freePort(), await freePort()];
    const env = { PROVIDER_PORT: String(ports[0]), CONSUMER_PORT: String(ports[1]), EXAMPLES_DATA_DIR: dataDir };
    const run = npmStart(env, detached);
    await started(run);
    return { run, ports, env };
  }

  async function stopsCleanly(target: number, signal: NodeJS.Signals, run: Run, ports: [number, number], tree: number[]): Promise<void> {
    process.kill(target, signal);
    await run.exit;
    expect(await gone(tree)).toBe(true);
    expect(await portIsFree(ports[0])).toBe(true);
    expect(await portIsFree(ports[1])).toBe(true);
  }

  test('21.1: a second npm start on the same ports fails at once with the port and the variable, exit code ≠ 0; 21.2: SIGTERM to npm leaves nothing behind', async () => {
    const { run, ports, env } = await running();
    const response = await fetch(`http://127.0.0.1:${ports[0]}/`);
    expect(response.status).toBe(200);
    const second = npmStart(env);
    const code = await second.exit;
    expect(code).not.toBe(0);
    expect(second.output()).toContain(`Port ${ports[0]} is already in use`);
    expect(second.output()).toContain('PROVIDER_PORT');
    expect(second.output()).not.toContain(STARTED);
    // Only the relying party's port taken: the message names CONSUMER_PORT, and the provider's port is given back.
    const otherPort = await freePort();
    const third = npmStart({ ...env, PROVIDER_PORT: String(otherPort) });
    expect(await third.exit).not.toBe(0);
    expect(third.output()).toContain(`Port ${ports[1]} is already in use`);
    expect(third.output()).toContain('CONSUMER_PORT');
    expect(await portIsFree(otherPort)).toBe(true);
    const tree = [run.child.pid as number, ...descendants(run.child.pid as number)];
    expect(tree.length).toBeGreaterThan(1);
    await stopsCleanly(run.child.pid as number, 'SIGTERM', run, ports, tree);
  }, 240_000);

  test('21.2: SIGINT to npm leaves nothing behind', async () => {
    const { run, ports } = await running();
    const tree = [run.child.pid as number, ...descendants(run.child.pid as number)];
    await stopsCleanly(run.child.pid as number, 'SIGINT', run, ports, tree);
  }, 240_000);

  test('21.2: SIGTERM to the node process under npm stops it and npm, leaving nothing behind', async () => {
    const { run, ports } = await running();
    const tree = [run.child.pid as number, ...descendants(run.child.pid as number)];
    const node = tree.at(-1) as number;
    expect(readFileSync(`/proc/${node}/cmdline`, 'utf8')).toContain('scripts/start.mjs');
    await stopsCleanly(node, 'SIGTERM', run, ports, tree);
  }, 240_000);

  test('21.2: Ctrl-C in a terminal (SIGINT to the whole process group: npm and node each get it) leaves nothing behind, and the sites stop cleanly', async () => {
    const { run, ports } = await running(true);
    const tree = [run.child.pid as number, ...descendants(run.child.pid as number)];
    await stopsCleanly(-(run.child.pid as number), 'SIGINT', run, ports, tree);
    expect(run.output()).not.toContain('While stopping');
  }, 240_000);
});
