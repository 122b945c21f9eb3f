/**
 * Verifying directly with the OP, for relying parties without a usable
 * association. Sent only to an endpoint that discovery verified, and
 * only there: a redirect is never followed (a 307/308 would resend the
 * assertion to wherever the endpoint points, and the answer would then be
 * trusted from a server discovery never named).
 * @see OpenID 2.0 §11.4.2
 */
import { FetchError, KVFormError, MessageError } from '../../errors.js';
import type { Fetcher } from '../../fetch/fetcher.js';
import { Message, OPENID_NS } from '../../message.js';
import { failure, type FailureResult } from '../result.js';

/**
 * Asks the (verified) OP endpoint whether it signed the assertion.
 * @returns the OP's `invalidate_handle`, if any, or a failure
 */
export async function checkAuthentication(
  message: Message,
  opEndpoint: string,
  fetcher: Fetcher,
  headers: Record<string, string> = {},
): Promise<{ ok: true; invalidateHandle: string | undefined } | FailureResult> {
  const request = Message.fromOpenIDArgs(Object.entries(message.toArgs()));
  request.setArg(OPENID_NS, 'mode', 'check_authentication');
  let reply: Message;
  try {
    const response = await fetcher.fetch(opEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: request.toURLEncoded(),
      followRedirects: false,
    });
    // Any 3xx, and any answer from elsewhere (an application's fetcher that followed anyway), is refused.
    if ((response.status >= 300 && response.status < 400) || !sameTarget(response.finalUrl, opEndpoint)) {
      return failure(
        'check_authentication_redirected',
        `check_authentication at ${opEndpoint} answered with a redirect (HTTP ${response.status}); the verified endpoint must answer itself`,
      );
    }
    if (response.status !== 200) return failure('check_authentication_failed', `check_authentication answered HTTP ${response.status}`);
    reply = Message.fromKVForm(response.body, { strict: true });
  } catch (cause) {
    if (cause instanceof FetchError || cause instanceof KVFormError || cause instanceof MessageError) {
      return failure('check_authentication_failed', `check_authentication failed: ${cause.message}`, cause);
    }
    throw cause;
  }
  // Anything but exactly is_valid:true fails closed.
  if (reply.getArg(OPENID_NS, 'is_valid') !== 'true') {
    return failure(
      'check_authentication_failed',
      'The OP did not confirm the signature (is_valid is not true): the response was altered, already used, or signed with an association the relying party no longer holds (OPs never check shared associations)',
    );
  }
  return { ok: true, invalidateHandle: reply.getArg(OPENID_NS, 'invalidate_handle') };
}

/** Whether the URL a response came from is the URL asked (both as the WHATWG parser writes them, as the fetcher reports them). */
function sameTarget(finalUrl: string, opEndpoint: string): boolean {
  if (finalUrl === opEndpoint) return true;
  return URL.canParse(finalUrl) && URL.canParse(opEndpoint) && new URL(finalUrl).href === new URL(opEndpoint).href;
}
