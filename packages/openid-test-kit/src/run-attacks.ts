/**
 * `runRelyingPartyAttacks`: plays every attack against a running relying
 * party and reports which were refused. Works from any test runner (it is
 * one async function) and from the command line.
 */
import { OpenIDConfigError } from 'openid2-core';
import { ATTACKS, INJECTED_VALUE, discoveryKindOf, type Attack } from './attacks.js';
import { Browser, type BrowserResponse } from './browser.js';
import { deliverToRelyingParty, startLogin, visitProvider, type LoginStart } from './login-driver.js';
import { startMockProvider, type MockProvider } from './mock-provider.js';

/** Options of {@link runRelyingPartyAttacks}: how to start a login at the relying party, how to tell who is signed in, and which attacks to play. */
export interface RelyingPartyAttackOptions extends LoginStart {
  /**
   * A page of the relying party showing who is signed in (the claimed
   * identifier or SteamID64, and profile values for the unsigned-extension
   * attack). Needed unless `isSignedIn` is given.
   * @default undefined (`isSignedIn` is then required)
   */
  meUrl?: string;
  /** Decides whether `marker` (the victim's identifier, SteamID64 or an injected value) is what the browser is signed in with. @default looks for marker on meUrl */
  isSignedIn?: (context: { browser: Browser; marker: string; final: BrowserResponse }) => Promise<boolean>;
  /** The relying party uses Steam (identifier select, its login takes no identifier). The provider must be its Steam. @default false */
  steam?: boolean;
  /** A provider already started (in Steam mode for a Steam relying party). @default undefined (one is started, and stopped at the end) */
  provider?: MockProvider;
  /** Only these attacks. @default every attack that applies */
  attacks?: readonly string[];
  /** Time for one request, in milliseconds. @default 20000 */
  timeoutMs?: number;
  /** Time the relying party has to answer a login with a hostile discovery document. @default 30000 */
  discoveryDeadlineMs?: number;
}

/** How an attack ended: the relying party `refused` it, `accepted` it (a vulnerability), or the run could not tell (`inconclusive`, with the reason in `detail`). */
export type AttackOutcome = 'refused' | 'accepted' | 'inconclusive';

/** One attack's result in an {@link AttackReport}. */
export interface AttackResult {
  /** The attack's name (see {@link Attack}). */
  name: string;
  /** One line: what was sent. */
  title: string;
  /** One line: what a safe relying party answers. */
  safeAnswer: string;
  /** Whether the relying party refused it. */
  outcome: AttackOutcome;
  /** Where the browser ended, or why the outcome is what it is. */
  detail: string;
}

/** What {@link runRelyingPartyAttacks} returns: the honest login's outcome, each attack's result, and the attacks that got through. */
export interface AttackReport {
  /** Where the honest login ended (it must sign the victim in, or nothing else means anything). */
  baseline: string;
  /** One result per attack played, in the order of {@link ATTACKS}. */
  results: AttackResult[];
  /** Names of the attacks that got through. */
  accepted: string[];
}

interface Run {
  options: RelyingPartyAttackOptions;
  provider: MockProvider;
  timeoutMs: number;
  victimMarker: string;
  /** The return URL (origin and path) the honest login used. */
  returnUrl?: string;
  /** Whether the honest login showed a signed profile value. */
  showsProfile?: boolean;
}

const VICTIM_PROFILE = ['kit-victim', 'victim@kit.example'];

async function signedIn(run: Run, browser: Browser, marker: string, final: BrowserResponse): Promise<boolean> {
  if (run.options.isSignedIn !== undefined) return run.options.isSignedIn({ browser, marker, final });
  const me = await browser.get(run.options.meUrl as string, { timeoutMs: run.timeoutMs });
  return me.status === 200 && me.body.includes(marker);
}

function where(response: BrowserResponse): string {
  const url = new URL(response.url);
  // The query shows the relying party's reason (?openid_error=…); a whole assertion in it would not fit a table.
  const search = url.search.length <= 80 ? url.search : `${url.search.slice(0, 40)}…`;
  return response.location === undefined ? `${response.status} at ${url.pathname}${search}` : `${response.status} to ${response.location}`;
}

/** One login through the provider; `attack` undefined is the honest one. */
async function login(run: Run, browser: Browser, user: string, attack: string | undefined): Promise<{ final: BrowserResponse; fromProvider: BrowserResponse }> {
  const identifier = run.options.steam === true ? undefined : run.provider.identifier(user);
  const started = await startLogin(browser, run.options, identifier, run.timeoutMs);
  const fromProvider = await visitProvider(browser, started, { user, attack }, run.timeoutMs);
  return { final: await deliverToRelyingParty(browser, fromProvider, run.timeoutMs), fromProvider };
}

async function honestLogin(run: Run): Promise<string> {
  const browser = new Browser();
  let final: BrowserResponse;
  let fromProvider: BrowserResponse;
  try {
    ({ final, fromProvider } = await login(run, browser, 'victim', undefined));
  } catch (error) {
    throw new Error(`The honest login did not sign the victim in: ${(error as Error).message}`, { cause: error });
  }
  if (!(await signedIn(run, browser, run.victimMarker, final))) {
    throw new Error(`The honest login did not sign the victim in (it ended ${where(final)}): check loginUrl, meUrl and that the relying party can reach ${run.provider.base}`);
  }
  const returnTo = fromProvider.location === undefined ? undefined : new URL(fromProvider.location).searchParams.get('openid.return_to');
  if (returnTo !== null && returnTo !== undefined) run.returnUrl = `${new URL(returnTo).origin}${new URL(returnTo).pathname}`;
  if (run.options.isSignedIn === undefined) {
    const me = await browser.get(run.options.meUrl as string, { timeoutMs: run.timeoutMs });
    run.showsProfile = VICTIM_PROFILE.some((value) => me.body.includes(value));
  }
  return where(final);
}

async function discoveryAttack(run: Run, attack: Attack): Promise<Pick<AttackResult, 'outcome' | 'detail'>> {
  const deadline = run.options.discoveryDeadlineMs ?? 30_000;
  const identifier = run.provider.identifier('victim', discoveryKindOf(attack));
  let answer: BrowserResponse;
  try {
    answer = await startLogin(new Browser(), run.options, identifier, deadline);
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') return { outcome: 'accepted', detail: `no answer within ${deadline} ms` };
    throw error;
  }
  if (answer.status >= 500) return { outcome: 'accepted', detail: `answered ${answer.status}` };
  if (run.provider.readToEnd(identifier)) return { outcome: 'accepted', detail: 'read the whole 64 MiB document (no size limit)' };
  return { outcome: 'refused', detail: where(answer) };
}

async function playAttack(run: Run, attack: Attack): Promise<Pick<AttackResult, 'outcome' | 'detail'>> {
  if (attack.kind === 'discovery') return discoveryAttack(run, attack);
  const injected = attack.succeedsWhen === 'injected_value_shown';
  if (injected && run.showsProfile !== true) {
    return { outcome: 'inconclusive', detail: 'meUrl shows no signed profile value after the honest login (none asked for, or not shown)' };
  }
  const browser = new Browser();
  let final: BrowserResponse;
  if (attack.kind === 'unsolicited') {
    if (run.returnUrl === undefined) return { outcome: 'inconclusive', detail: 'the return URL of the honest login is unknown' };
    const url = await run.provider.unsolicitedAssertion({ returnTo: run.returnUrl });
    final = await deliverToRelyingParty(browser, { url: run.provider.base, status: 302, location: url, body: '', headers: new Headers() }, run.timeoutMs);
  } else {
    if (attack.needsPrevious === true) await honestLogin(run);
    ({ final } = await login(run, browser, attack.loginAs ?? 'victim', attack.name));
  }
  const accepted = await signedIn(run, browser, injected ? INJECTED_VALUE : run.victimMarker, final);
  return { outcome: accepted ? 'accepted' : 'refused', detail: where(final) };
}

function checkOptions(options: RelyingPartyAttackOptions): void {
  if (options === null || typeof options !== 'object') throw new OpenIDConfigError('options are required');
  if (options.startLogin === undefined && (typeof options.loginUrl !== 'string' || !URL.canParse(options.loginUrl))) throw new OpenIDConfigError('must be an absolute URL', 'loginUrl');
  if (options.meUrl === undefined && options.isSignedIn === undefined) throw new OpenIDConfigError('give meUrl (a page showing who is signed in) or isSignedIn', 'meUrl');
  if (options.meUrl !== undefined && !URL.canParse(options.meUrl)) throw new OpenIDConfigError('must be an absolute URL', 'meUrl');
  for (const name of options.attacks ?? []) {
    if (!ATTACKS.some((attack) => attack.name === name)) throw new OpenIDConfigError(`${JSON.stringify(name)} is not a known attack`, 'attacks');
  }
  if (options.provider !== undefined && options.provider.steam !== (options.steam === true)) throw new OpenIDConfigError('a Steam relying party needs a provider in Steam mode, and only it', 'provider');
}

/**
 * Plays the attacks against a running relying party: an honest login first
 * (it must succeed), then each attack in a fresh browser.
 * @throws OpenIDConfigError for bad options; Error when the honest login fails
 */
export async function runRelyingPartyAttacks(options: RelyingPartyAttackOptions): Promise<AttackReport> {
  checkOptions(options);
  const steam = options.steam === true;
  const provider = options.provider ?? (await startMockProvider({ steam }));
  try {
    const victim = provider.identifier('victim');
    const run: Run = { options, provider, timeoutMs: options.timeoutMs ?? 20_000, victimMarker: steam ? (victim.split('/').pop() as string) : new URL(victim).pathname };
    const baseline = await honestLogin(run);
    const chosen = ATTACKS.filter((attack) => (options.attacks === undefined ? !steam || attack.steam : options.attacks.includes(attack.name)));
    const results: AttackResult[] = [];
    for (const attack of chosen) {
      // A fault in one attack (the relying party broke off, a timeout) is reported, and the run goes on.
      const { outcome, detail } = await playAttack(run, attack).catch((error: unknown) => ({ outcome: 'inconclusive' as const, detail: `the run failed: ${(error as Error).message}` }));
      results.push({ name: attack.name, title: attack.title, safeAnswer: attack.safeAnswer, outcome, detail });
    }
    return { baseline, results, accepted: results.filter((result) => result.outcome === 'accepted').map((result) => result.name) };
  } finally {
    if (options.provider === undefined) await provider.close();
  }
}
