/** The relying-party middleware against our provider, over real HTTP with a cookie-keeping client. */
import { CookieClient, deliverIndirect } from 'openid-test-helpers';
import { MemoryStore, discoverRelyingPartyReturnTos, type SuccessResult } from 'openid2-core';
import { fetcher, postLogin, signIn, startOP, startRP, withRP, type Running } from './apps.js';
import type { ConsumerFailure } from '../src/index.js';

let op: Running & { endpoint: string };
const opState: Parameters<typeof startOP>[0] = {};
beforeAll(async () => {
  op = await startOP(opState);
});
afterAll(() => op.close());
afterEach(() => {
  delete opState.decision;
});

describe('openidConsumer', () => {
  test.each([['smart', true], ['stateless', false]])('%s login puts the verified identity in req.session.openid', async (_name, withStore) => {
    await withRP(withStore ? { store: new MemoryStore() } : {}, async (rp) => {
      const { final, me } = await signIn(rp, `${op.base}/user/alice`);
      expect(final).toBe(`${rp.base}/me`);
      expect(me).toEqual({ claimedId: `${op.base}/user/alice`, displayIdentifier: `${op.base}/user/alice`, identity: `${op.base}/user/alice`, opEndpoint: op.endpoint, version: '2.0', profile: {}, profileSources: {} });
    });
  });

  test('a second login with the same identifier makes no discovery and no association request (cached by the router, association in the store)', async () => {
    const requests: string[] = [];
    const counted = await startOP({ requests });
    const rp = await startRP({ store: new MemoryStore() });
    try {
      const identifier = `${counted.base}/user/alice`;
      const direct = (list: string[]) => list.filter((line) => line === 'POST /openid').length;
      const discovery = (list: string[]) => list.filter((line) => line === 'GET /user/alice').length;
      expect((await signIn(rp, identifier)).me).toMatchObject({ claimedId: identifier });
      // The first login: one discovery (begin; complete's re-verification uses the cached result) and one associate.
      expect([discovery(requests), direct(requests)]).toEqual([1, 1]);
      requests.length = 0;
      // Another browser, same identifier.
      expect((await signIn(rp, identifier)).me).toMatchObject({ claimedId: identifier });
      expect([discovery(requests), direct(requests)]).toEqual([0, 0]);
      expect(requests.filter((line) => line.startsWith('GET /openid'))).toHaveLength(1);
    } finally {
      await rp.close();
      await counted.close();
    }
  });

  test('17.4: an OP that spells the claimed identifier otherwise: req.session.openid.claimedId is the normalized one', async () => {
    const spelled = `${op.base.replace('http://', 'HTTP://')}/user/./%61lice`;
    opState.decision = () => ({ type: 'allow', identity: spelled, claimedId: spelled });
    await withRP({ opIdentifier: `${op.base}/` }, async (rp) => {
      const { me } = await signIn(rp, undefined);
      expect(me).toMatchObject({ claimedId: `${op.base}/user/alice`, displayIdentifier: `${op.base}/user/alice` });
    });
  });

  test('a provider button: the configured OP identifier, identifier select', async () => {
    await withRP({ opIdentifier: `${op.base}/` }, async (rp) => {
      const { me } = await signIn(rp, undefined);
      expect(me).toMatchObject({ claimedId: `${op.base}/user/alice` });
    });
  });

  test('GET /login without an identifier (a "Sign in with X" link) uses the OP identifier', async () => {
    await withRP({ opIdentifier: `${op.base}/` }, async (rp) => {
      const client = new CookieClient();
      const start = await client.get(`${rp.base}/openid/login`);
      expect(start.status).toBe(303);
      expect(start.headers.get('cache-control')).toBe('no-store');
      const { response } = await deliverIndirect(client, await client.get(start.location as string, true), start.location as string);
      expect(response.location).toBe(`${rp.base}/me`);
    });
  });

  test('the session id changes at login (no session fixation)', async () => {
    await withRP({}, async (rp) => {
      const client = new CookieClient();
      await postLogin(rp, client, `${op.base}/user/alice`);
      const before = client.cookie(rp.base, 'rp.sid');
      expect(before).toBeDefined();
      await signIn(rp, `${op.base}/user/alice`, client);
      const after = client.cookie(rp.base, 'rp.sid');
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    });
  });

  test('cancel and failures redirect with the reason code', async () => {
    opState.decision = () => ({ type: 'deny' });
    await withRP({}, async (rp) => {
      expect((await signIn(rp, `${op.base}/user/alice`)).final).toBe(`${rp.base}/failed?openid_error=cancel`);
      const client = new CookieClient();
      expect((await postLogin(rp, client, undefined)).location).toBe(`${rp.base}/failed?openid_error=missing_identifier`);
      expect((await postLogin(rp, client, 'http://127.0.0.1:1/nobody')).location).toBe(`${rp.base}/failed?openid_error=unreachable`);
      const forged = await client.get(`${rp.base}/openid/return?openid.ns=http%3A%2F%2Fspecs.openid.net%2Fauth%2F2.0&openid.mode=id_res`);
      expect(forged.location).toBe(`${rp.base}/failed?openid_error=unsolicited_assertion`);
    });
  });

  test('onSuccess and onFailure answer instead of the redirects', async () => {
    const seen: Array<SuccessResult | ConsumerFailure> = [];
    const rp = await startRP({
      onSuccess: (req, res, result) => {
        seen.push(result);
        res.json({ hook: 'success', session: req.session.openid });
      },
      onFailure: (_req, res, result) => {
        seen.push(result);
        res.status(401).json({ hook: 'failure', reason: result.status === 'failure' ? result.reason : result.status });
      },
    });
    try {
      const client = new CookieClient();
      const start = await postLogin(rp, client, `${op.base}/user/alice`);
      const { response } = await deliverIndirect(client, await client.get(start.location as string, true), start.location as string);
      expect(JSON.parse(response.body)).toMatchObject({ hook: 'success', session: { claimedId: `${op.base}/user/alice` } });
      const missing = await postLogin(rp, client, undefined);
      expect(missing.status).toBe(401);
      expect(JSON.parse(missing.body)).toEqual({ hook: 'failure', reason: 'missing_identifier' });
      expect(seen.map((result) => result.status)).toEqual(['success', 'failure']);
    } finally {
      await rp.close();
    }
  });

  test('profile: asked through SREG and AX, released at the OP, signed, normalized in the session; injected values never', async () => {
    opState.decision = (idSelect, base) => ({
      type: 'allow',
      ...(idSelect ? { identity: `${base}/user/alice` } : {}),
      profile: { email: 'zoë@example.com', nickname: 'zoë', firstName: 'Zoë', lastName: 'Smith' },
      pape: { policies: ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'], authTime: new Date('2026-11-25T04:00:00Z') },
    });
    await withRP({ profile: { required: ['email'], optional: ['nickname', 'firstName'] }, pape: { policies: ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'] } }, async (rp) => {
      const client = new CookieClient();
      const start = await postLogin(rp, client, `${op.base}/user/alice`);
      const atOp = await client.get(start.location as string, true);
      const back = new URL(atOp.location as string);
      back.searchParams.set('openid.sreg.fullname', 'Injected Name');
      const done = await client.get(back.href, true);
      expect(done.location).toBe(`${rp.base}/me`);
      const me = JSON.parse((await client.get(`${rp.base}/me`)).body) as Record<string, unknown>;
      expect(me.profile).toEqual({ email: 'zoë@example.com', nickname: 'zoë', firstName: 'Zoë' });
      expect(me.pape).toEqual({ policies: ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'], authTime: '2026-11-25T04:00:00Z', levels: {} });
    });
  });

  test('the realm publishes the return URL for relying party discovery (§13), and /xrds serves it', async () => {
    await withRP({}, async (rp) => {
      expect(await discoverRelyingPartyReturnTos(`${rp.base}/`, fetcher)).toEqual([`${rp.base}/openid/return`]);
      const xrds = await new CookieClient().get(`${rp.base}/openid/xrds`);
      expect(xrds.headers.get('content-type')).toMatch(/application\/xrds\+xml/);
      expect(xrds.body).toContain(`<URI>${rp.base}/openid/return</URI>`);
    });
  });
});
