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
  try {
    asserted = new URL(normalizeUrl(returnTo));
    current = new URL(normalizeUrl(currentUrl));
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
    if (current.searchParams.getAll(key).length !== 1 || current.searchParams.get(key) !== value) {
      return failure('return_to_mismatch', `The return_to argument ${JSON.stringify(key)} is missing from the response URL or differs`);
    }
  }
  return undefined;
}
