export { openidProvider, type ProviderRouter, type InteractionDetails } from './router.js';
export type { ProviderOptions, Decision, DecisionContext } from './options.js';
export { protectFromFraming } from './send.js';
export { opIdentifierXrds, claimedIdentifierXrds, identityLinks, serveIdentity, serveOPIdentifier } from './discovery-documents.js';
