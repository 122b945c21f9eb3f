// The names a README fragment may use without declaring them: what the
// surrounding application is assumed to have. Anything else a snippet uses
// must be imported or declared in the snippet itself.
import type { Express, Request, Response, Router } from 'express';
import type { OpenIDStore } from 'openid2-core';

declare global {
  /** The application's Express app. */
  const app: Express;
  /** An Express router of the application. */
  const router: Router;
  /** The request and response of a handler. */
  const req: Request;
  const res: Response;
  /** An association and nonce store (MemoryStore, SqliteStore, RedisStore...). */
  const store: OpenIDStore;
  /** The session secret. */
  const secret: string;
}
