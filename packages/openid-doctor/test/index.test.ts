import * as doctor from '../src/index.js';

test('the export list', () => {
  expect(Object.keys(doctor).sort()).toEqual([
    'checkArrival', 'checkFetcherGuard', 'checkHttps', 'checkProviderDeployment', 'checkProviderDiscovery', 'checkRelyingPartyDeployment',
    'checkReturnUrlPublished', 'checkSealingKeys', 'checkSessionCookie', 'checkStore', 'finding', 'formatFinding', 'isLoopbackUrl', 'probeSite', 'report',
  ]);
});
