#!/usr/bin/env node
/**
 * `openid-doctor <url> [--allow-private] [--timeout <ms>]`: probes a running
 * relying party or provider from outside and prints what to fix, one line
 * each. Exit status 0 when nothing is wrong, 1 on an error finding, 2 for a
 * usage error.
 */
import { parseArgs } from 'node:util';
import { createFetcher } from 'openid2-core';
import { formatFinding } from '../finding.js';
import { probeSite } from '../probe.js';

const USAGE = 'usage: openid-doctor <https://site.example/> [--allow-private] [--timeout <ms>]\n  --allow-private  allow loopback and private addresses (a site on this machine or an intranet)';

export async function main(argv: readonly string[], out: (line: string) => void = (line) => console.log(line)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { 'allow-private': { type: 'boolean' }, timeout: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (error) {
    out(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const [url] = parsed.positionals;
  const timeout = Number(parsed.values.timeout ?? '10000');
  if (parsed.values.help === true || url === undefined || parsed.positionals.length > 1 || !URL.canParse(url) || !Number.isSafeInteger(timeout) || timeout <= 0) {
    out(USAGE);
    return 2;
  }
  const fetcher = createFetcher({ allowPrivateAddresses: parsed.values['allow-private'] === true, timeoutMs: timeout });
  const result = await probeSite(url, fetcher);
  for (const note of result.notes) out(`note    ${note}`);
  for (const item of result.findings) out(formatFinding(item));
  const errors = result.findings.filter((item) => item.level === 'error').length;
  out(result.findings.length === 0 ? `ok      nothing to fix at ${url}` : `${errors} error(s), ${result.findings.length - errors} warning(s)`);
  return errors > 0 ? 1 : 0;
}
