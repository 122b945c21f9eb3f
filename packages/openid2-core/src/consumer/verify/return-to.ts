/**
 * The return URL check: the assertion's return_to must be the URL it
 * arrived at, query arguments included.
 * @see OpenID 2.0 §11.1
 */
import { UrlError } from '../../errors.js';
import { parseHttpUrl, type NormalizedUrlParts } from '../../normalize-url.js';
import { OPENID_NS, type Message } from '../../message.js';
import { failure, type FailureResult } from '../result.js';
import { decodeFormComponent, scanFormPairs } from '../../form-urlencoded.js';

/**
 * The query of the URL a response arrived at. It carries the whole response
 * when the response came by GET, but only a few of its arguments are ever
 * looked up (the transaction id, return_to's own): those are decoded, as
 * URLSearchParams decodes them, and nothing else.
 */
export class QueryArgs {
  readonly #query: string;

  constructor(query: string) {
    this.#query = query;
  }

  /** Every value of `name`, in order. */
  getAll(name: string): string[] {
    const values: string[] = [];
    const query = this.#query;
    // Pair by pair, without splitting the whole query (it holds the whole response for a GET).
    scanFormPairs(query, (start, equals, end) => {
      const matches = hasEncoding(query, start, equals)
        ? decodeFormComponent(query.slice(start, equals)) === name
        : equals - start === name.length && query.startsWith(name, start);
      if (matches) values.push(equals === end ? '' : decodeFormComponent(query.slice(equals + 1, end)));
    });
    return values;
  }

  /** The first value of `name`, or null. */
  get(name: string): string | null {
    return this.getAll(name)[0] ?? null;
  }
}

/** Whether text[start, end) holds a percent escape or a plus (a name URLSearchParams would decode). */
function hasEncoding(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i += 1) {
    const code = text.charCodeAt(i);
    if (code === 0x25 || code === 0x2b) return true;
  }
  return false;
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
