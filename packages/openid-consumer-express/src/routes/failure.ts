/**
 * Cancel, setup needed, failures and refused requests: the app's hook, or a
 * redirect (a page, for a refused request) carrying the reason code.
 */
import type { Request, Response } from 'express';
import { escapeHTML } from 'openid2-core';
import { redirect, sendBody } from '../http-io.js';
import { emit, failureEvent, type FailureDetails } from '../events.js';
import type { ConsumerFailure, ResolvedConsumerOptions } from '../options.js';

export function fail(options: ResolvedConsumerOptions, req: Request, res: Response, result: ConsumerFailure, details?: FailureDetails): unknown {
  emit(options, failureEvent(result, details));
  const refused = 'httpStatus' in result;
  if (refused) {
    res.statusCode = result.httpStatus;
    res.setHeader('Cache-Control', 'no-store');
  }
  if (options.onFailure !== undefined) return options.onFailure(req, res, result);
  const reason = result.status === 'failure' ? result.reason : result.status;
  const separator = options.failureRedirect.includes('?') ? '&' : '?';
  const target = `${options.failureRedirect}${separator}openid_error=${encodeURIComponent(reason)}`;
  if (!refused) return redirect(res, 303, target);
  // A refusal keeps its 4xx status: a page with the reason and the way on.
  return sendBody(
    res,
    'html',
    `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Sign-in refused</title></head><body>\n<p>${escapeHTML(result.message)}</p>\n<p><a href="${escapeHTML(target)}">Continue</a> <small>(reason: <code>${escapeHTML(reason)}</code>)</small></p>\n</body></html>\n`,
  );
}
