#!/usr/bin/env node
/**
 * `openid-discover <identifier>`: prints what discovery finds for an
 * identifier, for debugging "Sign in with X" problems.
 */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { discover } from '../discovery/discover.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { OpenIDError } from '../errors.js';
import { normalizeIdentifier } from '../normalize-url.js';

export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Replaces the default fetcher (tests). */
  fetcher?: Fetcher;
}

const USAGE = `Usage: openid-discover [--json] [--allow-private] [--timeout MS] [--xri-proxy URL] <identifier>

Prints the normalized identifier, the final URL and each OpenID endpoint
found (type, version, OP endpoint URL, local identifier), or why discovery failed.
`;

interface Args {
  identifier?: string;
  json: boolean;
  allowPrivate: boolean;
  timeoutMs: number;
  xriProxy?: string;
}

function parseArgs(argv: readonly string[]): Args | string {
  const args: Args = { json: false, allowPrivate: false, timeoutMs: 10_000 };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '--json') args.json = true;
    else if (arg === '--allow-private') args.allowPrivate = true;
    else if (arg === '--timeout') args.timeoutMs = Number(argv[++i]);
    else if (arg === '--xri-proxy') args.xriProxy = argv[++i];
    else if (arg === '--help' || arg === '-h') return USAGE;
    else if (arg.startsWith('--')) return `Unknown option ${arg}\n\n${USAGE}`;
    else if (args.identifier === undefined) args.identifier = arg;
    else return `Only one identifier, please\n\n${USAGE}`;
  }
  if (args.identifier === undefined) return USAGE;
  if (!Number.isFinite(args.timeoutMs) || args.timeoutMs <= 0) return `--timeout needs a positive number of milliseconds\n\n${USAGE}`;
  return args;
}

/** Runs the command; resolves with the exit code. */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr.write(args);
    return args === USAGE ? 2 : 2;
  }
  const fetcher = io.fetcher ?? createFetcher({ allowPrivateAddresses: args.allowPrivate, timeoutMs: args.timeoutMs });
  try {
    const result = await discover(args.identifier as string, { fetcher, xriProxy: args.xriProxy });
    if (args.json) {
      io.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    const lines = [`Identifier:  ${result.normalizedInput}`, `Claimed ID:  ${result.claimedId}`];
    if (result.finalUrl !== undefined) lines.push(`Final URL:   ${result.finalUrl}`);
    lines.push(`Endpoints:   ${result.endpoints.length}`);
    result.endpoints.forEach((endpoint, index) => {
      lines.push(
        `  ${index + 1}. ${endpoint.isOPIdentifier ? 'OP Identifier' : 'Claimed Identifier'}, OpenID ${endpoint.version}${endpoint.usedYadis ? ' (XRDS)' : ' (HTML)'}`,
        `     OP endpoint: ${endpoint.serverUrl}`,
      );
      if (endpoint.localId !== undefined) lines.push(`     Local ID:    ${endpoint.localId}`);
    });
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } catch (error) {
    let normalized = args.identifier as string;
    try {
      normalized = normalizeIdentifier(normalized).value;
    } catch {
      // keep the input as typed
    }
    const detail = error instanceof OpenIDError ? `${error.code}: ${error.message}` : String(error);
    io.stderr.write(`Discovery of ${normalized} failed.\n${detail}\n`);
    return 1;
  }
}

function invokedDirectly(): boolean {
  try {
    return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
}
