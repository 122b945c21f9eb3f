/** The relying-party middleware against our provider, over real HTTP with cookies. */
import { CookieClient, readForm } from 'openid-test-helpers';
import { MemoryStore, discoverRelyingPartyReturnTos } from 'openid-core';
import express from 'express';
import request from 'supertest';
import { openidConsumer } from '../src/index.js';
import { fetcher, longProfile, startOP, startRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
const opState: Parameters<typeof startOP>[0] = {};
beforeAll(async () => {
  op = await startOP(opState);
});
afterAll(() => op.close());
afterEach(() => {
  delete opState.decision;
});

/** A browser: RP /login → OP → RP /return → /me. */
async function signIn(rp: Running, identifier: string | undefined, client = new CookieClient()): Promise<{ client: CookieClient; final: string; me: unknown }> {
  const start = await client.post(`${rp.base}/openid/login`, identifier === undefined ? {} : { openid_identifier: identifier });
  expect(start.status).toBe(303);
  const atOp = await client.get(start.location as string, true);
  let back;
  if (atOp.status === 302) back = await client.get(atOp.location as string, true);
  else {
    // A long answer comes as an auto-submitting form: a cross-site POST.
    const form = readForm(atOp.body);
    back = await client.post(form.action, form.fields, true);
    if (back.status === 200) {
      const again = readForm(back.body);
      back = await client.post(new URL(again.action, form.action).href, again.fields);
    }
  }
  const me = back.location?.endsWith('/me') === true ? JSON.parse((await client.get(back.location)).body || 'null') : undefined;
  return { client, final: back.location ?? `status ${back.status}`, me };
}

describe('openidConsumer', () => {
  test.each([['smart', true], ['stateless', false]])('%s login puts the verified identity in req.session.openid', async (_name, withStore) => {
    const rp = await startRP(withStore ? { store: new MemoryStore() } : {});
    try {
      const { final, me } = await signIn(rp, `${op.base}/user/alice`);
      expect(final).toBe(`${rp.base}/me`);
      expect(me).toMatchObject({ claimedId: `${op.base}/user/alice`, opEndpoint: op.endpoint, version: '2.0' });
    } finally {
      await rp.close();
    }
  });

  test('a provider button: the configured OP identifier, identifier select', async () => {
    const rp = await startRP({ opIdentifier: `${op.base}/` });
    try {
      const { me } = await signIn(rp, undefined);
      expect(me).toMatchObject({ claimedId: `${op.base}/user/alice` });
    } finally {
      await rp.close();
    }
  });

  test('the session id changes at login (no session fixation)', async () => {
    const rp = await startRP();
    try {
      const client = new CookieClient();
      await client.post(`${rp.base}/openid/login`, { openid_identifier: `${op.base}/user/alice` });
      const before = client.cookie(rp.base, 'rp.sid');
      expect(before).toBeDefined();
      await signIn(rp, `${op.base}/user/alice`, client);
      const after = client.cookie(rp.base, 'rp.sid');
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    } finally {
      await rp.close();
    }
  });

  test('a long assertion POSTed cross-site (SameSite=Lax cookie withheld) still completes, bound to the same browser', async () => {
    opState.decision = (_idSelect, base) => longProfile(base);
    const rp = await startRP();
    try {
      const { me } = await signIn(rp, `${op.base}/user/alice`);
      expect(me).toMatchObject({ claimedId: `${op.base}/user/alice` });
    } finally {
      await rp.close();
    }
  });

  test('the cross-site POST cannot be finished in another browser (login CSRF)', async () => {
    opState.decision = (_idSelect, base) => longProfile(base);
    const rp = await startRP();
    try {
      const victim = new CookieClient();
      const attacker = new CookieClient();
      const start = await attacker.post(`${rp.base}/openid/login`, { openid_identifier: `${op.base}/user/alice` });
      const form = readForm((await attacker.get(start.location as string, true)).body);
      const first = await victim.post(form.action, form.fields, true);
      const again = readForm(first.body);
      const second = await victim.post(new URL(again.action, form.action).href, again.fields);
      expect(second.location).toBe(`${rp.base}/failed?openid_error=unsolicited_assertion`);
    } finally {
      await rp.close();
    }
  });

  test('cancel and failures redirect with the reason code', async () => {
    opState.decision = () => ({ type: 'deny' });
    const rp = await startRP();
    try {
      expect((await signIn(rp, `${op.base}/user/alice`)).final).toBe(`${rp.base}/failed?openid_error=cancel`);
      const client = new CookieClient();
      const missing = await client.post(`${rp.base}/openid/login`, {});
      expect(missing.location).toBe(`${rp.base}/failed?openid_error=missing_identifier`);
      const nowhere = await client.post(`${rp.base}/openid/login`, { openid_identifier: 'http://127.0.0.1:1/nobody' });
      expect(nowhere.location).toBe(`${rp.base}/failed?openid_error=discovery_failed`);
      const forged = await client.get(`${rp.base}/openid/return?openid.ns=http%3A%2F%2Fspecs.openid.net%2Fauth%2F2.0&openid.mode=id_res`);
      expect(forged.location).toBe(`${rp.base}/failed?openid_error=unsolicited_assertion`);
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
    const rp = await startRP({ profile: { required: ['email'], optional: ['nickname', 'firstName'] }, pape: { policies: ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'] } });
    try {
      const client = new CookieClient();
      const start = await client.post(`${rp.base}/openid/login`, { openid_identifier: `${op.base}/user/alice` });
      const atOp = await client.get(start.location as string, true);
      const back = new URL(atOp.location as string);
      back.searchParams.set('openid.sreg.fullname', 'Injected Name');
      const done = await client.get(back.href, true);
      expect(done.location).toBe(`${rp.base}/me`);
      const me = JSON.parse((await client.get(`${rp.base}/me`)).body) as Record<string, unknown>;
      expect(me.profile).toEqual({ email: 'zoë@example.com', nickname: 'zoë', firstName: 'Zoë' });
      expect(me.pape).toEqual({ policies: ['http://schemas.openid.net/pape/policies/2007/06/multi-factor'], authTime: '2026-11-25T04:00:00Z', levels: {} });
    } finally {
      await rp.close();
    }
  });

  test('the realm publishes the return URL for relying party discovery (§13)', async () => {
    const rp = await startRP();
    try {
      expect(await discoverRelyingPartyReturnTos(`${rp.base}/`, fetcher)).toEqual([`${rp.base}/openid/return`]);
    } finally {
      await rp.close();
    }
  });
});

describe('options are validated when the router is made', () => {
  test.each([
    ['a realm that does not cover the return URL', { baseUrl: 'https://rp.example/openid', realm: 'https://other.example/' }, /does not cover/],
    ['an insane realm', { baseUrl: 'https://rp.example.com/openid', realm: 'https://*.com/' }, /covers too much/],
    ['a baseUrl that is not http(s)', { baseUrl: 'ftp://rp.example/' }, /baseUrl/],
    ['an off-site success redirect', { successRedirect: 'https://evil.example/' }, /successRedirect/],
    ['a protocol-relative failure redirect', { failureRedirect: '//evil.example/' }, /failureRedirect/],
    ['an unknown profile field', { profile: { required: ['password'] } }, /profile: "password" is not a profile field/],
  ])('%s', (_name, options, message) => {
    expect(() => openidConsumer(options)).toThrow(message);
  });

  test('a missing session middleware is reported clearly', async () => {
    const app = express();
    app.use('/openid', openidConsumer({ fetcher }));
    app.use((error: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).send(error.message);
    });
    const response = await request(app).post('/openid/login').type('form').send({ openid_identifier: `${op.base}/user/alice` });
    expect(response.text).toMatch(/did you forget express-session/);
  });
});
