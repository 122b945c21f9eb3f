/**
 * `openid.response_nonce`: a UTC timestamp followed by characters that make
 * it unique.
 * @see OpenID 2.0 §10.1
 */
import { randomBytes } from 'node:crypto';
import { NonceError } from './errors.js';

/**
 * How far a nonce's timestamp may lie from our clock, in seconds. Nonces
 * are remembered this long, so replays are caught within the window and
 * anything older is refused outright. Five hours, as python-openid uses,
 * tolerates badly set provider clocks; lower it where clocks are kept in sync.
 */
export const DEFAULT_NONCE_SKEW_SECONDS = 5 * 60 * 60;

const MAX_NONCE_LENGTH = 255;
const SALT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z/;

export interface ParsedNonce {
  /** Seconds since the epoch. */
  timestamp: number;
  /** The characters after the timestamp (may be empty). */
  salt: string;
}

function formatTimestamp(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * A fresh nonce: the timestamp of `now` and eight random alphanumeric
 * characters.
 * @param now milliseconds since the epoch
 */
export function makeNonce(now: number = Date.now()): string {
  const bytes = randomBytes(8);
  let salt = '';
  for (const byte of bytes) salt += SALT_ALPHABET[byte % SALT_ALPHABET.length];
  return `${formatTimestamp(Math.floor(now / 1000))}${salt}`;
}

/** Splits a nonce into timestamp and salt, refusing anything §10.1 does not allow. */
export function parseNonce(nonce: string): ParsedNonce {
  if (nonce.length > MAX_NONCE_LENGTH) throw new NonceError(`The nonce is longer than ${MAX_NONCE_LENGTH} characters`);
  const match = TIMESTAMP.exec(nonce);
  if (match === null) throw new NonceError('The nonce does not start with a YYYY-MM-DDTHH:MM:SSZ timestamp');
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(ms);
  if (
    check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day ||
    hour > 23 || minute > 59 || second > 59
  ) {
    throw new NonceError('The nonce timestamp is not a valid date and time');
  }
  const salt = nonce.slice(match[0].length);
  if (!/^[\x21-\x7e]*$/.test(salt)) throw new NonceError('The nonce contains characters outside printable ASCII');
  return { timestamp: ms / 1000, salt };
}

export interface NonceTimeOptions {
  /** Allowed distance from `now`, in seconds. @default DEFAULT_NONCE_SKEW_SECONDS */
  skewSeconds?: number;
  /** The current time in milliseconds. @default Date.now() */
  now?: number;
}

/** Whether a nonce (or its timestamp in seconds) lies within the allowed skew of now. */
export function checkNonceTimestamp(nonce: string | number, options: NonceTimeOptions = {}): boolean {
  let timestamp: number;
  if (typeof nonce === 'number') timestamp = nonce;
  else {
    try {
      timestamp = parseNonce(nonce).timestamp;
    } catch {
      return false;
    }
  }
  const skew = options.skewSeconds ?? DEFAULT_NONCE_SKEW_SECONDS;
  const now = (options.now ?? Date.now()) / 1000;
  return Number.isFinite(timestamp) && Math.abs(now - timestamp) <= skew;
}
