export { finding, formatFinding, report, type Finding, type FindingLevel, type ReportOptions } from './finding.js';
export { checkArrival, type Arrival } from './checks/arrival.js';
export { checkSessionCookie, type SessionCookieSettings } from './checks/session-cookie.js';
export { checkStore } from './checks/store.js';
export { checkFetcherGuard, isLoopbackUrl } from './checks/fetcher.js';
export { checkReturnUrlPublished, checkProviderDiscovery, type ProviderDiscoveryInput } from './checks/discovery.js';
export { checkHttps } from './checks/urls.js';
export { checkRelyingPartyDeployment, checkProviderDeployment, type RelyingPartyDeployment, type ProviderDeployment } from './deployment.js';
export { probeSite, type ProbeResult } from './probe.js';
