/**
 * `openid.response_nonce`: a UTC timestamp followed by characters that make
 * it unique.
 * @see OpenID 2.0 §10.1
 */
import { randomFillSync } from 'node:crypto';
import { NonceError } from './errors.js';

/**
 * How far a nonce's timestamp may lie from our clock, in seconds: 30
 * minutes, sized to a login rather than to python-openid's five hours.
 *
 * The window works both ways: a store must remember used nonces at least
 * this long (so a replay inside the window is caught), and any nonce older
 * than the window is refused outright (so nothing older needs remembering).
 * What it has to cover: the OP stamps the nonce when it answers, so the
 * window only spans the trip back to the relying party (a redirect, or a
 * form the browser posts, seconds) and its check_authentication, plus the
 * difference between the two clocks, which NTP keeps under a second and
 * which a badly set server might push to minutes. Thirty minutes covers
 * that with a wide margin. Every extra hour of window is an hour of nonces
 * a store must hold: at 85 logins a second, five hours were ~1.5 million
 * keys in Redis, thirty minutes are ~150,000. Raise it (the store's
 * `skewSeconds`, which the consumer reads from its store) only for OPs whose
 * clocks are known to be off by more.
 * @see OpenID 2.0 §10.1, §11.3
 */
export const DEFAULT_NONCE_SKEW_SECONDS = 30 * 60;

/** The longest nonce §10.1 allows, in characters (so also the longest salt). */
export const MAX_NONCE_LENGTH = 255;
/** 10000-01-01T00:00:00Z: later times no longer fit the four-digit year. */
const MAX_TIME_MS = Date.UTC(10000, 0, 1);
/** 6 random bytes: 8 base64url characters, all in the 33-126 range. */
const SALT_BYTES = 6;
/** What may follow the timestamp: printable non-whitespace ASCII, 33-126 (§10.1). */
const SALT_CHARACTERS = /^[\x21-\x7e]*$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z/;

/** A nonce split into its parts. */
export interface ParsedNonce {
  /** Seconds since the epoch. */
  timestamp: number;
  /** The characters after the timestamp (may be empty). */
  salt: string;
}

/** The last timestamp formatted: nonces made in the same second share it. */
let lastSeconds = Number.NaN;
let lastTimestamp = '';

function formatTimestamp(seconds: number): string {
  if (seconds !== lastSeconds) {
    lastTimestamp = new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    lastSeconds = seconds;
  }
  return lastTimestamp;
}

/**
 * Salt bytes drawn from OpenSSL's generator a page at a time (one call into
 * OpenSSL per 682 nonces instead of one per nonce); every byte is used once.
 */
const saltPool = Buffer.alloc(SALT_BYTES * 682);
let saltOffset = saltPool.length;

function freshSalt(): string {
  if (saltOffset + SALT_BYTES > saltPool.length) {
    randomFillSync(saltPool);
    saltOffset = 0;
  }
  const salt = saltPool.toString('base64url', saltOffset, saltOffset + SALT_BYTES);
  saltOffset += SALT_BYTES;
  return salt;
}

/**
 * A fresh nonce: the UTC timestamp of `now` without fractional seconds,
 * then eight random base64url characters (48 bits from OpenSSL's
 * generator), e.g. `2005-05-15T17:11:51Zq3X-9_aB`.
 * @param now milliseconds since the epoch
 * @throws NonceError when `now` is not a time between the years 1970 and 9999
 * @see OpenID 2.0 §10.1
 */
export function makeNonce(now: number = Date.now()): string {
  if (!Number.isFinite(now) || now < 0 || now >= MAX_TIME_MS) {
    throw new NonceError('A nonce needs a time between the years 1970 and 9999');
  }
  return `${formatTimestamp(Math.floor(now / 1000))}${freshSalt()}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (as Date.UTC counts). @param month 1-12 */
function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1] as number;
}

/**
 * Splits a nonce into timestamp and salt, refusing anything §10.1 does not
 * allow: more than 255 characters, a timestamp other than
 * `YYYY-MM-DDTHH:MM:SSZ` or not a real date and time, characters outside
 * 33-126 (printable non-whitespace ASCII).
 * @throws NonceError
 * @see OpenID 2.0 §10.1
 */
export function parseNonce(nonce: string): ParsedNonce {
  if (typeof nonce !== 'string') throw new NonceError('The nonce is not a string');
  if (nonce.length > MAX_NONCE_LENGTH) throw new NonceError(`The nonce is longer than ${MAX_NONCE_LENGTH} characters`);
  const match = TIMESTAMP.exec(nonce);
  if (match === null) throw new NonceError('The nonce does not start with a YYYY-MM-DDTHH:MM:SSZ timestamp');
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  // Years before 100 are refused: Date.UTC would read them as 19xx.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59) {
    throw new NonceError('The nonce timestamp is not a valid date and time');
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const salt = nonce.slice(match[0].length);
  if (!isNonceSalt(salt)) throw new NonceError('The nonce contains characters outside printable ASCII');
  return { timestamp: ms / 1000, salt };
}

/**
 * Whether text can be a nonce's salt: only the characters §10.1 allows after
 * the timestamp (printable non-whitespace ASCII). Length is the caller's
 * bound ({@link MAX_NONCE_LENGTH} for the whole nonce).
 * @see OpenID 2.0 §10.1
 */
export function isNonceSalt(salt: string): boolean {
  return SALT_CHARACTERS.test(salt);
}

/**
 * The nonce time window, the one rule of consumers and stores alike: whether
 * a timestamp (seconds since the epoch) lies within `skewSeconds` of
 * `nowMs`, in the past or the future.
 * @see OpenID 2.0 §11.3
 */
export function nonceInWindow(timestamp: number, nowMs: number, skewSeconds: number): boolean {
  return Number.isFinite(timestamp) && Math.abs(nowMs / 1000 - timestamp) <= skewSeconds;
}

/** Options of {@link checkNonceTimestamp}. */
export interface NonceTimeOptions {
  /** Allowed distance from `now`, in seconds. @default DEFAULT_NONCE_SKEW_SECONDS */
  skewSeconds?: number;
  /** The current time in milliseconds. @default Date.now() */
  now?: number;
}

/**
 * Whether a nonce (or its timestamp in seconds since the epoch) lies within
 * `skewSeconds` of now, in the past or the future. A malformed nonce is
 * `false`.
 * @see OpenID 2.0 §11.3
 */
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
  return nonceInWindow(timestamp, options.now ?? Date.now(), options.skewSeconds ?? DEFAULT_NONCE_SKEW_SECONDS);
}
