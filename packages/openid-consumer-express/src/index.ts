export { openidConsumer, type ConsumerRouter } from './router.js';
export { relyingPartyXrds } from './routes/xrds.js';
export type { OpenIDSessionData } from './routes/return.js';
export type { ConsumerMiddlewareOptions, ConsumerFailure, LoginFailure, RefusedRequest, SetupNeededContext } from './options.js';
export type { LoginChoices } from './login-options.js';
export { isSafeReturnPath } from './return-path.js';
export { LOGIN_CSRF_FIELD, loginCsrfField, loginCsrfToken } from './login-csrf.js';
export { OpenIDStrategy, type OpenIDStrategyOptions } from './passport.js';
