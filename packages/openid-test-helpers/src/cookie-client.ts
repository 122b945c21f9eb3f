/**
 * A minimal browser stand-in for flow tests: keeps cookies per host, does
 * not follow redirects by itself (tests look at each hop), and can apply
 * SameSite rules to cross-site requests.
 */

export interface ClientResponse {
  status: number;
  location: string | undefined;
  body: string;
  headers: Headers;
}

interface StoredCookie {
  value: string;
  sameSite: 'strict' | 'lax' | 'none';
}

export class CookieClient {
  readonly #jar = new Map<string, Map<string, StoredCookie>>();

  #cookiesFor(url: URL, crossSiteMethod?: string): string {
    const cookies = this.#jar.get(url.host);
    if (cookies === undefined) return '';
    return [...cookies.entries()]
      .filter(([, cookie]) => {
        if (crossSiteMethod === undefined) return true;
        if (cookie.sameSite === 'none') return true;
        // Lax cookies go along only with top-level GET navigations.
        return cookie.sameSite === 'lax' && crossSiteMethod === 'GET';
      })
      .map(([name, cookie]) => `${name}=${cookie.value}`)
      .join('; ');
  }

  #remember(url: URL, response: Response): void {
    for (const header of response.headers.getSetCookie()) {
      const [pair, ...attributes] = header.split(';');
      const eq = (pair ?? '').indexOf('=');
      if (eq < 0) continue;
      const name = (pair as string).slice(0, eq).trim();
      const value = (pair as string).slice(eq + 1).trim();
      const sameSiteAttr = attributes.map((a) => a.trim().toLowerCase()).find((a) => a.startsWith('samesite='));
      const sameSite = (sameSiteAttr?.split('=')[1] ?? 'lax') as StoredCookie['sameSite'];
      let cookies = this.#jar.get(url.host);
      if (cookies === undefined) {
        cookies = new Map();
        this.#jar.set(url.host, cookies);
      }
      if (attributes.some((a) => /^\s*max-age=0/i.test(a) || /expires=thu, 01 jan 1970/i.test(a))) cookies.delete(name);
      else cookies.set(name, { value, sameSite });
    }
  }

  /**
   * One request. `crossSite` marks a request started by another site's page
   * (a redirect or form from elsewhere): SameSite rules then apply.
   */
  async request(url: string, init: { method?: 'GET' | 'POST'; form?: Record<string, string> | URLSearchParams; crossSite?: boolean } = {}): Promise<ClientResponse> {
    const target = new URL(url);
    const method = init.method ?? (init.form === undefined ? 'GET' : 'POST');
    const headers: Record<string, string> = {};
    const cookie = this.#cookiesFor(target, init.crossSite === true ? method : undefined);
    if (cookie !== '') headers.cookie = cookie;
    let body: string | undefined;
    if (init.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = (init.form instanceof URLSearchParams ? init.form : new URLSearchParams(init.form)).toString();
    }
    const response = await fetch(target, { method, headers, body, redirect: 'manual' });
    this.#remember(target, response);
    const location = response.headers.get('location');
    return {
      status: response.status,
      location: location === null ? undefined : new URL(location, target).href,
      body: await response.text(),
      headers: response.headers,
    };
  }

  /** The value of a cookie kept for a URL's host. */
  cookie(url: string, name: string): string | undefined {
    return this.#jar.get(new URL(url).host)?.get(name)?.value;
  }

  get(url: string, crossSite = false): Promise<ClientResponse> {
    return this.request(url, { crossSite });
  }

  post(url: string, form: Record<string, string> | URLSearchParams, crossSite = false): Promise<ClientResponse> {
    return this.request(url, { method: 'POST', form, crossSite });
  }
}

/** The fields of the first form in an HTML page: action and inputs. */
export function readForm(html: string): { action: string; fields: URLSearchParams } {
  const action = /<form[^>]*action="([^"]*)"/i.exec(html)?.[1] ?? '';
  const fields = new URLSearchParams();
  const unescape = (text: string): string =>
    text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const match of html.matchAll(/<input[^>]*type="hidden"[^>]*name="([^"]*)"[^>]*value="([^"]*)"/gi)) {
    fields.append(unescape(match[1] as string), unescape(match[2] as string));
  }
  return { action: unescape(action), fields };
}
