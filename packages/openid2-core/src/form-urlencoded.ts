/**
 * Reading application/x-www-form-urlencoded text (a query, a form body) with
 * exactly the results of URLSearchParams (WHATWG URL, "urlencoded parsing"),
 * but faster on the long queries that carry a whole OpenID response: names
 * and values are decoded by the engine's decodeURIComponent, and only text
 * it refuses (bad escapes, invalid UTF-8, unpaired surrogates) goes through
 * URLSearchParams, whose replacement characters are then the result.
 */

/** One name or value decoded: `+` is a space, `%XX` escapes are UTF-8. */
export function decodeFormComponent(raw: string): string {
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!(spaced as string & { isWellFormed(): boolean }).isWellFormed()) return slowDecode(raw);
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return slowDecode(raw);
  }
}

function slowDecode(raw: string): string {
  return new URLSearchParams(`v=${raw.replaceAll('&', '%26')}`).get('v') as string;
}

/**
 * Calls `visit` for each non-empty `name[=value]` pair of urlencoded text, with
 * the pair's bounds: `[start, equals)` is the raw name, `(equals, end)` the
 * raw value (`equals === end` when the pair has no `=`). Nothing is decoded.
 */
export function scanFormPairs(text: string, visit: (start: number, equals: number, end: number) => void): void {
  let start = text.startsWith('?') ? 1 : 0;
  while (start < text.length) {
    let end = text.indexOf('&', start);
    if (end < 0) end = text.length;
    if (end > start) {
      let equals = text.indexOf('=', start);
      if (equals < 0 || equals > end) equals = end;
      visit(start, equals, end);
    }
    start = end + 1;
  }
}

/** The name-value pairs of urlencoded text, in order (a leading `?` is ignored, as URLSearchParams does). */
export function readFormPairs(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  scanFormPairs(text, (start, equals, end) => {
    pairs.push([decodeFormComponent(text.slice(start, equals)), equals === end ? '' : decodeFormComponent(text.slice(equals + 1, end))]);
  });
  return pairs;
}
