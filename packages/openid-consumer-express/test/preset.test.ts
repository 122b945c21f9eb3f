/**
 * A preset of the application's own (not Steam) through the router, with no
 * change to core or router: "Sign in with Acme" pins the test OP's endpoint
 * and adds `{ accountId }`. Its data reaches `req.session.openid.presetData`;
 * its refusals redirect with `openid_error=preset_refused`, the event naming
 * the preset and its own code.
 */
import { CookieClient, deliverIndirect } from 'openid-test-helpers';
import { MemoryStore, OpenIDConfigError, type ConsumerPreset, type OpenIDEvent, type SuccessResult } from 'openid2-core';
import type { Decision } from 'openid-provider-express';
import { openidConsumer, type ConsumerMiddlewareOptions } from '../src/index.js';
import { fetcher, signIn, startOP, startRP, type Running } from './apps.js';

let op: Running & { endpoint: string };
let rp: Running;
let user = 'alice';
const events: OpenIDEvent[] = [];

/** "Sign in with Acme": the OP's endpoint only, accounts under /user/, `mallory` suspended. */
function acmePreset(): ConsumerPreset {
  return {
    name: 'acme',
    opIdentifier: `${op.base}/`,
    opEndpoint: op.endpoint,
    screen: (claims) => (claims.opEndpoint === op.endpoint ? undefined : { code: 'endpoint_mismatch', message: `Not Acme's endpoint: ${claims.opEndpoint}` }),
    extend: (result: SuccessResult) => {
      const accountId = result.claimedId.slice(`${op.base}/user/`.length);
      return accountId === 'mallory' ? { code: 'account_suspended', message: 'This Acme account is suspended' } : { accountId };
    },
  };
}

beforeAll(async () => {
  op = await startOP({ decision: (_idSelect, base): Decision => ({ type: 'allow', identity: `${base}/user/${user}` }) });
  rp = await startRP({ preset: acmePreset(), store: new MemoryStore(), onEvent: (event) => events.push(event) });
});
afterAll(async () => {
  await rp.close();
  await op.close();
});
beforeEach(() => {
  user = 'alice';
  events.length = 0;
});

describe('a preset of the application\'s own through the router', () => {
  test("/login without an identifier begins at the preset's opIdentifier; its data lands in req.session.openid.presetData", async () => {
    const { final, me } = await signIn(rp, undefined);
    expect(final).toBe(`${rp.base}/me`);
    expect(me).toMatchObject({ claimedId: `${op.base}/user/alice`, opEndpoint: op.endpoint, presetData: { accountId: 'alice' } });
  });

  test("a refusal of the preset's extend: openid_error=preset_refused, the event naming the preset and its code", async () => {
    user = 'mallory';
    const { final, me } = await signIn(rp, undefined);
    expect(final).toBe(`${rp.base}/failed?openid_error=preset_refused`);
    expect(me).toBeUndefined();
    expect(events.find((event) => event.event === 'login_failed')).toMatchObject({ reason: 'preset_refused', preset: 'acme', presetCode: 'account_suspended', message: 'This Acme account is suspended' });
  });

  test("an answer naming another endpoint: refused by the preset's screen", async () => {
    const client = new CookieClient();
    const start = await client.post(`${rp.base}/openid/login`, {});
    const atOp = await client.get(start.location as string, true);
    const url = new URL(atOp.location as string);
    url.searchParams.set('openid.op_endpoint', 'http://127.0.0.1:1/openid');
    atOp.location = url.href;
    const { response } = await deliverIndirect(client, atOp, start.location as string);
    expect(response.location).toBe(`${rp.base}/failed?openid_error=preset_refused`);
    expect(events.find((event) => event.event === 'login_failed')).toMatchObject({ preset: 'acme', presetCode: 'endpoint_mismatch' });
  });
});

describe('the preset option of the router', () => {
  const make = (options: ConsumerMiddlewareOptions) => () => openidConsumer({ fetcher, ...options });

  test('a preset among the consumer settings is refused: the router has one way to take it', () => {
    expect(make({ consumer: { preset: acmePreset() } as ConsumerMiddlewareOptions['consumer'] })).toThrow(/^consumer\.preset: /);
  });

  test.each([
    ['a preset without a screen', { ...({} as ConsumerPreset), name: 'acme', opIdentifier: 'https://op.example/', opEndpoint: 'https://op.example/openid' }, 'preset.screen'],
    ['a preset named with capitals', { name: 'Acme' } as ConsumerPreset, 'preset.name'],
  ])('%s: refused when the router is made, naming %s', (_name, preset, option) => {
    let error: unknown;
    try {
      make({ preset })();
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OpenIDConfigError);
    expect((error as OpenIDConfigError).option).toBe(option);
  });

  test("an explicit opIdentifier wins over the preset's", async () => {
    const other = await startRP({ preset: acmePreset(), opIdentifier: 'http://127.0.0.1:1/' });
    try {
      const start = await new CookieClient().post(`${other.base}/openid/login`, {});
      // Discovery of the explicit identifier fails (nothing listens there); the preset's would have succeeded.
      expect(start.location).toMatch(/\/failed\?openid_error=unreachable$/);
    } finally {
      await other.close();
    }
  });
});
