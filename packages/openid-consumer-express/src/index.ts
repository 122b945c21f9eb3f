export { openidConsumer, relyingPartyXrds, type ConsumerRouter, type OpenIDSessionData } from './router.js';
export type { ConsumerMiddlewareOptions } from './options.js';
export { OpenIDStrategy, type OpenIDStrategyOptions } from './passport.js';
