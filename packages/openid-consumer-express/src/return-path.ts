/**
 * "Back to where the user was": the `returnTo` of a login is a path on this
 * site, never a URL that could send the user elsewhere (an open redirect
 * turns a trusted sign-in link into a phishing link). Only same-origin
 * relative paths pass: one leading `/`, no second `/` or `\` after it (a
 * protocol-relative `//host`, which browsers also read from `/\host`), no
 * scheme, no control characters or whitespace browsers strip, and the same
 * rules after percent-decoding (`/%2F%2Fhost`, `/%5Chost`), since some
 * servers and proxies decode before they redirect.
 */

/** Longest accepted returnTo, in characters. */
const MAX_LENGTH = 2048;
/** Control characters (which browsers drop: `/\t/host` is `//host`), DEL, C1 controls, unusual spaces, the backslash. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff\\]/;
const ORIGIN = 'http://return-path.invalid';

function looksLocal(path: string): boolean {
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/ ') || FORBIDDEN.test(path)) return false;
  // Resolved as a browser would, it must stay on this origin.
  try {
    return new URL(path, ORIGIN).origin === ORIGIN;
  } catch {
    return false;
  }
}

/** Percent-decodes once; undefined when the text is not valid percent-encoding. */
function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/**
 * Whether `value` is a same-origin relative path safe to redirect to after
 * sign-in (checked as given and after each of up to three percent-decodings).
 */
export function isSafeReturnPath(value: unknown): value is string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_LENGTH) return false;
  let current = value;
  for (let round = 0; round < 4; round += 1) {
    if (!looksLocal(current)) return false;
    const decoded = decodeOnce(current);
    if (decoded === undefined) return false;
    if (decoded === current) return true;
    current = decoded;
  }
  // Still changing after three decodings: nobody writes a path like that.
  return false;
}
