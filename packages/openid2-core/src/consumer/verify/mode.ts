/**
 * What kind of answer came back: a positive assertion to verify, or a
 * negative one (cancel, setup needed), or an error.
 * @see OpenID 2.0 §5.2.3, §10.2; OpenID 1.1 §4.2.2.1
 */
import { OPENID_NS, type Message } from '../../message.js';
import { sanitizeErrorText } from '../../error-text.js';
import { failure, type CancelResult, type FailureResult, type SetupNeededResult } from '../result.js';

/** The URL a 1.x OP gave for finishing at the OP, only if it is http(s): the answer is unsigned. */
function setupUrlOf(message: Message): string | undefined {
  const value = message.getArg(OPENID_NS, 'user_setup_url');
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** `'id_res'` for a positive assertion; the final result for anything else. */
export function readMode(message: Message): 'id_res' | CancelResult | SetupNeededResult | FailureResult {
  const mode = message.getArg(OPENID_NS, 'mode');
  if (mode === 'cancel') return { status: 'cancel' };
  if (mode === 'error') {
    return failure('provider_error', `The OP answered with an error: ${sanitizeErrorText(message.getArg(OPENID_NS, 'error') ?? '(no text)')}`);
  }
  if (mode === 'setup_needed' && message.isOpenID2()) return { status: 'setup_needed', setupUrl: undefined };
  // OpenID 1.x says "setup needed" as id_res with user_setup_url.
  if (mode === 'id_res' && message.isOpenID1() && message.hasKey(OPENID_NS, 'user_setup_url')) {
    return { status: 'setup_needed', setupUrl: setupUrlOf(message) };
  }
  if (mode === 'id_res') return 'id_res';
  return failure('invalid_message', `Unexpected openid.mode ${JSON.stringify((mode ?? '(none)').slice(0, 40))}: expected id_res, cancel, setup_needed or error`);
}
