/**
 * A local Redis Cluster of three masters for tests: three `redis-server
 * --cluster-enabled yes` processes on free loopback ports, each in its own
 * temporary directory, joined by `redis-cli --cluster create`. Nodes are
 * stopped by their PID (never by name), and one can be restarted in place
 * (same port, directory and node id), with its data kept by AOF.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type Availability } from './services.js';

const HOST = '127.0.0.1';

export interface ClusterNode {
  port: number;
  directory: string;
  process: ChildProcess;
}

export interface RedisCluster {
  /** The three masters' addresses, for ioredis' `Cluster`. */
  nodes: Array<{ host: string; port: number }>;
  /** Stops one node (SIGTERM by PID, waiting for its exit), then starts it again in place and waits for the cluster to be whole. */
  restart(index: number, downMs?: number): Promise<void>;
  /** Stops every node by PID and removes their directories. */
  stop(): Promise<void>;
}

/** Where redis-server and redis-cli are, if they are. */
function binary(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin'])) {
    const path = join(dir, name);
    if (dir !== '' && existsSync(path)) return path;
  }
  return undefined;
}

/** Whether a local cluster can be started (redis-server and redis-cli installed). */
export async function redisClusterAvailability(): Promise<Availability> {
  const missing = ['redis-server', 'redis-cli'].filter((name) => binary(name) === undefined);
  return missing.length === 0 ? { ok: true } : { ok: false, reason: `${missing.join(' and ')} not found (apt-get install redis-server)` };
}

/** Whether a loopback port is free (tried by listening on it). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, HOST, () => probe.close(() => resolve(true)));
  });
}

/** A free port whose cluster bus port (+10000) is free too. */
async function freePort(taken: readonly number[]): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    if (!taken.includes(port) && (await portFree(port)) && (await portFree(port + 10000))) return port;
  }
  throw new Error('no free port pair for a Redis Cluster node');
}

function startNode(port: number, directory: string): ChildProcess {
  const args = [
    '--port', String(port), '--bind', HOST, '--dir', directory,
    '--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000',
    '--appendonly', 'yes', '--appendfsync', 'always', '--save', '', '--daemonize', 'no', '--protected-mode', 'yes',
  ];
  return spawn(binary('redis-server') as string, args, { stdio: 'ignore' });
}

async function cli(args: readonly string[]): Promise<string> {
  return run(binary('redis-cli') as string, [...args], { timeoutMs: 30_000 });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Redis Cluster: ${what} within ${timeoutMs} ms`);
}

const answers = (port: number): Promise<boolean> => cli(['-h', HOST, '-p', String(port), 'ping']).then((out) => out.trim() === 'PONG');
const clusterOk = (port: number): Promise<boolean> =>
  cli(['-h', HOST, '-p', String(port), 'cluster', 'info']).then((out) => out.includes('cluster_state:ok') && out.includes('cluster_slots_assigned:16384'));

function stopNode(node: ClusterNode): Promise<void> {
  return new Promise((resolve) => {
    if (node.process.exitCode !== null || node.process.signalCode !== null) return resolve();
    node.process.once('exit', () => resolve());
    node.process.kill('SIGTERM');
  });
}

/** Starts three masters and joins them into one cluster (all 16384 slots assigned). */
export async function startRedisCluster(): Promise<RedisCluster> {
  const nodes: ClusterNode[] = [];
  try {
    for (let i = 0; i < 3; i += 1) {
      const port = await freePort(nodes.map((node) => node.port));
      const directory = await mkdtemp(join(tmpdir(), 'openid-redis-cluster-'));
      nodes.push({ port, directory, process: startNode(port, directory) });
    }
    for (const node of nodes) await waitFor(`node ${node.port} answering`, () => answers(node.port));
    await cli(['--cluster', 'create', ...nodes.map((node) => `${HOST}:${node.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const node of nodes) await waitFor(`node ${node.port} seeing the cluster whole`, () => clusterOk(node.port));
  } catch (error) {
    await Promise.all(nodes.map(stopNode));
    await Promise.all(nodes.map((node) => rm(node.directory, { recursive: true, force: true })));
    throw error;
  }
  return {
    nodes: nodes.map((node) => ({ host: HOST, port: node.port })),
    restart: async (index, downMs = 500) => {
      const node = nodes[index];
      if (node === undefined) throw new RangeError(`no node ${index}`);
      await stopNode(node);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      node.process = startNode(node.port, node.directory);
      for (const each of nodes) await waitFor(`node ${each.port} seeing the cluster whole again`, () => clusterOk(each.port));
    },
    stop: async () => {
      await Promise.all(nodes.map(stopNode));
      await Promise.all(nodes.map((node) => rm(node.directory, { recursive: true, force: true })));
    },
  };
}
