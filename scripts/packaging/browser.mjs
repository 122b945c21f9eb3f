// A minimal browser for the packaging test: one cookie jar per origin (the
// relying party and the provider both listen on 127.0.0.1, on different
// ports, with express-session's default cookie name), redirects followed by
// hand, and auto-submitting forms (long OpenID messages) submitted.

/** Cookie jars by origin. */
export class Browser {
  jars = new Map();

  jar(origin) {
    if (!this.jars.has(origin)) this.jars.set(origin, new Map());
    return this.jars.get(origin);
  }

  /** One request, without following redirects; keeps the cookies it sets. */
  async request(url, { method = 'GET', form } = {}) {
    const { origin } = new URL(url);
    const jar = this.jar(origin);
    const headers = { accept: 'text/html,application/json' };
    if (jar.size > 0) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    let body;
    if (form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const response = await fetch(url, { method, headers, body, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair.indexOf('=');
      jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
    return { status: response.status, location: response.headers.get('location'), text: await response.text(), url };
  }

  /**
   * Follows redirects and auto-submitting forms from a first request until a
   * page that is neither; returns that page and the URLs visited.
   */
  async navigate(url, options = {}) {
    const visited = [];
    let response = await this.request(url, options);
    for (let hops = 0; hops < 10; hops += 1) {
      visited.push(`${response.status} ${response.url.split('?')[0]}`);
      if (response.status >= 300 && response.status < 400 && response.location !== null) {
        response = await this.request(new URL(response.location, response.url).href);
        continue;
      }
      const form = autoSubmittedForm(response.text, response.url);
      if (form === undefined) return { ...response, visited };
      response = await this.request(form.action, { method: 'POST', form: form.fields });
    }
    throw new Error(`too many redirects: ${visited.join(' → ')}`);
  }
}

const ENTITIES = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&#x27;': "'" };
const decode = (text) => text.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity]);

/** The form of an OpenID auto-submitting page (a form and a script submitting it), if the page is one. */
function autoSubmittedForm(html, base) {
  if (!/name="openid\./.test(html)) return undefined;   // an OpenID message (openid.mode, ...), not a sign-in form
  const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (form === null) return undefined;
  const fields = [];
  for (const input of form[2].matchAll(/<input[^>]*>/gi)) {
    const name = /name="([^"]*)"/.exec(input[0]);
    const value = /value="([^"]*)"/.exec(input[0]);
    if (name !== null) fields.push([decode(name[1]), decode(value?.[1] ?? '')]);
  }
  return { action: new URL(decode(form[1]), base).href, fields };
}
