/**
 * Gates for tests that need something outside the process: a database
 * server, Debian's python3-openid, Chromium. When it is missing the suite says
 * so loudly and skips, unless OPENID_REQUIRE_SERVICES=1 (set by .ci/run), in
 * which case the suite fails.
 */
import { execFile } from 'node:child_process';

export interface Availability {
  ok: boolean;
  /** Why it is unavailable (shown in the skip message or the failure). */
  reason?: string;
}

/** True when missing services must fail the run instead of skipping. */
export function servicesRequired(): boolean {
  return process.env.OPENID_REQUIRE_SERVICES === '1';
}

/**
 * `describe` that runs when `availability.ok`, fails when the service is
 * required, and otherwise skips with a loud message.
 */
export function describeWith(
  name: string,
  availability: Availability,
  fn: () => void,
): void {
  if (availability.ok) {
    describe(name, fn);
    return;
  }
  const why = availability.reason ?? 'unavailable';
  if (servicesRequired()) {
    describe(name, () => {
      test(`requires ${name}`, () => {
        throw new Error(`${name} is unavailable (${why}) and OPENID_REQUIRE_SERVICES=1`);
      });
    });
    return;
  }
  console.warn(
    `\n*** SKIPPED: ${name}: ${why}.\n*** Start it (see README "Services") or set OPENID_REQUIRE_SERVICES=1 to make this a failure.\n`,
  );
  const skipped = describe.skip;
  skipped(name, fn);
}

/** Runs a command and resolves with its stdout; rejects on a non-zero exit. */
export function run(
  file: string,
  args: readonly string[],
  options: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { timeout: options.timeoutMs ?? 30_000, maxBuffer: 16 * 1024 * 1024, env: options.env ?? process.env },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
