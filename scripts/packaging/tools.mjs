// Processes, ports and install directories for the packaging test.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The environment without npm's own variables (the test may run under `npm run`, whose settings must not leak into the installs). */
export function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return { ...env, ...extra };
}

/** Runs a command; resolves with its output, rejects with it (and the exit code) on failure. */
export function run(command, args, { cwd, env = cleanEnv() } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${code}:\n${output}`));
    });
  });
}

/** `count` different ports free on 127.0.0.1 right now (held together while chosen, so they differ). */
export async function freePorts(count) {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise((resolve, reject) => {
      const server = createServer();
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server));
    })),
  );
  const ports = servers.map((server) => server.address().port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/**
 * Starts a server process and waits for it to print `listening`.
 * @returns the child process (stop it with `.kill()`) and its output so far
 */
export function startServer(command, args, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const log = { text: '' };
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${args.join(' ')} did not start within 30 s:\n${log.text}`));
    }, 30_000);
    const onData = (chunk) => {
      log.text += chunk;
      if (/^listening$/m.test(log.text)) {
        clearTimeout(timer);
        resolve({ child, log });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (log.text += chunk));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited with ${code} before listening:\n${log.text}`));
    });
  });
}

/**
 * What a stranger's TypeScript app compiles with: strict, Node's ESM
 * resolution, and the declarations of every dependency checked
 * (skipLibCheck false). The packaging test's apps and the README snippet
 * check both use it.
 */
export const STRANGER_COMPILER_OPTIONS = Object.freeze({
  target: 'ES2022',
  lib: ['ES2022'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  skipLibCheck: false,
  types: ['node'],
});

/** A TypeScript app's directory: package.json (ESM) and a strict tsconfig with skipLibCheck false. */
export function typeScriptProject(dir) {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'packaging-app', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify(
      {
        compilerOptions: { ...STRANGER_COMPILER_OPTIONS, rootDir: 'src', outDir: 'dist' },
        include: ['src'],
      },
      null,
      2,
    )}\n`,
  );
}

/** Replaces `from` in a README guide, which must occur (`count` times when given): a guide that changed says so. */
export function substitute(code, from, to, count) {
  const found = code.split(from).length - 1;
  if (found === 0 || (count !== undefined && found !== count)) {
    throw new Error(`the README guide changed: ${JSON.stringify(from)} occurs ${found} times (scripts/packaging expects ${count ?? 'at least 1'})`);
  }
  return code.split(from).join(to);
}
