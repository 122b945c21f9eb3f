export { openidConsumer, type ConsumerRouter } from './router.js';
export { relyingPartyXrds } from './routes/xrds.js';
export type { OpenIDSessionData } from './routes/return.js';
export type { ConsumerMiddlewareOptions, ConsumerFailure, LoginFailure } from './options.js';
export { OpenIDStrategy, type OpenIDStrategyOptions } from './passport.js';
export { consumerDeploymentCheck, consumerArrivalCheck, type ConsumerDeploymentCheckOptions } from './deployment-check.js';
