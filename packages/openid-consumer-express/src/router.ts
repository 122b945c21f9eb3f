/**
 * The relying-party router: `/login` starts a login, `/return` completes
 * it, `/xrds` publishes the return URL for relying party discovery (§13).
 * The protocol rules live in openid2-core; these files translate HTTP.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { formBody } from './form-body.js';
import { resolveOptions, type ConsumerMiddlewareOptions, type ResolvedConsumerOptions } from './options.js';
import { fail } from './routes/failure.js';
import { login } from './routes/login.js';
import { complete } from './routes/return.js';
import { realmDiscovery, xrdsRoute } from './routes/xrds.js';

/** What `openidConsumer()` returns: an Express router (`/login`, `/return`, `/xrds`) with the realm discovery middleware. */
export interface ConsumerRouter extends Router {
  /**
   * Answers relying party discovery at the realm (needs `baseUrl`): mount it
   * on the realm's page, `app.get('/', router.realmDiscovery, homePage)`.
   */
  realmDiscovery: (req: Request, res: Response, next: NextFunction) => void;
}

type Handler = (options: ResolvedConsumerOptions, req: Request, res: Response) => Promise<unknown>;

/**
 * Creates the relying-party router; mount it anywhere
 * (`app.use('/openid', openidConsumer({...}))`) after express-session.
 * @throws OpenIDConfigError for invalid options
 */
export function openidConsumer(consumerOptions: ConsumerMiddlewareOptions = {}): ConsumerRouter {
  const options = resolveOptions(consumerOptions);
  const router = express.Router() as ConsumerRouter;
  // An unreadable body is answered here, through the failure path, never passed to the app's error handler.
  const form = formBody((req, res, refusal) => fail(options, req, res, refusal));
  const wrap = (handler: Handler) => (req: Request, res: Response, next: NextFunction): void => {
    handler(options, req, res).catch(next);
  };
  router.get('/login', wrap(login));
  router.post('/login', form, wrap(login));
  router.get('/return', wrap(complete));
  router.post('/return', form, wrap(complete));
  router.get('/xrds', xrdsRoute(options));
  router.realmDiscovery = realmDiscovery(options);
  return router;
}
