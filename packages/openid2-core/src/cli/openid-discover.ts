/**
 * `openid-discover <identifier>`: prints what discovery finds for an
 * identifier (the normalized identifier, the final URL, each endpoint with
 * its type, version, OP endpoint URL and local identifier) or why it failed,
 * for debugging "Sign in with X" problems. The executable is
 * bin/openid-discover.js, a committed file that calls {@link main}.
 */
import { discover, type DiscoveryResult } from '../discovery/discover.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { OpenIDError } from '../errors.js';
import { normalizeIdentifier } from '../normalize-url.js';

/** Where the command writes, and what it fetches with. */
export interface CliIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** Replaces the fetcher the command would create (tests). */
  fetcher?: Fetcher;
}

const USAGE = `Usage: openid-discover [options] <identifier>

Prints the normalized identifier, the claimed identifier, the final URL and
each OpenID endpoint found (type, version, OP endpoint URL, local
identifier), or why discovery failed.

Options:
  --json             print the result as JSON
  --allow-private    allow loopback and private addresses (intranet, local tests)
  --timeout MS       total time per request, in milliseconds (default 10000)
  --xri-proxy URL    resolve XRIs through this proxy resolver (e.g. https://xri.net/)
  -h, --help         print this help
`;

interface Args {
  identifier: string;
  json: boolean;
  allowPrivate: boolean;
  timeoutMs: number;
  xriProxy: string | undefined;
}

type Parsed = { args: Args } | { help: true } | { error: string };

function parseArgs(argv: readonly string[]): Parsed {
  const args: Partial<Args> & { json: boolean; allowPrivate: boolean } = { json: false, allowPrivate: false };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const value = (): string | undefined => (i + 1 < argv.length ? argv[++i] : undefined);
    if (arg === '--json') args.json = true;
    else if (arg === '--allow-private') args.allowPrivate = true;
    else if (arg === '--help' || arg === '-h') return { help: true };
    else if (arg === '--timeout') {
      const ms = Number(value());
      if (!Number.isSafeInteger(ms) || ms <= 0) return { error: '--timeout needs a positive whole number of milliseconds' };
      args.timeoutMs = ms;
    } else if (arg === '--xri-proxy') {
      args.xriProxy = value();
      if (args.xriProxy === undefined) return { error: '--xri-proxy needs a URL' };
    } else if (arg.startsWith('-')) return { error: `Unknown option ${arg}` };
    else if (args.identifier === undefined) args.identifier = arg;
    else return { error: 'Only one identifier, please' };
  }
  if (args.identifier === undefined) return { error: 'An identifier is needed' };
  return { args: { timeoutMs: 10_000, xriProxy: undefined, ...args, identifier: args.identifier } };
}

/** The human-readable report of a result. */
export function formatResult(result: DiscoveryResult): string {
  const lines = [`Identifier:  ${result.normalizedInput}`, `Claimed ID:  ${result.claimedId}`];
  if (result.finalUrl !== undefined) lines.push(`Final URL:   ${result.finalUrl}`);
  lines.push(`Endpoints:   ${result.endpoints.length}`);
  result.endpoints.forEach((endpoint, index) => {
    const kind = endpoint.isOPIdentifier ? 'OP Identifier' : 'Claimed Identifier';
    lines.push(`  ${index + 1}. ${kind}, OpenID ${endpoint.version} (${endpoint.usedYadis ? 'XRDS' : 'HTML'})`);
    lines.push(`     OP endpoint: ${endpoint.opEndpoint}`);
    if (endpoint.localId !== undefined) lines.push(`     Local ID:    ${endpoint.localId}`);
    if (endpoint.priority !== undefined) lines.push(`     Priority:    ${endpoint.priority}`);
  });
  return `${lines.join('\n')}\n`;
}

/** The error report: the message of each error in the cause chain, with its code. */
function formatError(identifier: string, error: unknown): string {
  let shown = identifier;
  try {
    shown = normalizeIdentifier(identifier).value;
  } catch {
    // Keep the input as typed: the error below says what is wrong with it.
  }
  const lines = [`Discovery of ${shown} failed.`];
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 4; depth += 1) {
    const code = current instanceof OpenIDError ? `${current.code}: ` : '';
    lines.push(`${depth === 0 ? '' : '  caused by '}${code}${current instanceof Error ? current.message : String(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Runs the command.
 * @returns the exit code: 0 found, 1 discovery failed, 2 usage error
 */
export async function main(argv: readonly string[], io: CliIO): Promise<number> {
  const parsed = parseArgs(argv);
  if ('help' in parsed) {
    io.stdout.write(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    io.stderr.write(`${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const { args } = parsed;
  try {
    const fetcher = io.fetcher ?? createFetcher({ allowPrivateAddresses: args.allowPrivate, timeoutMs: args.timeoutMs });
    const result = await discover(args.identifier, { fetcher, xriProxy: args.xriProxy });
    io.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatResult(result));
    return 0;
  } catch (error) {
    io.stderr.write(formatError(args.identifier, error));
    return 1;
  }
}
