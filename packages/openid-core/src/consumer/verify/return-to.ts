/**
 * The return URL check: the assertion's return_to must be the URL it
 * arrived at, query arguments included.
 * @see OpenID 2.0 §11.1
 */
import { UrlError } from '../../errors.js';
import { parseHttpUrl, type NormalizedUrlParts } from '../../normalize-url.js';
import { OPENID_NS, type Message } from '../../message.js';
import { failure, type FailureResult } from '../result.js';

/** A form-encoded value decoded; what decodeURIComponent refuses (bad escapes, invalid UTF-8) is read as URLSearchParams reads it. */
function decodeFormValue(raw: string): string {
  const spaced = raw.includes('+') ? raw.replaceAll('+', ' ') : raw;
  if (!spaced.includes('%')) return spaced;
  try {
    return decodeURIComponent(spaced);
  } catch {
    return new URLSearchParams(`v=${raw}`).get('v') as string;
  }
}

/**
 * The query of the URL a response arrived at. It carries the whole response
 * when the response came by GET, but only a few of its arguments are ever
 * looked up (the transaction id, return_to's own): those are decoded, as
 * URLSearchParams decodes them, and nothing else.
 */
export class QueryArgs {
  readonly #pairs: string[];

  constructor(query: string) {
    this.#pairs = query === '' ? [] : query.split('&');
  }

  /** Every value of `name`, in order. */
  getAll(name: string): string[] {
    const values: string[] = [];
    for (const pair of this.#pairs) {
      if (pair === '') continue;
      const equals = pair.indexOf('=');
      const rawKey = equals < 0 ? pair : pair.slice(0, equals);
      if (rawKey.includes('%') || rawKey.includes('+')) {
        // An encoded name: read the pair whole (it holds no '&', so it is one entry).
        const [key, value] = new URLSearchParams(pair).entries().next().value as [string, string];
        if (key === name) values.push(value);
      } else if (rawKey === name) {
        values.push(equals < 0 ? '' : decodeFormValue(pair.slice(equals + 1)));
      }
    }
    return values;
  }

  /** The first value of `name`, or null. */
  get(name: string): string | null {
    return this.getAll(name)[0] ?? null;
  }
}

/** The URL a response arrived at: the part before the query, and the query's arguments. */
export interface CurrentUrl {
  base: string;
  args: QueryArgs;
}

/** Splits the current URL once; only the part before the query is normalized for the comparison. */
export function splitCurrentUrl(currentUrl: string): CurrentUrl {
  const end = currentUrl.search(/[?#]/);
  const base = end < 0 ? currentUrl : currentUrl.slice(0, end);
  const query = end >= 0 && currentUrl[end] === '?' ? (currentUrl.slice(end + 1).split('#', 1)[0] ?? '') : '';
  return { base, args: new QueryArgs(query) };
}

/** The last current URL parsed: responses keep arriving at the same return URL. */
let lastBase: { input: string; parts: NormalizedUrlParts } | undefined;

/**
 * parseHttpUrl of the current URL's base, reusing the previous result for the same text (parsing is a pure function of it).
 * @throws UrlError
 */
export function parsedBase(base: string): NormalizedUrlParts {
  if (lastBase?.input === base) return lastBase.parts;
  const parts = Object.freeze(parseHttpUrl(base));
  lastBase = { input: base, parts };
  return parts;
}

const where = (parts: NormalizedUrlParts): string => `${parts.scheme}://${parts.host}:${parts.port}${parts.path}`;

export function checkReturnTo(message: Message, current: CurrentUrl): FailureResult | undefined {
  const returnTo = message.getArg(OPENID_NS, 'return_to') as string;
  let asserted: NormalizedUrlParts;
  let arrived: NormalizedUrlParts;
  try {
    // Both sides normalized by RFC 3986 §6 (scheme and host case, default
    // port, escapes, dot segments): equal parts mean the same resource.
    asserted = parseHttpUrl(returnTo);
    arrived = parsedBase(current.base);
  } catch (cause) {
    if (!(cause instanceof UrlError)) throw cause;
    return failure('return_to_mismatch', `openid.return_to or the current URL is not a valid URL`, cause);
  }
  if (asserted.scheme !== arrived.scheme || asserted.host !== arrived.host || asserted.port !== arrived.port || asserted.path !== arrived.path) {
    return failure(
      'return_to_mismatch',
      `openid.return_to (${where(asserted)}) is not the URL the response arrived at (${where(arrived)}); behind a proxy, set trust proxy or a baseUrl`,
    );
  }
  // The arguments compared decoded, as URLSearchParams reads them on both sides.
  for (const [key, value] of new URLSearchParams(asserted.query ?? '')) {
    const values = current.args.getAll(key);
    if (values.length !== 1 || values[0] !== value) {
      return failure('return_to_mismatch', `The return_to argument ${JSON.stringify(key)} is missing from the response URL or differs`);
    }
  }
  return undefined;
}
