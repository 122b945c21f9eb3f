/// <reference types="express-session" preserve="true" />
import type { OpenIDSessionData } from './routes/return.js';

export { openidConsumer, type ConsumerRouter } from './router.js';
export { relyingPartyXrds } from 'openid2-core';
export type { OpenIDSessionData } from './routes/return.js';
export type { ConsumerMiddlewareOptions, ConsumerFailure, LoginFailure, RefusedRequest, SetupNeededContext } from './options.js';
export type { LoginChoices } from './login-options.js';
export { isSafeReturnPath } from './return-path.js';
export { LOGIN_CSRF_FIELD, loginCsrfField, loginCsrfToken } from './login-csrf.js';
export { OpenIDStrategy, type OpenIDStrategyOptions, type OpenIDVerifyInput } from './passport.js';
export { consumerDeploymentCheck, consumerArrivalCheck, type ConsumerDeploymentCheckOptions } from './deployment-check.js';

// Declaration merging with express-session's types (shipped in this
// package's declarations): `req.session.openid` type-checks in every app
// that imports the package, with no augmentation of its own.
declare module 'express-session' {
  interface SessionData {
    /** The verified identity, set by the return route after a successful login. */
    openid?: OpenIDSessionData;
  }
}
