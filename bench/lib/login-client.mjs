// Case 5's client, in its own process pinned to the load core: full logins
// through the relying party and the provider as a browser makes them
// (cookies, redirects, the provider's sign-in form), no browser. With
// several instances, each login starts at one relying party and returns to
// another, and signs in at the provider instances in turn. After every login
// the provider's response is replayed (to the other relying party, in the
// same browser and in a fresh one): each replay must be refused.
// Prints one JSON line.
const spec = JSON.parse(process.argv[2]);
const rpOrigin = new URL(spec.rps[0]).origin;
const opOrigin = new URL(spec.opOrigin).origin;

class Browser {
  cookies = { rp: new Map(), op: new Map() };

  async request(url, { instance, role, method = 'GET', form } = {}) {
    // A load balancer: the site's URL, served by the chosen instance.
    const target = new URL(url);
    const actual = new URL(target.pathname + target.search, instance);
    const jar = this.cookies[role];
    const headers = { cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(actual, { method, headers, body: form === undefined ? undefined : new URLSearchParams(form).toString(), redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const text = await response.text();
    return { status: response.status, location: response.headers.get('location'), text };
  }
}

function roleOf(url) {
  const origin = new URL(url).origin;
  if (origin === rpOrigin) return 'rp';
  if (origin === opOrigin) return 'op';
  throw new Error(`unexpected host in ${url}`);
}

const unescape = (text) => text.replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&');

function hidden(html, name) {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(html);
  return match === null ? undefined : unescape(match[1]);
}

/** The first form of a page: method, action and fields, as a browser would submit it. */
function formOf(html) {
  const form = /<form method="(get|post)" action="([^"]*)"/i.exec(html);
  if (form === null) return undefined;
  const fields = [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, name, value]) => [unescape(name), unescape(value)]);
  return { method: form[1].toUpperCase(), action: unescape(form[2]), fields };
}

/** Submits the auto-submitting forms a page holds (at most twice), as a browser runs their script. */
async function settle(browser, response, instance, base) {
  let current = response;
  for (let i = 0; i < 2 && current.status === 200; i += 1) {
    const form = formOf(current.text);
    if (form === undefined) break;
    const target = new URL(form.action, base);
    if (form.method === 'GET') {
      target.search = new URLSearchParams(form.fields).toString();
      current = await browser.request(target.href, { instance, role: 'rp' });
    } else current = await browser.request(target.href, { instance, role: 'rp', method: 'POST', form: Object.fromEntries(form.fields) });
  }
  return current;
}

async function login(index) {
  const n = spec.rps.length;
  const m = spec.ops.length;
  const rpStart = spec.rps[index % n];
  const rpReturn = spec.rps[(index + (spec.alternate ? 1 : 0)) % n];
  const op = spec.ops[index % m];
  const browser = new Browser();
  // The relying party's "Sign in with X" link: its opIdentifier is spec.identity (a typed identifier would need the form's login token).
  let step = await browser.request(`${rpOrigin}/openid/login`, { instance: rpStart, role: 'rp' });
  if (step.status !== 303 && step.status !== 302) return { failure: `login answered ${step.status}` };
  step = await browser.request(step.location, { instance: op, role: 'op' });
  if (step.status !== 303 && step.status !== 302) return { failure: `provider answered ${step.status}` };
  const page = await browser.request(new URL(step.location, opOrigin).href, { instance: op, role: 'op' });
  const interaction = hidden(page.text, 'interaction');
  const csrf = hidden(page.text, 'csrf');
  if (interaction === undefined || csrf === undefined) return { failure: `no sign-in form (${page.status})` };
  step = await browser.request(`${opOrigin}/login`, { instance: spec.ops[(index + 1) % m], role: 'op', method: 'POST', form: { interaction, csrf, user: 'alice' } });
  let assertion;
  let back;
  if (step.status === 302 || step.status === 303) {
    assertion = step.location;
    back = await settle(browser, await browser.request(assertion, { instance: rpReturn, role: roleOf(assertion) }), rpReturn, assertion);
  } else if (step.status === 200 && step.text.includes('<form')) {
    // A long response: the auto-submitting form a browser would post.
    const action = /action="([^"]*)"/.exec(step.text)?.[1]?.replaceAll('&amp;', '&');
    const fields = Object.fromEntries([...step.text.matchAll(/name="([^"]*)" value="([^"]*)"/g)].map(([, name, value]) => [name.replaceAll('&amp;', '&'), value.replaceAll('&amp;', '&').replaceAll('&quot;', '"')]));
    assertion = { action, fields };
    back = await settle(browser, await browser.request(action, { instance: rpReturn, role: 'rp', method: 'POST', form: fields }), rpReturn, action);
  } else return { failure: `sign-in answered ${step.status}` };
  if (back.location !== '/profile') return { failure: `return answered ${back.status} ${back.location}` };
  const profile = await browser.request(`${rpOrigin}/profile`, { instance: rpReturn, role: 'rp' });
  const body = JSON.parse(profile.text);
  if (body.claimedId !== spec.identity || body.email !== 'alice@example.com') return { failure: `profile ${profile.text}` };
  // Replays of the same response: the other instance with this browser's cookies, and a fresh browser.
  const replays = [];
  for (const replayer of [browser, new Browser()]) {
    const instance = spec.rps[(index + 1 + replays.length) % n];
    const first =
      typeof assertion === 'string'
        ? await replayer.request(assertion, { instance, role: 'rp' })
        : await replayer.request(assertion.action, { instance, role: 'rp', method: 'POST', form: assertion.fields });
    const answer = await settle(replayer, first, instance, typeof assertion === 'string' ? assertion : assertion.action);
    replays.push(answer.location?.startsWith('/failed') ? 'refused' : `accepted ${answer.status} ${answer.location}`);
  }
  return { replays };
}

const results = { ok: 0, failed: 0, failures: {}, replaysRefused: 0, replaysAccepted: 0, latencies: [] };
const started = performance.now();
let next = 0;
async function worker() {
  while (next < spec.logins && performance.now() - started < spec.seconds * 1000) {
    const index = spec.offset + next;
    next += 1;
    const begin = performance.now();
    let outcome;
    try {
      outcome = await login(index);
    } catch (error) {
      outcome = { failure: `error: ${error.message}` };
    }
    if (outcome.failure !== undefined) {
      results.failed += 1;
      results.failures[outcome.failure] = (results.failures[outcome.failure] ?? 0) + 1;
      continue;
    }
    results.latencies.push(performance.now() - begin);
    results.ok += 1;
    for (const replay of outcome.replays) {
      if (replay === 'refused') results.replaysRefused += 1;
      else {
        results.replaysAccepted += 1;
        results.failures[`replay ${replay}`] = (results.failures[`replay ${replay}`] ?? 0) + 1;
      }
    }
  }
}
await Promise.all(Array.from({ length: spec.concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
const sorted = results.latencies.sort((a, b) => a - b);
const pick = (q) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
console.log(JSON.stringify({ ok: results.ok, failed: results.failed, failures: results.failures, replaysRefused: results.replaysRefused, replaysAccepted: results.replaysAccepted, seconds, latency: { p50: pick(0.5), p99: pick(0.99) } }));
