/**
 * A browser stand-in for driving a relying party without a browser: keeps
 * cookies per host (SameSite applied to cross-site requests, as browsers
 * do), follows nothing by itself, and reads forms (hidden inputs included,
 * so a CSRF token in a login form goes along).
 */
import { Parser } from 'htmlparser2';

/** A response as {@link Browser} gives it: the body read, the redirect target made absolute. */
export interface BrowserResponse {
  /** The URL requested. */
  url: string;
  /** The HTTP status. */
  status: number;
  /** The absolute redirect target, if any. */
  location: string | undefined;
  /** The body, as text. */
  body: string;
  /** The response headers. */
  headers: Headers;
}

/** A form of an HTML page, as {@link readForms} finds it and {@link submitForm} sends it. */
export interface PageForm {
  /** The form's method (GET when it names none). */
  method: 'GET' | 'POST';
  /** Absolute. */
  action: string;
  /** Every named input with its value (hidden ones included), in order. */
  fields: Array<[string, string]>;
}

interface StoredCookie {
  value: string;
  sameSite: 'strict' | 'lax' | 'none';
}

export interface RequestInit {
  method?: 'GET' | 'POST';
  form?: Array<[string, string]>;
  /** Started by another site's page (a redirect or a form from elsewhere): SameSite rules apply. */
  crossSite?: boolean;
  headers?: Record<string, string>;
  /** Total time for the request, body included. @default 20000 */
  timeoutMs?: number;
}

/** A cookie-keeping HTTP client that does not follow redirects. */
export class Browser {
  readonly #jar = new Map<string, Map<string, StoredCookie>>();

  #cookiesFor(url: URL, crossSiteMethod: string | undefined): string {
    const cookies = this.#jar.get(url.host);
    if (cookies === undefined) return '';
    return [...cookies.entries()]
      // Lax cookies go along with cross-site top-level GET navigations only; Strict ones never cross sites.
      .filter(([, cookie]) => crossSiteMethod === undefined || cookie.sameSite === 'none' || (cookie.sameSite === 'lax' && crossSiteMethod === 'GET'))
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  #remember(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const lower = attributes.map((attribute) => attribute.trim().toLowerCase());
      const sameSite = (lower.find((attribute) => attribute.startsWith('samesite='))?.split('=')[1] ?? 'lax') as StoredCookie['sameSite'];
      const cookies = this.#jar.get(url.host) ?? new Map<string, StoredCookie>();
      this.#jar.set(url.host, cookies);
      if (lower.some((attribute) => attribute === 'max-age=0' || attribute.startsWith('expires=thu, 01 jan 1970'))) cookies.delete(name);
      else cookies.set(name, { value: pair.slice(eq + 1).trim(), sameSite: ['strict', 'lax', 'none'].includes(sameSite) ? sameSite : 'lax' });
    }
  }

  /**
   * Sends one request with this browser's cookies for the host (SameSite
   * applied when `crossSite`), remembers the cookies it sets, and returns
   * the response without following a redirect. A `form` makes it a POST.
   */
  async request(url: string, init: RequestInit = {}): Promise<BrowserResponse> {
    const target = new URL(url);
    const method = init.method ?? (init.form === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.#cookiesFor(target, init.crossSite === true ? method : undefined);
    if (cookie !== '') headers.cookie = cookie;
    let body: string | undefined;
    if (init.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const signal = AbortSignal.timeout(init.timeoutMs ?? 20_000);
    const response = await fetch(target, { method, headers, body, redirect: 'manual', signal });
    this.#remember(target, response);
    const location = response.headers.get('location');
    return { url: target.href, status: response.status, location: location === null ? undefined : new URL(location, target).href, body: await response.text(), headers: response.headers };
  }

  /** A GET request (see {@link Browser.request}). */
  get(url: string, init: Omit<RequestInit, 'method' | 'form'> = {}): Promise<BrowserResponse> {
    return this.request(url, init);
  }

  /** A POST of a URL-encoded form (see {@link Browser.request}). */
  post(url: string, form: Array<[string, string]>, init: Omit<RequestInit, 'method' | 'form'> = {}): Promise<BrowserResponse> {
    return this.request(url, { ...init, method: 'POST', form });
  }
}

/** The forms of an HTML page, with absolute actions and every named input's value. */
export function readForms(html: string, pageUrl: string): PageForm[] {
  const forms: PageForm[] = [];
  let current: PageForm | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'form') {
          const action = attributes.action === undefined || attributes.action === '' ? pageUrl : new URL(attributes.action, pageUrl).href;
          current = { method: (attributes.method ?? 'get').toLowerCase() === 'post' ? 'POST' : 'GET', action, fields: [] };
          forms.push(current);
        } else if (name === 'input' && current !== undefined && attributes.name !== undefined) {
          const type = (attributes.type ?? 'text').toLowerCase();
          if (type !== 'submit' && type !== 'button' && type !== 'image' && type !== 'reset') current.fields.push([attributes.name, attributes.value ?? '']);
        }
      },
      onclosetag(name) {
        if (name === 'form') current = undefined;
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return forms;
}

/** Submits a form as a browser would (a GET form replaces the action's query with its fields). */
export function submitForm(browser: Browser, form: PageForm, init: Omit<RequestInit, 'method' | 'form'> = {}): Promise<BrowserResponse> {
  if (form.method === 'POST') return browser.post(form.action, form.fields, init);
  const target = new URL(form.action);
  target.search = new URLSearchParams(form.fields).toString();
  return browser.get(target.href, init);
}
