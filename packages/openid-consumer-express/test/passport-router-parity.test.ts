/**
 * The Passport strategy is a thin adapter over the router's code path: the
 * same request for the same endpoint, the same profile from the same
 * assertion, a form POST past 2,047 characters, one discovery per
 * identifier, and nonces recorded even when stateless.
 */
import { AX_1_0_NS, MemoryStore, OPENID_1_1_TYPE, PAPE_1_0_NS, PAPE_POLICY_MULTI_FACTOR, SREG_1_0_NS, SREG_1_1_NS, type OpenIDEvent } from 'openid2-core';
import { CookieClient, deliverIndirect, readPageForm } from 'openid-test-helpers';
import { longProfile, postLogin, signIn, startOP, withRP } from './apps.js';
import { finishLogin, startLogin, startPassportRP, type PassportRP } from './passport-app.js';
import { startStandInOP, type StandInOP } from './stand-in-op.js';

const FIELDS = ['email', 'nickname', 'fullname', 'firstName', 'lastName'];

let op: StandInOP;
beforeAll(async () => {
  op = await startStandInOP();
});
afterAll(() => op.close());
afterEach(() => {
  op.answers = [];
});

async function withPassport<T>(options: Parameters<typeof startPassportRP>[0], use: (rp: PassportRP) => Promise<T>): Promise<T> {
  const rp = await startPassportRP(options);
  try {
    return await use(rp);
  } finally {
    await rp.close();
  }
}

/** The request's arguments other than where the answer goes (return_to, realm), which differ between the two apps. */
function requestArgs(location: string): Record<string, string> {
  const args = Object.fromEntries(new URL(location).searchParams);
  for (const key of ['openid.return_to', 'openid.realm', 'openid.trust_root']) delete args[key];
  return args;
}

test('the same assertion gives the same profile through the router and the strategy (SREG 1.1 else 1.0, AX wins)', async () => {
  op.answers = [
    { namespace: SREG_1_0_NS, args: { email: 'ten@example.com', nickname: 'ten', fullname: 'Ten Only' } },
    { namespace: SREG_1_1_NS, args: { email: 'eleven@example.com', nickname: 'eleven' } },
    { namespace: AX_1_0_NS, args: { mode: 'fetch_response', 'type.email': 'http://axschema.org/contact/email', 'value.email': 'ax@example.com' } },
  ];
  const identifier = `${op.base}/id/parity`;
  const viaRouter = await withRP({ profile: { optional: FIELDS } }, (rp) => signIn(rp, identifier));
  const viaStrategy = await withPassport({ profile: true }, async (rp) => {
    const client = new CookieClient();
    const back = await finishLogin(client, await startLogin(rp, client, identifier));
    expect(back.status).toBe(200);
    return rp.verified[0];
  });
  const expected = { profile: { email: 'ax@example.com', nickname: 'eleven' }, profileSources: { email: 'ax', nickname: 'sreg' } };
  expect(viaRouter.me).toMatchObject(expected);
  expect({ profile: viaStrategy?.profile, profileSources: viaStrategy?.profileSources }).toEqual(expected);
});

test('PAPE: the same request and the same signed answer through the router and the strategy', async () => {
  op.answers = [{ namespace: PAPE_1_0_NS, args: { auth_policies: PAPE_POLICY_MULTI_FACTOR, auth_time: '2026-01-02T03:04:05Z' } }];
  const identifier = `${op.base}/id/pape`;
  const pape = { policies: [PAPE_POLICY_MULTI_FACTOR], maxAuthAge: 300 };
  const viaRouter = await withRP({ pape }, (rp) => signIn(rp, identifier));
  const routerRequest = op.checkIds.at(-1)?.args;
  const viaStrategy = await withPassport({ pape }, async (rp) => {
    const client = new CookieClient();
    expect(await finishLogin(client, await startLogin(rp, client, identifier))).toMatchObject({ status: 200 });
    return rp.verified[0];
  });
  const strategyRequest = op.checkIds.at(-1)?.args;
  expect(strategyRequest?.get('openid.pape.preferred_auth_policies')).toBe(PAPE_POLICY_MULTI_FACTOR);
  expect(strategyRequest?.get('openid.pape.max_auth_age')).toBe('300');
  expect(routerRequest?.get('openid.pape.max_auth_age')).toBe('300');
  const expected = { policies: [PAPE_POLICY_MULTI_FACTOR], authTime: '2026-01-02T03:04:05Z', levels: {} };
  expect((viaRouter.me as { pape: unknown }).pape).toEqual(expected);
  expect(viaStrategy?.pape).toEqual(expected);
});

describe('the strategy asks for what the endpoint advertises, exactly as the router does', () => {
  test.each([
    ['SREG 1.1 only: SREG 1.1, no AX', 'sreg11', { extensions: [SREG_1_1_NS] }, [SREG_1_1_NS]],
    ['SREG 1.0 only: SREG 1.0, no AX', 'sreg10', { extensions: [SREG_1_0_NS] }, [SREG_1_0_NS]],
    ['AX only: AX, no SREG', 'ax', { extensions: [AX_1_0_NS] }, [AX_1_0_NS]],
    ['neither advertised: both', 'none', { extensions: [] }, [SREG_1_1_NS, AX_1_0_NS]],
  ])('OpenID 2.0, %s', async (_name, user, types, namespaces) => {
    op.types.set(user, types);
    const identifier = `${op.base}/id/${user}`;
    const routerRequest = await withRP({ profile: { optional: FIELDS } }, async (rp) => (await postLogin(rp, new CookieClient(), identifier)).location as string);
    const strategyRequest = await withPassport({ profile: true }, async (rp) => (await startLogin(rp, new CookieClient(), identifier)).location as string);
    const declared = Object.entries(requestArgs(strategyRequest)).filter(([key]) => key.startsWith('openid.ns.')).map(([, value]) => value);
    expect(declared.sort()).toEqual([...namespaces].sort());
    expect(requestArgs(strategyRequest)).toEqual(requestArgs(routerRequest));
  });

  test('OpenID 1.1: SREG only (AX needs 2.0), undeclared, as the router', async () => {
    op.types.set('v1', { signon: OPENID_1_1_TYPE, extensions: [AX_1_0_NS, SREG_1_1_NS] });
    const identifier = `${op.base}/id/v1`;
    const routerRequest = await withRP({ profile: { optional: FIELDS } }, async (rp) => (await postLogin(rp, new CookieClient(), identifier)).location as string);
    const strategyRequest = await withPassport({ profile: true }, async (rp) => (await startLogin(rp, new CookieClient(), identifier)).location as string);
    const args = requestArgs(strategyRequest);
    expect(args['openid.sreg.optional']).toBe('email,nickname,fullname');
    expect(Object.keys(args).filter((key) => key.startsWith('openid.ns') || key.startsWith('openid.ax.'))).toEqual([]);
    expect(args).toEqual(requestArgs(routerRequest));
  });
});

test('a request too long for a URL goes as an auto-submitting form POST, never cached, and the login completes', async () => {
  const identifier = `${op.base}/id/${'long'.repeat(300)}`;
  await withPassport({ profile: true }, async (rp) => {
    const client = new CookieClient();
    const start = await startLogin(rp, client, identifier);
    expect(start.status).toBe(200);
    expect(start.location).toBeUndefined();
    expect(start.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(start.headers.get('cache-control')).toBe('no-store');
    expect(start.body).toMatch(new RegExp(`<form[^>]*action="${op.endpoint}"[^>]*method="post"|<form[^>]*method="post"[^>]*action="${op.endpoint}"`, 'i'));
    const before = op.checkIds.length;
    const back = await finishLogin(client, start);
    expect(op.checkIds.slice(before).map(({ method, args }) => [method, args.get('openid.claimed_id')])).toEqual([['POST', identifier]]);
    expect(back).toMatchObject({ status: 200, body: { user: { id: identifier } } });
    expect(rp.errors).toEqual([]);
  });
});

test('a discovery failure: the router\'s reason and words', async () => {
  const identifier = `${op.base}/nobody`;
  const routerFailure = await withRP({}, async (rp) => new URL((await postLogin(rp, new CookieClient(), identifier)).location as string).searchParams.get('openid_error'));
  const strategyFailure = await withPassport({}, async (rp) => {
    const start = await startLogin(rp, new CookieClient(), identifier);
    return { status: start.status, body: JSON.parse(start.body) as unknown };
  });
  expect(routerFailure).toBe('no_openid_service');
  expect(strategyFailure).toEqual({ status: 400, body: { reason: routerFailure, message: `No OpenID provider was found at ${identifier}: check the spelling.` } });
});

test('discovery is cached: two logins with one identifier make one discovery request', async () => {
  const identifier = `${op.base}/id/cached`;
  await withPassport({}, async (rp) => {
    for (const client of [new CookieClient(), new CookieClient()]) {
      const start = await startLogin(rp, client, identifier);
      expect([start.status, start.headers.get('cache-control')]).toEqual([302, 'no-store']);
      expect(await finishLogin(client, start)).toMatchObject({ status: 200 });
    }
  });
  expect(op.discoveries.filter((path) => path === '/id/cached')).toEqual(['/id/cached']);
});

test('the discoveryCache option is the cache used', async () => {
  const keys: string[] = [];
  const cache = { get: () => undefined, set: (key: string) => void keys.push(key) };
  await withPassport({ discoveryCache: cache }, async (rp) => {
    await startLogin(rp, new CookieClient(), `${op.base}/id/own-cache`);
  });
  expect(keys).toEqual([`url:${op.base}/id/own-cache`]);
});

describe('stateless: true never associates and still records nonces', () => {
  /** A login whose session (with its transaction) is put back and its assertion sent again: a cookie-held session replayed. */
  async function replay(options: Parameters<typeof startPassportRP>[0]): Promise<{ first: unknown; second: unknown }> {
    return withPassport(options, async (rp) => {
      const client = new CookieClient();
      const start = await startLogin(rp, client, `${op.base}/id/replayed`);
      const cookie = client.cookie(rp.base, 'connect.sid') as string;
      const saved = { ...(rp.sessions as unknown as { sessions: Record<string, string> }).sessions };
      const first = await finishLogin(client, start);
      Object.assign((rp.sessions as unknown as { sessions: Record<string, string> }).sessions, saved);
      const again = await fetch(first.assertionUrl, { headers: { cookie: `connect.sid=${cookie}` }, redirect: 'manual' });
      return { first: { status: first.status, body: first.body }, second: { status: again.status, body: (await again.json()) as unknown } };
    });
  }

  test('a replayed assertion the OP confirms again is refused: nonce_reused', async () => {
    const associateBefore = op.associateRequests;
    const checksBefore = op.checks;
    const { first, second } = await replay({ stateless: true, store: new MemoryStore() });
    expect(first).toMatchObject({ status: 200 });
    expect(second).toEqual({ status: 401, body: { reason: 'nonce_reused', message: expect.any(String) } });
    // The OP was asked both times and said yes both times: only the store caught the replay.
    expect(op.checks - checksBefore).toBe(2);
    expect(op.associateRequests).toBe(associateBefore);
  });

  test('without a store, nothing records nonces: the replay rests on the OP (documented)', async () => {
    const { second } = await replay({ stateless: true });
    expect(second).toMatchObject({ status: 200 });
  });
});

describe('an answer that arrives without the session cookie (a long assertion POSTed cross-site), as through the router', () => {
  let provider: Awaited<ReturnType<typeof startOP>>;
  beforeAll(async () => {
    // Our provider answers past 2,047 characters with an auto-submitting form: a cross-site POST, without SameSite=Lax cookies.
    provider = await startOP({ decision: (_idSelect, base) => longProfile(base) });
  });
  afterAll(() => provider.close());

  test('the strategy sends it again from this site once, and the login completes in the same browser', async () => {
    await withPassport({ profile: true }, async (rp) => {
      const client = new CookieClient();
      const start = await startLogin(rp, client, `${provider.base}/user/alice`);
      const answer = await client.get(start.location as string, true);
      expect(readPageForm(answer.body, start.location as string)?.method).toBe('POST');
      const { response, hops } = await deliverIndirect(client, answer, start.location as string);
      // Cross-site without the cookie: the resubmission page; then the same-site POST with it: the strategy's success.
      expect(hops.map((hop) => [hop.method, hop.crossSite, hop.status])).toEqual([['POST', true, 200], ['POST', false, 200]]);
      expect(JSON.parse(response.body)).toMatchObject({ user: { id: `${provider.base}/user/alice` } });
      expect(rp.verified).toHaveLength(1);
      expect(rp.errors).toEqual([]);
    });
  });

  test('carried to another browser, it finds no transaction there: unsolicited_assertion, never a success', async () => {
    await withPassport({ profile: true }, async (rp) => {
      const victim = new CookieClient();
      const start = await startLogin(rp, new CookieClient(), `${provider.base}/user/alice`);
      const answer = await new CookieClient().get(start.location as string, true);
      const { response } = await deliverIndirect(victim, answer, start.location as string);
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toMatchObject({ reason: 'unsolicited_assertion' });
      expect(rp.verified).toHaveLength(0);
    });
  });
});

describe('onEvent: the same structured events through the router and the strategy', () => {
  const shape = (events: OpenIDEvent[]): unknown[] =>
    events.map(({ event, identifier, opEndpoint, reason }) => ({ event, identifier, opEndpoint, reason }));

  test('a login: started, discovery, succeeded, with the same fields', async () => {
    const identifier = `${op.base}/id/events`;
    const viaRouter: OpenIDEvent[] = [];
    await withRP({ onEvent: (event) => viaRouter.push(event) }, (rp) => signIn(rp, identifier));
    const viaStrategy: OpenIDEvent[] = [];
    await withPassport({ onEvent: (event) => viaStrategy.push(event) }, async (rp) => {
      const client = new CookieClient();
      expect(await finishLogin(client, await startLogin(rp, client, identifier))).toMatchObject({ status: 200 });
    });
    expect(viaStrategy.map((event) => event.event)).toEqual(['login_started', 'discovery_succeeded', 'login_succeeded']);
    expect(shape(viaStrategy)).toEqual(shape(viaRouter));
  });

  test('a failure is an event with its reason and cause, not only a Passport challenge', async () => {
    const events: OpenIDEvent[] = [];
    await withPassport({ onEvent: (event) => events.push(event) }, async (rp) => {
      const client = new CookieClient();
      const start = await startLogin(rp, client, `${op.base}/nobody-here`);
      expect(start.status).toBe(400);
    });
    const failed = events.find((event) => event.event === 'login_failed');
    expect(failed).toMatchObject({ reason: 'no_openid_service', identifier: `${op.base}/nobody-here` });
    expect(failed?.cause).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'DiscoveryError' })]));
  });

  test('a logger that throws changes nothing', async () => {
    await withPassport({ onEvent: () => { throw new Error('logger down'); } }, async (rp) => {
      const client = new CookieClient();
      expect(await finishLogin(client, await startLogin(rp, client, `${op.base}/id/logger`))).toMatchObject({ status: 200 });
      expect(rp.errors).toEqual([]);
    });
  });
});
