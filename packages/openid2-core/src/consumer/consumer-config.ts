/**
 * The consumer's configuration, checked once when the consumer is created:
 * every option's type and range, and no unknown key (a typo, or a value
 * such as `transactionTtlMs: NaN` that would quietly turn a check off,
 * fails at start-up, not at some later login). The user's session is not
 * configuration: it is passed with each call.
 */
import type { DiscoveryCache } from '../discovery/cache.js';
import { checkXriProxy } from '../discovery/xri.js';
import { OpenIDConfigError } from '../errors.js';
import { createFetcher, type Fetcher } from '../fetch/fetcher.js';
import { DEFAULT_NONCE_SKEW_SECONDS } from '../nonce.js';
import { isOpenIDStore, type OpenIDStore } from '../store/store.js';
import { AssociationFlights } from './association-flights.js';
import { DEFAULT_BEGIN_TIMEOUT_MS, resolveBeginTimeout } from './begin-deadline.js';
import { checkAssociationPreferences, DEFAULT_ASSOCIATION_PREFERENCES, type AssociationPreference } from './negotiator.js';
import { checkPreset, type ConsumerPreset, type PresetConsumerSettings } from './preset.js';
import { TRANSACTION_TTL_MS, type ConsumerSessionStore } from './session.js';

/** Options of {@link Consumer}, each checked when the consumer is created. */
export interface ConsumerOptions {
  /**
   * Associations and nonces. Without one the consumer is stateless: every
   * assertion is verified with `check_authentication`, and replays are
   * caught only by the OP. Behind a load balancer, use a shared store.
   * @default none
   */
  store?: OpenIDStore | undefined;
  /** Never associate, even with a store (which then still records nonces). Presets for OPs with unusable associations set it. @default false */
  stateless?: boolean | undefined;
  /** Timeouts, size and redirect limits, private-address guard. @default createFetcher() */
  fetcher?: Fetcher | undefined;
  /** Discovery results by identifier. @default none */
  discoveryCache?: DiscoveryCache | undefined;
  /** An XRI proxy resolver (`https://xri.net/`), an absolute http(s) URL; without one, XRIs are refused. @default none */
  xriProxy?: string | undefined;
  /** A non-empty list of known pairs, in order of preference. @default HMAC-SHA256 over DH-SHA256, then HMAC-SHA1 over DH-SHA1 */
  associationPreferences?: readonly AssociationPreference[] | undefined;
  /**
   * Shared by logins starting at once, so that they make one associate
   * request per endpoint (single flight), not one each. One consumer serves
   * every request and has its own; give one only to share it between
   * several consumers with common endpoints.
   * @default a new AssociationFlights() of this consumer
   */
  associationFlights?: AssociationFlights | undefined;
  /**
   * Accept assertions that no login in this session started. Off by default:
   * they allow login CSRF (an attacker signs the victim in as the attacker).
   * OpenID 1.x assertions are refused regardless (nothing verifies them).
   * @default false
   */
  allowUnsolicitedAssertions?: boolean | undefined;
  /** Extra headers for check_authentication (Steam wants Origin and Referer): header names, values without line breaks. @default none */
  checkAuthenticationHeaders?: Readonly<Record<string, string>> | undefined;
  /**
   * A provider preset (`steamPreset({ origin })`): it pins its OP endpoint,
   * screens each assertion before any request is made for it, may add fields
   * to a success (`result.presetData`), and brings the settings its OP needs
   * (`stateless`, `checkAuthenticationHeaders`), which options given here
   * override. Its refusals are the failure `preset_refused`.
   * @default none
   */
  preset?: ConsumerPreset | undefined;
  /** How long a login may take between begin and complete, in milliseconds (finite, more than 0). @default 1 h */
  transactionTtlMs?: number | undefined;
  /**
   * One deadline for starting a login: discovery and association together
   * (begin, beginWithEndpoints). Past it the start fails with a
   * DiscoveryError of reason `begin_timeout`. At most 3 OP endpoints are
   * tried within it, whatever the XRDS document lists.
   * @default 15000 (15 s)
   */
  beginTimeoutMs?: number | undefined;
  /** The clock, in milliseconds since the epoch. @default Date.now */
  now?: (() => number) | undefined;
}

/** What one login may choose for itself, over the consumer's settings. */
export interface PerLoginOptions {
  /** Never associate for this login (true), or associate even though the consumer is `stateless` (false). @default the consumer's `stateless` */
  stateless?: boolean | undefined;
}

/** The checked configuration, its defaults resolved. */
export interface ConsumerConfig {
  readonly store: OpenIDStore | undefined;
  readonly stateless: boolean;
  readonly fetcher: Fetcher;
  readonly discoveryCache: DiscoveryCache | undefined;
  readonly xriProxy: string | undefined;
  readonly associationPreferences: readonly AssociationPreference[];
  readonly associationFlights: AssociationFlights;
  readonly allowUnsolicitedAssertions: boolean;
  readonly checkAuthenticationHeaders: Readonly<Record<string, string>> | undefined;
  readonly preset: ConsumerPreset | undefined;
  /** The nonce window: the store's `skewSeconds`, else DEFAULT_NONCE_SKEW_SECONDS. */
  readonly nonceSkewSeconds: number;
  readonly transactionTtlMs: number;
  readonly beginTimeoutMs: number;
  readonly now: () => number;
}

/** A header name: an RFC 9110 token. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// eslint-disable-next-line no-control-regex
const LINE_BREAK = /[\r\n\u0000]/;

function mustBe(test: boolean, option: string, what: string): void {
  if (!test) throw new OpenIDConfigError(`must be ${what}`, option);
}

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return value !== null && typeof value === 'object' && methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');
}

/** Throws OpenIDConfigError naming the option, or returns the value to keep. */
type Check = (value: unknown, option: string) => unknown;

/** A check that keeps the value as it is when `test` passes. */
function is(test: (value: unknown) => boolean, what: string): Check {
  return (value, option) => {
    mustBe(test(value), option, what);
    return value;
  };
}

const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
const isFunction = (value: unknown): boolean => typeof value === 'function';
const isFiniteAtLeast = (min: number, orEqual: boolean) => (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && (orEqual ? value >= min : value > min);

/** A frozen copy of the headers, each name a token and each value a single line. */
function checkHeaders(value: unknown, option: string): Readonly<Record<string, string>> {
  mustBe(value !== null && typeof value === 'object' && !Array.isArray(value), option, 'an object of header names to string values');
  for (const [name, text] of Object.entries(value as object)) {
    mustBe(HEADER_NAME.test(name), `${option}.${name}`, "a header name (letters, digits and !#$%&'*+.^_`|~-)");
    mustBe(typeof text === 'string' && !LINE_BREAK.test(text), `${option}.${name}`, 'a string without line breaks or NUL');
  }
  return Object.freeze({ ...(value as Record<string, string>) });
}

/** The preset's consumer settings, each checked as the option of its name is (naming `preset.consumer.<name>`). */
function presetSettings(preset: ConsumerPreset | undefined): PresetConsumerSettings {
  const settings: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(preset?.consumer ?? {})) {
    if (setting !== undefined) settings[key] = CHECKS[key as keyof PresetConsumerSettings](setting, `preset.consumer.${key}`);
  }
  return settings as PresetConsumerSettings;
}

/** The preset's headers under the consumer's own, a name given by both (in any case) taken from the consumer's. */
function mergedHeaders(preset: Readonly<Record<string, string>> | undefined, own: Readonly<Record<string, string>> | undefined): Readonly<Record<string, string>> | undefined {
  if (preset === undefined || own === undefined) return own ?? preset;
  const overridden = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  const kept = Object.entries(preset).filter(([name]) => !overridden.has(name.toLowerCase()));
  return Object.freeze({ ...Object.fromEntries(kept), ...own });
}

/** One check per option. */
const CHECKS: { readonly [K in keyof Required<ConsumerOptions>]: Check } = {
  store: is(isOpenIDStore, 'an OpenIDStore (storeAssociation, getAssociation, removeAssociation, useNonce; skewSeconds, if any, a finite number 0 or more)'),
  stateless: is(isBoolean, 'true or false'),
  fetcher: is((value) => hasMethods(value, ['fetch']), 'a Fetcher with fetch() (createFetcher())'),
  discoveryCache: is((value) => hasMethods(value, ['get', 'set']), 'a DiscoveryCache with get() and set() (new MemoryDiscoveryCache())'),
  xriProxy: checkXriProxy,
  associationPreferences: checkAssociationPreferences,
  associationFlights: is((value) => hasMethods(value, ['run']), 'an AssociationFlights (new AssociationFlights())'),
  allowUnsolicitedAssertions: is(isBoolean, 'true or false'),
  checkAuthenticationHeaders: checkHeaders,
  preset: checkPreset,
  transactionTtlMs: is(isFiniteAtLeast(0, false), 'a finite number of milliseconds, more than 0'),
  beginTimeoutMs: resolveBeginTimeout,
  now: is(isFunction, 'a function returning milliseconds since the epoch'),
};

/** The given options, each checked; undefined ones left out. */
function checkedOptions(options: unknown): ConsumerOptions {
  mustBe(options !== null && typeof options === 'object' && !Array.isArray(options), 'options', 'an object of consumer options');
  const checked: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options as object)) {
    if (key === 'session') throw new OpenIDConfigError('is not an option: pass the session with each call (consumer.begin(session, identifier), consumer.complete(session, args, currentUrl))', key);
    if (!Object.hasOwn(CHECKS, key)) throw new OpenIDConfigError(`is not a consumer option (known: ${Object.keys(CHECKS).join(', ')})`, key);
    if (value !== undefined) checked[key] = CHECKS[key as keyof ConsumerOptions](value, key);
  }
  return checked as ConsumerOptions;
}

/**
 * Checks every consumer option and resolves the defaults, once.
 * @throws OpenIDConfigError naming the option at fault
 */
export function resolveConsumerConfig(options: ConsumerOptions): ConsumerConfig {
  const checked = checkedOptions(options);
  const fromPreset = presetSettings(checked.preset);
  return Object.freeze({
    store: checked.store,
    stateless: checked.stateless ?? fromPreset.stateless ?? false,
    fetcher: checked.fetcher ?? createFetcher(),
    discoveryCache: checked.discoveryCache,
    xriProxy: checked.xriProxy,
    associationPreferences: checked.associationPreferences ?? DEFAULT_ASSOCIATION_PREFERENCES,
    associationFlights: checked.associationFlights ?? new AssociationFlights(),
    allowUnsolicitedAssertions: checked.allowUnsolicitedAssertions ?? false,
    checkAuthenticationHeaders: mergedHeaders(fromPreset.checkAuthenticationHeaders, checked.checkAuthenticationHeaders),
    preset: checked.preset,
    nonceSkewSeconds: checked.store?.skewSeconds ?? DEFAULT_NONCE_SKEW_SECONDS,
    transactionTtlMs: checked.transactionTtlMs ?? TRANSACTION_TTL_MS,
    beginTimeoutMs: checked.beginTimeoutMs ?? DEFAULT_BEGIN_TIMEOUT_MS,
    now: checked.now ?? Date.now,
  });
}

/**
 * The session of a call, checked: an app that passes none (express-session
 * missing) learns it at once.
 * @throws OpenIDConfigError naming `session`
 */
export function checkSession(session: unknown): ConsumerSessionStore {
  mustBe(hasMethods(session, ['get', 'set', 'delete']), 'session', 'a session with get, set and delete (express-session: objectSession(req.session))');
  return session as ConsumerSessionStore;
}

/**
 * A login's own choices, checked.
 * @throws OpenIDConfigError naming `perLogin` or the choice
 */
export function checkPerLogin(perLogin: unknown): PerLoginOptions {
  if (perLogin === undefined) return {};
  mustBe(perLogin !== null && typeof perLogin === 'object' && !Array.isArray(perLogin), 'perLogin', 'an object ({ stateless })');
  for (const [key, value] of Object.entries(perLogin as object)) {
    if (key !== 'stateless') throw new OpenIDConfigError('is not a per-login option (known: stateless)', `perLogin.${key}`);
    mustBe(value === undefined || typeof value === 'boolean', 'perLogin.stateless', 'true or false');
  }
  return perLogin as PerLoginOptions;
}
