import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

// 18.5: the public surface of every published package, entry point by entry
// point (each key of its package.json `exports`), runtime names and
// type-only names apart. The expected lists are written out here, not in a
// snapshot file that updates itself: a name added, moved to
// `openid2-core/internals` or removed is an edit of this list, made on purpose.
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const SURFACE: Record<string, { runtime: string[]; types: string[] }> = {
  'openid-consumer-express': {
    runtime: [
      'LOGIN_CSRF_FIELD', 'OpenIDStrategy', 'consumerArrivalCheck', 'consumerDeploymentCheck', 'isSafeReturnPath', 'loginCsrfField', 'loginCsrfToken',
      'openidConsumer', 'relyingPartyXrds',
    ],
    types: [
      'ConsumerDeploymentCheckOptions', 'ConsumerFailure', 'ConsumerMiddlewareOptions', 'ConsumerRouter', 'LoginChoices', 'LoginFailure',
      'OpenIDSessionData', 'OpenIDStrategyOptions', 'OpenIDVerifyInput', 'RefusedRequest', 'SetupNeededContext',
    ],
  },
  'openid-doctor': {
    runtime: [
      'checkArrival', 'checkFetcherGuard', 'checkHttps', 'checkProviderDeployment', 'checkProviderDiscovery', 'checkRelyingPartyDeployment',
      'checkReturnUrlPublished', 'checkSealingKeys', 'checkSessionCookie', 'checkStore', 'finding', 'formatFinding', 'probeSite', 'report',
    ],
    types: [
      'Arrival', 'Finding', 'FindingLevel', 'ProbeResult', 'ProviderDeployment', 'ProviderDiscoveryInput', 'RelyingPartyDeployment', 'ReportOptions',
      'SessionCookieSettings',
    ],
  },
  'openid-provider-express': {
    runtime: [
      'claimedIdentifierXrds', 'identityLinks', 'opIdentifierXrds', 'openidProvider', 'protectFromFraming', 'providerArrivalCheck',
      'providerDeploymentCheck', 'regenerateSession', 'serveIdentity', 'serveOPIdentifier',
    ],
    types: [
      'AllowDecision', 'Decision', 'DecisionContext', 'IdentityDocumentOptions', 'IdentityVersion', 'InteractionDetails',
      'ProviderDeploymentCheckOptions', 'ProviderOptions', 'ProviderRouter', 'ResumeInput', 'ServeIdentityOptions',
    ],
  },
  'openid-store-redis': {
    runtime: [
      'RedisStore',
    ],
    types: [
      'RedisStoreOptions',
    ],
  },
  'openid-store-sql': {
    runtime: [
      'SqlStore',
    ],
    types: [
      'Dialect', 'QueryResult', 'SqlStoreOptions',
    ],
  },
  'openid-store-sql/sqlite': {
    runtime: [
      'SqliteStore',
    ],
    types: [
      'SqliteStoreOptions',
    ],
  },
  'openid-store-sql/postgres': {
    runtime: [
      'PostgresStore',
    ],
    types: [
      'PostgresStoreOptions',
    ],
  },
  'openid-store-sql/mysql': {
    runtime: [
      'MysqlStore',
    ],
    types: [
      'MysqlStoreOptions',
    ],
  },
  'openid-test-kit': {
    runtime: [
      'ATTACKS', 'ATTACK_HEADER', 'ATTACK_NAMES', 'Browser', 'HUGE_DOCUMENT_BYTES', 'INJECTED_VALUE', 'STEAM_SIGNED_FIELDS', 'USER_HEADER', 'attackNamed',
      'formatAttackTable', 'readForms', 'runRelyingPartyAttacks', 'startMockProvider', 'submitForm',
    ],
    types: [
      'AssertOptions', 'Attack', 'AttackKind', 'AttackOutcome', 'AttackReport', 'AttackResult', 'BrowserResponse', 'Delivery', 'ForgeContext',
      'HostileDiscovery', 'LoginStart', 'MockProvider', 'MockProviderOptions', 'MockUser', 'PageForm', 'Pairs', 'RelyingPartyAttackOptions', 'SignerKind',
    ],
  },
  'openid2-core': {
    runtime: [
      'ASSOCIATION_TYPES', 'AXFetchRequest', 'AXFetchResponse', 'AXStoreRequest', 'AXStoreResponse', 'AX_1_0_NS', 'AX_ATTRIBUTES', 'AnswerError',
      'AssociateRequest', 'Association', 'AssociationError', 'AssociationFlights', 'AuthRequest', 'BARE_NS', 'CheckAuthRequest', 'CheckIDRequest',
      'Consumer', 'CsrfError', 'DEFAULT_ASSOCIATION_PREFERENCES', 'DEFAULT_MAX_ASSOCIATIONS_PER_SERVER', 'DEFAULT_NONCE_SKEW_SECONDS', 'DISCOVERY_LIMITS',
      'DiffieHellmanError', 'DiscoveryError', 'ExtensionError', 'FAILURE_REASONS', 'FetchError', 'FileStore', 'IDENTIFIER_SELECT', 'IntegerError',
      'InteractionInvalid', 'InteractionNotFound', 'KVFormError', 'MAX_REDIRECT_URL_LENGTH', 'MemoryDiscoveryCache', 'MemoryStore', 'Message',
      'MessageError', 'NonceError', 'OPENID11_NS', 'OPENID1_NAMESPACES', 'OPENID1_NS', 'OPENID2_NS', 'OPENID_1_0_TYPE', 'OPENID_1_1_TYPE',
      'OPENID_1_XML_NS', 'OPENID_2_0_TYPE', 'OPENID_ERROR_CODES', 'OPENID_IDP_2_0_TYPE', 'OPENID_NS', 'OpenIDConfigError', 'OpenIDError', 'PAPE_1_0_NS',
      'PAPE_LEVEL_JISA', 'PAPE_LEVEL_NIST', 'PAPE_POLICY_MULTI_FACTOR', 'PAPE_POLICY_MULTI_FACTOR_PHYSICAL', 'PAPE_POLICY_NONE',
      'PAPE_POLICY_PHISHING_RESISTANT', 'PROFILE_FIELDS', 'PairwiseIdentifiers', 'PapeRequest', 'PapeResponse', 'ProtocolError', 'RP_RETURN_TO_TYPE',
      'Realm', 'RealmError', 'SESSION_TYPES', 'SREG_1_0_NS', 'SREG_1_1_NS', 'SREG_FIELDS', 'SRegRequest', 'SRegResponse', 'STEAM_OP_ENDPOINT',
      'STEAM_OP_IDENTIFIER', 'STEAM_REFUSAL_CODES', 'Server', 'ServiceEndpoint', 'StoreClock', 'StoreError', 'UrlError', 'XRDS_CONTENT_TYPE', 'addProfileRequest',
      'answerProfile', 'axAliasProblem', 'checkNonceArgs', 'claimedIdentifierXrds', 'createFetcher', 'discover', 'discoverRelyingPartyReturnTos',
      'encodeResponse', 'errorResponse', 'escapeHTML', 'evictionTarget', 'formatAuthTime', 'identityLinks', 'isOpenIDStore', 'isProfileField',
      'isSRegField', 'isValidHandle', 'normalizeIdentifier', 'normalizeProfile', 'normalizeUrl', 'objectSession', 'opIdentifierXrds', 'parseAuthTime',
      'profileFromSuccess', 'profileRequest', 'profileValueProblem', 'relyingPartyXrds', 'requestedProfile', 'serverKey', 'sregValueProblem',
      'steamIdFromClaimedId', 'steamIdOf', 'steamPreset', 'supportsSReg',
    ],
    types: [
      'AXAttribute', 'AXRequestedAttribute', 'AllowOptions', 'AssociationInit', 'AssociationPolicy', 'AssociationPreference', 'AssociationType',
      'CancelResult', 'CauseEntry', 'CompletionResult', 'ConsumerOptions', 'ConsumerPreset', 'ConsumerSessionStore', 'DecodedRequest', 'DiffieHellmanLimits',
      'DiscoverOptions', 'DiscoveryCache', 'DiscoveryErrorReason', 'DiscoveryFailureReason', 'DiscoveryResult', 'EncodedResponse', 'Extension',
      'ExtensionErrorReason', 'FailureReason', 'FailureResult', 'FetchFailureReason', 'FetchInit', 'FetchResponse', 'Fetcher', 'FetcherOptions',
      'FileStoreOptions', 'FormMarkupOptions', 'IdentityDocumentOptions', 'IdentityVersion', 'IndirectEncoding', 'LookupFunction',
      'MemoryDiscoveryCacheOptions', 'MessageArgs', 'NamespaceKey', 'NormalizeUrlOptions', 'NormalizedIdentifier', 'OpenIDErrorCode',
      'OpenIDErrorOptions', 'OpenIDEvent', 'OpenIDResponse', 'OpenIDStore', 'PairwiseOptions', 'PerLoginOptions', 'PresetConsumerSettings', 'PresetRefusal', 'Profile', 'ProfileField', 'ProfilePlan', 'ProfileRequest',
      'ProfileRequestOptions', 'ProtocolErrorCode', 'ProtocolErrorOptions', 'ProtocolVersion', 'RequestedProfile', 'ReturnToCacheOptions',
      'ReturnToVerification', 'SRegData', 'SRegField', 'SRegRequestOptions', 'SealedHandlesOptions', 'SealingKey', 'ServerOptions', 'ServiceEndpointInit',
      'SessionType', 'SetupNeededResult', 'SignedArgsSource', 'SignedSource', 'SteamPresetOptions', 'StoreTimeOptions', 'SuccessResult',
      'Transaction',
    ],
  },
  'openid2-core/internals': {
    runtime: [
      'DEFAULT_DH_GENERATOR', 'DEFAULT_DH_MODULUS', 'DiffieHellman', 'MAX_MODULUS_BITS_CEILING', 'MAX_NONCE_LENGTH', 'NamespaceAliases', 'Negotiator',
      'OPENID_TYPES', 'RESERVED_ALIASES', 'ReturnToCache', 'SealedHandles', 'Signatory', 'TRANSACTION_PARAM', 'XRDS_NS', 'XRD_NS',
      'addExtensionToMessage', 'assocTypeMatchesSession', 'attributeOfField', 'attributeOfSRegField', 'attributeOfUri', 'base64ToInt', 'btwoc',
      'causeChain', 'checkNonceTimestamp', 'createConsumerSession', 'createServerSession', 'decodeBase64Strict', 'decodeBody', 'decodeFormComponent',
      'discoveryFailureReason', 'endpointMatches', 'failure', 'formatHttpUrl', 'fromBtwoc', 'intToBase64', 'isAssociationType', 'isLoopbackRefusal',
      'isNonceSalt', 'isPrivateAddress', 'isSealedHandle', 'isSessionType', 'kvForm', 'makeNonce', 'newHandle', 'newSecret', 'nonceInWindow',
      'parseHTMLDiscovery', 'parseHttpUrl', 'parseNonce', 'parseXRDS', 'readFormPairs', 'returnToMatches', 'sanitizeErrorText', 'secretLengthOf',
      'sessionAllowedOverTransport', 'signedArgsFrom', 'signedExtensionArgs', 'sortEndpoints', 'sregNamespaceFor', 'sregNamespaceOf', 'validateGroup',
      'verifyDiscoveredEndpoint', 'withoutFragment', 'withoutQuery', 'writeXRDS', 'yadisDiscover',
    ],
    types: [
      'AssertedInformation', 'ConsumerSession', 'DHHash', 'DiffieHellmanOptions', 'DiscoveredVerification', 'HTMLDiscoveryInfo', 'KVPairs',
      'KVParseOptions', 'KVSerializeOptions', 'NegotiatorOptions', 'NonceTimeOptions', 'NormalizedUrlParts', 'ParseHttpUrlOptions', 'ParsedNonce',
      'ParsedXRDS', 'ServerSession', 'SignatoryOptions', 'XRDSServiceElement', 'XRDService', 'YadisResult',
    ],
  },
};

interface Entry {
  /** The specifier an application imports: `openid2-core`, `openid2-core/internals`. */
  specifier: string;
  source: string;
}

/** Every entry point of every published package, from the `exports` maps. */
function entries(): Entry[] {
  const found: Entry[] = [];
  for (const dir of readdirSync(join(repo, 'packages')).sort()) {
    const manifest = join(repo, 'packages', dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name: string; private?: boolean; exports: Record<string, unknown> };
    if (pkg.private === true) continue;
    for (const key of Object.keys(pkg.exports)) {
      if (key === './package.json') continue;
      const file = key === '.' ? 'index' : key.slice(2);
      found.push({ specifier: key === '.' ? pkg.name : `${pkg.name}/${file}`, source: join(repo, 'packages', dir, 'src', `${file}.ts`) });
    }
  }
  return found;
}

/** Every exported name of each entry, types included, as the compiler sees them (with the repository's path mapping). */
function exportedNames(files: readonly string[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(join(repo, 'tsconfig.check.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (config === undefined) throw new Error('tsconfig.check.json does not parse');
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const names = new Map<string, string[]>();
  for (const file of files) {
    const source = program.getSourceFile(file);
    const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
    if (module === undefined) throw new Error(`${file} is not a module`);
    names.set(file, checker.getExportsOfModule(module).map((symbol) => symbol.name).sort());
  }
  return names;
}

const ENTRIES = entries();
const ALL = exportedNames(ENTRIES.map((entry) => entry.source));

describe('18.5: the public surface of every package', () => {
  test('the expected lists name exactly the entry points of the exports maps', () => {
    expect(Object.keys(SURFACE).sort()).toEqual(ENTRIES.map((entry) => entry.specifier).sort());
    expect(ENTRIES.map((entry) => entry.specifier)).toContain('openid2-core/internals');
  });

  test.each(ENTRIES)('$specifier exports exactly the listed runtime and type names', async ({ specifier, source }) => {
    const runtime = Object.keys((await import(pathToFileURL(source).href)) as object).sort();
    const all = ALL.get(source) ?? [];
    const types = all.filter((name) => !runtime.includes(name));
    expect({ runtime, types }).toEqual(SURFACE[specifier]);
  });

  test('the main entry and openid2-core/internals share no name: a building block has one door', () => {
    const [main, internals] = ['openid2-core', 'openid2-core/internals'].map((specifier) => ENTRIES.find((entry) => entry.specifier === specifier)?.source ?? '');
    const shared = (ALL.get(main as string) ?? []).filter((name) => (ALL.get(internals as string) ?? []).includes(name));
    expect(shared).toEqual([]);
  });
});
