/**
 * Drives one login through a relying party, as a browser would: start it
 * (a POST or GET to the login route, the login page's form with its hidden
 * inputs, or the user's own `startLogin`), carry the request to the
 * provider, carry the answer back, and follow the relying party's own
 * redirects and self-submitting pages.
 */
import { ATTACK_HEADER, USER_HEADER } from './mock-provider.js';
import { readForms, submitForm, type Browser, type BrowserResponse } from './browser.js';

/** How the relying party's login is started. */
export interface LoginStart {
  /** The login route (form action) that takes the identifier. */
  loginUrl: string;
  /**
   * 'POST' (default) or 'GET' send the identifier to `loginUrl`; 'form'
   * fetches `loginPageUrl`, fills in the form whose action is `loginUrl`
   * (or that has the identifier field) and submits it with its hidden inputs.
   * @default 'POST'
   */
  loginMethod?: 'POST' | 'GET' | 'form';
  /** The page holding the login form ('form' mode). @default loginUrl */
  loginPageUrl?: string;
  /** The name of the form field the identifier is sent in (OpenID 2.0 §7.1 recommends `openid_identifier`). @default 'openid_identifier' */
  identifierField?: string;
  /**
   * Starts a login yourself; answer with the relying party's response that
   * sends the browser to the provider (a redirect or an auto-submitting page).
   * `identifier` is undefined for Steam (identifier select).
   * @default undefined (the login is started as `loginMethod` says)
   */
  startLogin?: (context: { browser: Browser; identifier: string | undefined }) => Promise<BrowserResponse>;
}

/** The relying party's origin, for telling its own redirects from the way out. */
const originOf = (url: string): string => new URL(url).origin;

function findLoginForm(page: BrowserResponse, start: LoginStart, field: string): ReturnType<typeof readForms>[number] {
  const forms = readForms(page.body, page.url);
  const form = forms.find((candidate) => candidate.action === new URL(start.loginUrl).href) ?? forms.find((candidate) => candidate.fields.some(([name]) => name === field));
  if (form === undefined) throw new Error(`No login form posting to ${start.loginUrl} on ${page.url}`);
  return form;
}

/** Starts a login; the answer should send the browser to the provider. */
export async function startLogin(browser: Browser, start: LoginStart, identifier: string | undefined, timeoutMs: number): Promise<BrowserResponse> {
  if (start.startLogin !== undefined) return start.startLogin({ browser, identifier });
  const field = start.identifierField ?? 'openid_identifier';
  const pairs: Array<[string, string]> = identifier === undefined ? [] : [[field, identifier]];
  if (start.loginMethod === 'GET') {
    const url = new URL(start.loginUrl);
    for (const [name, value] of pairs) url.searchParams.set(name, value);
    return browser.get(url.href, { timeoutMs });
  }
  if (start.loginMethod === 'form') {
    const page = await browser.get(start.loginPageUrl ?? start.loginUrl, { timeoutMs });
    const form = findLoginForm(page, start, field);
    const fields = form.fields.filter(([name]) => name !== field);
    return submitForm(browser, { ...form, fields: [...fields, ...pairs] }, { timeoutMs });
  }
  return browser.post(start.loginUrl, pairs, { timeoutMs });
}

/** Follows the relying party's redirects on its own origin until it sends the browser elsewhere (at most 5). */
async function leaveRelyingParty(browser: Browser, answer: BrowserResponse, timeoutMs: number): Promise<BrowserResponse> {
  let response = answer;
  for (let hop = 0; hop < 5 && response.location !== undefined && originOf(response.location) === originOf(response.url); hop += 1) {
    response = await browser.get(response.location, { timeoutMs });
  }
  return response;
}

/**
 * Carries the relying party's answer to the provider (with the user and
 * attack chosen for this login) and returns the provider's answer.
 */
export async function visitProvider(browser: Browser, answer: BrowserResponse, choice: { user: string; attack: string | undefined }, timeoutMs: number): Promise<BrowserResponse> {
  const out = await leaveRelyingParty(browser, answer, timeoutMs);
  const headers: Record<string, string> = { [USER_HEADER]: choice.user, ...(choice.attack === undefined ? {} : { [ATTACK_HEADER]: choice.attack }) };
  if (out.location !== undefined) return browser.get(out.location, { crossSite: true, headers, timeoutMs });
  const form = readForms(out.body, out.url)[0];
  if (form === undefined) throw new Error(`The relying party did not send the browser to the provider (status ${out.status} at ${out.url})`);
  return submitForm(browser, form, { crossSite: true, headers, timeoutMs });
}

/**
 * Carries the provider's answer (a redirect or an auto-submitting page) to
 * the relying party, cross-site, then follows the relying party's own
 * redirects and self-submitting pages (at most 5 hops).
 */
export async function deliverToRelyingParty(browser: Browser, fromProvider: BrowserResponse, timeoutMs: number): Promise<BrowserResponse> {
  let response: BrowserResponse;
  if (fromProvider.location !== undefined) {
    response = await browser.get(fromProvider.location, { crossSite: true, timeoutMs });
  } else {
    const form = readForms(fromProvider.body, fromProvider.url)[0];
    if (form === undefined) return fromProvider;
    response = await submitForm(browser, form, { crossSite: true, timeoutMs });
  }
  const site = originOf(response.url);
  for (let hop = 0; hop < 5; hop += 1) {
    if (response.location !== undefined && originOf(response.location) === site) {
      response = await browser.get(response.location, { timeoutMs });
      continue;
    }
    // Only a page that submits itself (a resubmission of the answer), never a form waiting for the user (a sign-out button).
    const form = response.status === 200 && /\.submit\(\)/.test(response.body) ? readForms(response.body, response.url)[0] : undefined;
    if (form === undefined || originOf(form.action) !== site) break;
    response = await submitForm(browser, form, { timeoutMs });
  }
  return response;
}
