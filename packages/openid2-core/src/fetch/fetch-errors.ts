/**
 * Maps the HTTP client's errors to typed {@link FetchError}s, so no bare
 * exception of the client ever escapes the library.
 */
import { FetchError, type FetchFailureReason } from '../errors.js';

/** Error code the guarded DNS look-up uses for a refused address. */
export const PRIVATE_ADDRESS_CODE = 'ERR_OPENID_PRIVATE_ADDRESS';

const TLS_CODE = /^(CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|ERR_SSL|HOSTNAME_MISMATCH|ERR_OSSL|EPROTO$)/;
const DNS_CODES: ReadonlySet<string> = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENODATA', 'EAI_FAIL', 'EAI_NONAME']);

/** The `code`s of an error and its causes. */
function codeChain(error: unknown): string[] {
  const codes: string[] = [];
  for (let current = error, depth = 0; typeof current === 'object' && current !== null && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** A FetchError for any error of the HTTP client (FetchErrors pass through). */
export function mapGotError(error: unknown, url: string, timeoutMs: number): FetchError {
  if (error instanceof FetchError) return error;
  const codes = codeChain(error);
  const name = (error as { name?: unknown } | null)?.name;
  let reason: FetchFailureReason = 'connection';
  let message = `Fetching ${url} failed: ${describe(error)}`;
  if (codes.includes(PRIVATE_ADDRESS_CODE)) {
    reason = 'private_address';
    message = `${hostOf(url)} resolves to a private address; fetching it is not allowed`;
  } else if (name === 'TimeoutError' || codes.includes('ETIMEDOUT')) {
    reason = 'timeout';
    message = `Fetching ${url} timed out after ${timeoutMs} ms`;
  } else if (codes.some((code) => DNS_CODES.has(code))) {
    reason = 'dns';
    message = `The host of ${url} could not be resolved`;
  } else if (codes.some((code) => TLS_CODE.test(code))) {
    reason = 'tls';
    message = `TLS verification failed for ${url}: ${describe(error)}`;
  }
  return new FetchError(message, url, reason, { cause: error });
}
