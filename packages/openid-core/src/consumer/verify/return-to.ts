/**
 * The return URL check: the assertion's return_to must be the URL it
 * arrived at, query arguments included.
 * @see OpenID 2.0 §11.1
 */
import { normalizeUrl } from '../../normalize-url.js';
import { OPENID_NS, type Message } from '../../message.js';
import { failure, type FailureResult } from '../result.js';

export function checkReturnTo(message: Message, currentUrl: string): FailureResult | undefined {
  const returnTo = message.getArg(OPENID_NS, 'return_to') as string;
  let asserted: URL;
  let current: URL;
  let currentArgs: URLSearchParams;
  try {
    asserted = new URL(normalizeUrl(returnTo));
    // The current URL carries the whole response in its query (GET): only the
    // part before it is normalized; the arguments are compared decoded, as
    // URLSearchParams reads them on both sides.
    const end = currentUrl.search(/[?#]/);
    current = new URL(normalizeUrl(end < 0 ? currentUrl : currentUrl.slice(0, end)));
    const query = end >= 0 && currentUrl[end] === '?' ? currentUrl.slice(end + 1).split('#', 1)[0] : '';
    currentArgs = new URLSearchParams(query);
  } catch (cause) {
    return failure('return_to_mismatch', `openid.return_to or the current URL is not a valid URL`, cause);
  }
  if (asserted.protocol !== current.protocol || asserted.host !== current.host || asserted.pathname !== current.pathname) {
    return failure(
      'return_to_mismatch',
      `openid.return_to (${asserted.origin}${asserted.pathname}) is not the URL the response arrived at (${current.origin}${current.pathname}); behind a proxy, set trust proxy or a baseUrl`,
    );
  }
  for (const [key, value] of asserted.searchParams) {
    if (currentArgs.getAll(key).length !== 1 || currentArgs.get(key) !== value) {
      return failure('return_to_mismatch', `The return_to argument ${JSON.stringify(key)} is missing from the response URL or differs`);
    }
  }
  return undefined;
}
