/**
 * The urlencoded body of `/login` and `/return`. A body the parser cannot
 * read (too large, too many fields, an unsupported charset or content
 * encoding, malformed) is the sender's fault: it is answered by the router
 * as a refused request with a reason code, never passed to the app's error
 * handler (where apps often map errors to 500).
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { RefusedRequest } from './options.js';

const REASONS: Readonly<Record<string, [RefusedRequest['reason'], string]>> = {
  'entity.too.large': ['body_too_large', 'The request body is too large'],
  'parameters.too.many': ['too_many_parameters', 'The request has too many parameters'],
  'charset.unsupported': ['unsupported_charset', 'The request body uses an unsupported charset (only UTF-8 is read)'],
  'encoding.unsupported': ['unsupported_encoding', 'The request body uses an unsupported content encoding'],
};

/** The refusal for a body parser error, or undefined for a fault that is not the sender's (a 5xx: the app's error handler). */
export function bodyRefusal(error: unknown): RefusedRequest | undefined {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const [reason, message] = (typeof type === 'string' ? REASONS[type] : undefined) ?? ['malformed_body', 'The request body could not be read'];
  return { status: 'failure', reason, message, httpStatus: status };
}

/**
 * The form parser, its errors handed to `refuse`.
 * Assertions are small; 64 KiB leaves room for long profile answers.
 * Duplicate keys become arrays, which the consumer refuses.
 */
export function formBody(refuse: (req: Request, res: Response, refusal: RefusedRequest) => unknown): RequestHandler {
  const parse = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 1000 });
  return (req: Request, res: Response, next: NextFunction): void => {
    parse(req, res, (error?: unknown) => {
      if (error === undefined || error === null) return next();
      const refusal = bodyRefusal(error);
      if (refusal === undefined) return next(error);
      // The app's onFailure may throw or reject: that, and only that, goes on to its error handler.
      Promise.resolve().then(() => refuse(req, res, refusal)).catch(next);
    });
  };
}
