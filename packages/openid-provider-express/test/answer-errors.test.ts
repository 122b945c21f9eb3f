/**
 * 18.6: faults met while a request is answered are coded errors that get an
 * answer (an error answer to the relying party, a 4xx page), never a 500 and
 * never a configuration error: the app's decision that cannot be answered,
 * a corrupt pending interaction, a wrong CSRF token.
 */
import { jest } from '@jest/globals';
import express, { type Request } from 'express';
import session from 'express-session';
import { CookieClient, readForm } from 'openid-test-helpers';
import { CsrfError, InteractionInvalid, InteractionNotFound, OPENID2_NS, SREG_1_1_NS, type OpenIDEvent } from 'openid2-core';
import { savePending, takePending, type PendingInteraction } from '../src/interaction.js';
import { checkidParams, startProvider, type TestProvider } from './app.js';

const RETURN_TO = 'http://rp.example/return';
const events: OpenIDEvent[] = [];

/** The test provider, whose session middleware is followed by a route that alters a pending interaction as a broken session store would. */
let provider: TestProvider;
beforeAll(async () => {
  provider = await startProvider({
    withSession: false,
    provider: { onEvent: (event) => events.push(event) },
    prepare: (app) => {
      app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false, name: 'op.sid' }));
      app.get('/corrupt', (req, res) => {
        const table = (req.session as unknown as { openidInteractions: Record<string, unknown> }).openidInteractions;
        const id = String(req.query.interaction);
        const entry = table[id] as Record<string, unknown>;
        if (req.query.how === 'not-checkid') entry.args = { 'openid.ns': OPENID2_NS };
        if (req.query.how === 'csrf-not-a-string') entry.csrfToken = 42;
        if (req.query.how === 'null') table[id] = null;
        res.send('altered');
      });
      app.post('/login-as-mallory', express.urlencoded({ extended: false }), (req, res, next) => {
        const body = req.body as Record<string, string>;
        provider.router.resume(req, res, { interactionId: body.interaction, csrfToken: body.csrf, decision: { type: 'allow', identity: `${provider.base}/user/mallory` } }).catch(next);
      });
    },
  });
});
afterAll(() => provider.close());
beforeEach(() => {
  events.splice(0);
});
afterEach(() => {
  provider.decide = () => ({ type: 'allow' });
});

function checkidUrl(): string {
  return `${provider.endpoint}?${checkidParams(provider.base)}`;
}

/**
 * The relying party got an unsigned error answer with the generic text, and
 * the app an event naming the field its decision got wrong.
 */
function expectErrorAnswer(response: { status: number; location?: string | undefined }, field: string): void {
  expect(response.status).toBe(302);
  const answer = new URL(response.location as string);
  expect(answer.origin + answer.pathname).toBe(RETURN_TO);
  expect(answer.searchParams.get('openid.mode')).toBe('error');
  expect(answer.searchParams.get('openid.error')).toBe('The provider could not answer this sign-in request.');
  expect(answer.searchParams.has('openid.sig')).toBe(false);
  expect(events).toContainEqual(expect.objectContaining({ event: 'request_failed', message: expect.stringMatching(new RegExp(`^${field.replace(/[[\].]/g, '\\$&')}:`)) }));
}

/** Starts an interaction in this client's session; returns the consent form's fields. */
async function pending(client: CookieClient): Promise<URLSearchParams> {
  provider.decide = () => ({ type: 'interact' });
  const hop = await client.get(checkidUrl());
  expect(hop.status).toBe(303);
  return readForm((await client.get(hop.location as string)).body).fields;
}

describe('18.6: a decision that cannot be answered is an error answer to the relying party, not a 500', () => {
  test.each([
    ['an extension value with a line break', { extensions: [{ namespace: SREG_1_1_NS, args: { fullname: 'a\nis_valid:true' } }] }, 'extensions[0].args.fullname'],
    ['another user\'s identity', { identity: 'http://127.0.0.1/user/mallory' }, 'identity'],
  ])('18.6: %s', async (_name, allow, field) => {
    provider.decide = () => ({ type: 'allow', ...allow });
    const response = await new CookieClient().get(checkidUrl());
    expectErrorAnswer(response, field);
    expect(response.location).not.toContain('mallory');
  });

  test.each([
    ['undefined (a hook that forgot to return)', undefined, 'decision'],
    ['an unknown type', { type: 'maybe' }, 'decision'],
    ['an interact decision with an empty url', { type: 'interact', url: '' }, 'decision.url'],
  ])('18.6: decide returning %s gets an error answer and an event, not a 500', async (_name, returned, field) => {
    provider.decide = () => returned as never;
    expectErrorAnswer(await new CookieClient().get(checkidUrl()), field);
  });

  test('18.6: the same after an interaction (resume with a decision for another identity)', async () => {
    const client = new CookieClient();
    const form = await pending(client);
    const response = await client.post(`${provider.base}/login-as-mallory`, form);
    expect(response.status).toBe(302);
    const answer = new URL(response.location as string);
    expect(answer.origin + answer.pathname).toBe(RETURN_TO);
    expect(answer.searchParams.get('openid.mode')).toBe('error');
    expect(response.location).not.toContain('mallory');
    expect(events).toContainEqual(expect.objectContaining({ event: 'request_failed', message: expect.stringMatching(/^identity:/) }));
  });
});

test('18.6: without onEvent, a decision that cannot be answered becomes a process warning naming the field', async () => {
  const warn = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
  const quiet = await startProvider();
  try {
    quiet.decide = () => ({ type: 'allow', extensions: [{ namespace: OPENID2_NS, args: { identity: 'x' } }] });
    const response = await new CookieClient().get(checkidUrl().replace(provider.base, quiet.base));
    expect(new URL(response.location as string).searchParams.get('openid.mode')).toBe('error');
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('extensions[0].namespace: must be an extension namespace URI'), expect.objectContaining({ code: 'OPENID_ANSWER_INVALID' }));
  } finally {
    warn.mockRestore();
    await quiet.close();
  }
});

describe('18.6: a corrupt pending interaction is a 400 page, not a 500', () => {
  test.each(['not-checkid', 'csrf-not-a-string', 'null'])('18.6: %s', async (how) => {
    const client = new CookieClient();
    const form = await pending(client);
    expect((await client.get(`${provider.base}/corrupt?interaction=${encodeURIComponent(form.get('interaction') as string)}&how=${how}`)).status).toBe(200);
    form.set('approve', '1');
    const response = await client.post(`${provider.base}/login`, form);
    expect(response.status).toBe(400);
    expect(response.location).toBeUndefined();
    expect(response.body).toMatch(/Sign-in request not found/);
  });
});

describe('18.6: a wrong CSRF token is a CsrfError', () => {
  function fakeRequest(): Request {
    return { session: {} } as unknown as Request;
  }
  const entry: Omit<PendingInteraction, 'csrfToken' | 'expires'> = { args: { 'openid.mode': 'checkid_setup' }, secure: false };

  test('18.6: takePending throws CsrfError (ERR_CSRF, 403) for a wrong or missing token, not a patched InteractionNotFound; the interaction stays', () => {
    const req = fakeRequest();
    const id = savePending(req, entry, 60_000, 1000);
    for (const token of ['forged', undefined, 42]) {
      let caught: unknown;
      try {
        takePending(req, id, token, 2000);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(CsrfError);
      expect(caught).not.toBeInstanceOf(InteractionNotFound);
      expect(caught).toMatchObject({ code: 'ERR_CSRF', status: 403, expose: true });
    }
  });

  test('18.6: unknown stays InteractionNotFound, a corrupt entry is InteractionInvalid and is removed', () => {
    const req = fakeRequest();
    expect(() => takePending(req, 'nope', 'x', 2000)).toThrow(InteractionNotFound);
    const id = savePending(req, entry, 60_000, 1000);
    (req as unknown as { session: { openidInteractions: Record<string, { args: unknown }> } }).session.openidInteractions[id]!.args = 'not an object';
    expect(() => takePending(req, id, 'x', 2000)).toThrow(InteractionInvalid);
    expect(() => takePending(req, id, 'x', 2000)).toThrow(InteractionNotFound);
  });
});
