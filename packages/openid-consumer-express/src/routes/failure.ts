/** Cancel, setup needed and failures: the app's hook, or a redirect carrying the reason code. */
import type { Request, Response } from 'express';
import type { ConsumerFailure, ResolvedConsumerOptions } from '../options.js';

export function fail(options: ResolvedConsumerOptions, req: Request, res: Response, result: ConsumerFailure): unknown {
  if (options.onFailure !== undefined) return options.onFailure(req, res, result);
  const reason = result.status === 'failure' ? result.reason : result.status;
  const separator = options.failureRedirect.includes('?') ? '&' : '?';
  return res.redirect(303, `${options.failureRedirect}${separator}openid_error=${encodeURIComponent(reason)}`);
}
