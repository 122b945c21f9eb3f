// The secret that signs session cookies: SESSION_SECRET when set, else one
// generated at first start and kept in the site's data directory (mode 0600),
// so a restart keeps everyone signed in and no secret is written in the code.
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MIN_LENGTH = 32;

/**
 * @param {{ dataDir: string, secret?: string }} options `secret` (from the app's options or SESSION_SECRET) wins
 * @returns {string}
 */
export function loadSessionSecret({ dataDir, secret = process.env.SESSION_SECRET }) {
  if (secret !== undefined && secret !== '') {
    if (secret.length < MIN_LENGTH) throw new Error(`SESSION_SECRET must be at least ${MIN_LENGTH} characters long`);
    return secret;
  }
  const file = join(dataDir, 'session-secret');
  try {
    writeFileSync(file, randomBytes(32).toString('base64url'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Already there (an earlier start, or another instance sharing the directory): keep it.
    if (error.code !== 'EEXIST') throw error;
  }
  const kept = readFileSync(file, 'utf8').trim();
  if (kept.length < MIN_LENGTH) throw new Error(`${file} holds a session secret shorter than ${MIN_LENGTH} characters: delete the file to make a new one`);
  return kept;
}
