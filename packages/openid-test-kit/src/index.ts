export { startMockProvider, USER_HEADER, ATTACK_HEADER, type MockProvider, type MockProviderOptions, type MockUser } from './mock-provider.js';
export { ATTACKS, ATTACK_NAMES, INJECTED_VALUE, attackNamed, type Attack, type AttackKind, type AssertOptions, type ForgeContext, type SignerKind } from './attacks.js';
export { runRelyingPartyAttacks, type RelyingPartyAttackOptions, type AttackReport, type AttackResult, type AttackOutcome } from './run-attacks.js';
export { formatAttackTable } from './report.js';
export { Browser, readForms, submitForm, type BrowserResponse, type PageForm } from './browser.js';
export type { LoginStart } from './login-driver.js';
export type { Delivery, Pairs } from './assertion.js';
export { STEAM_SIGNED_FIELDS } from './steam.js';
export { HUGE_DOCUMENT_BYTES, type HostileDiscovery } from './discovery-pages.js';
