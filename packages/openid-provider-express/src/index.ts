/// <reference types="express-session" preserve="true" />
import type { PendingInteraction } from './interaction.js';

export { openidProvider, type ProviderRouter, type InteractionDetails, type ResumeInput } from './router.js';
export type { ProviderOptions, Decision, AllowDecision, DecisionContext } from './options.js';
export { regenerateSession } from './interaction.js';
export { protectFromFraming } from './send.js';
export { opIdentifierXrds, claimedIdentifierXrds, identityLinks, serveIdentity, serveOPIdentifier, type IdentityDocumentOptions, type IdentityVersion, type ServeIdentityOptions } from './discovery-documents.js';
export { providerDeploymentCheck, providerArrivalCheck, type ProviderDeploymentCheckOptions } from './deployment-check.js';

// Declaration merging with express-session's types (shipped in this
// package's declarations): the key the login/consent round trip keeps in the
// session is declared, so an application's own `SessionData` cannot reuse it
// with another type unnoticed.
declare module 'express-session' {
  interface SessionData {
    /** Pending checkid requests by interaction id; written and read by the provider only. */
    openidInteractions?: Record<string, PendingInteraction>;
  }
}
