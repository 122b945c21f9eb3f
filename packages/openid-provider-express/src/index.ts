export { openidProvider, type ProviderRouter, type InteractionDetails, type ResumeInput } from './router.js';
export type { ProviderOptions, Decision, AllowDecision, DecisionContext } from './options.js';
export { regenerateSession } from './interaction.js';
export { protectFromFraming } from './send.js';
export { opIdentifierXrds, claimedIdentifierXrds, identityLinks, serveIdentity, serveOPIdentifier, type IdentityDocumentOptions, type IdentityVersion, type ServeIdentityOptions } from './discovery-documents.js';
