/**
 * Presets plug in through one interface (`ConsumerPreset`): a preset
 * defined here, pinning the test OP's endpoint and adding `{ accountId }`,
 * works with no change to the core. Its refusals come back as
 * `preset_refused` with its own code; its data as `presetData`.
 */
import { Consumer } from '../../src/consumer/consumer.js';
import type { ConsumerPreset, PresetRefusal } from '../../src/consumer/preset.js';
import type { AssertionClaims, CompletionResult, SuccessResult } from '../../src/consumer/result.js';
import { OpenIDConfigError } from '../../src/errors.js';
import { startOP, type TestOP } from './op.js';
import { assertionUrl, complete, fetcher, party, startStandIn, type StandIn } from './parties.js';

let op: TestOP;
let attacker: StandIn;
beforeAll(async () => {
  op = await startOP();
  attacker = await startStandIn();
});
afterAll(async () => {
  await op.close();
  await attacker.close();
});
beforeEach(() => {
  op.decide = (request) => ({ allow: true, ...(request.idSelect ? { identity: `${op.base}/user/alice` } : {}) });
});

/** "Sign in with Acme": the test OP's endpoint only, accounts under /user/, `mallory` suspended. */
function acmePreset(seen: AssertionClaims[] = []): ConsumerPreset {
  return {
    name: 'acme',
    opIdentifier: `${op.base}/`,
    opEndpoint: op.endpoint,
    screen(claims): PresetRefusal | undefined {
      seen.push(claims);
      if (claims.opEndpoint !== op.endpoint) return { code: 'endpoint_mismatch', message: `Not Acme's endpoint: ${claims.opEndpoint}` };
      if (!(claims.claimedId ?? '').startsWith(`${op.base}/user/`)) return { code: 'not_an_account', message: 'Acme identifiers are under /user/' };
      return undefined;
    },
    extend(result: SuccessResult) {
      const accountId = result.claimedId.slice(`${op.base}/user/`.length);
      if (accountId === 'mallory') return { code: 'account_suspended', message: 'This Acme account is suspended' };
      return { accountId };
    },
  };
}

function expectRefused(result: CompletionResult, presetCode: string): void {
  expect(result).toMatchObject({ status: 'failure', reason: 'preset_refused', preset: 'acme', presetCode });
  expect(result).not.toHaveProperty('presetData');
}

describe('a preset of its own (not Steam), through the one interface', () => {
  test("a login through the preset carries the preset's data, frozen", async () => {
    const rp = party({ preset: acmePreset() });
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/`));
    expect(result).toMatchObject({ status: 'success', claimedId: `${op.base}/user/alice`, presetData: { accountId: 'alice' } });
    expect(Object.isFrozen((result as SuccessResult).presetData)).toBe(true);
  });

  test('without a preset, a success carries no presetData', async () => {
    const rp = party();
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/user/alice`));
    expect(result).toMatchObject({ status: 'success' });
    expect(result).not.toHaveProperty('presetData');
  });

  test('screen runs before any request (and again on the verified values of a success)', async () => {
    const seen: AssertionClaims[] = [];
    const rp = party({ preset: acmePreset(seen) });
    const url = new URL(await assertionUrl(rp, `${op.base}/user/bob`));
    expect(await complete(rp, url.href)).toMatchObject({ status: 'success', presetData: { accountId: 'bob' } });
    expect(seen).toEqual([
      { version: '2.0', opEndpoint: op.endpoint, claimedId: `${op.base}/user/bob`, identity: `${op.base}/user/bob` },
      { version: '2.0', opEndpoint: op.endpoint, claimedId: `${op.base}/user/bob`, identity: `${op.base}/user/bob` },
    ]);
  });

  test("an op_endpoint elsewhere: preset_refused with the preset's code, and no request made for it", async () => {
    const rp = party({ preset: acmePreset() });
    const url = new URL(await assertionUrl(rp, `${op.base}/user/alice`));
    url.searchParams.set('openid.op_endpoint', attacker.endpoint);
    url.searchParams.set('openid.claimed_id', `${attacker.base}/user/alice`);
    url.searchParams.set('openid.identity', `${attacker.base}/user/alice`);
    const before = attacker.http.requests.length;
    expectRefused(await complete(rp, url.href), 'endpoint_mismatch');
    expect(attacker.http.requests.length).toBe(before);
  });

  test("a refusal of extend (a suspended account): preset_refused with extend's code", async () => {
    op.decide = () => ({ allow: true, identity: `${op.base}/user/mallory` });
    const rp = party({ preset: acmePreset() });
    const result = await complete(rp, await assertionUrl(rp, `${op.base}/`));
    expectRefused(result, 'account_suspended');
    expect(result).toMatchObject({ message: 'This Acme account is suspended' });
  });

  test('an extend that answers no object (a JavaScript preset): refused, never a success without its data', async () => {
    const preset = { ...acmePreset(), extend: () => 42 } as unknown as ConsumerPreset;
    const rp = party({ preset });
    expectRefused(await complete(rp, await assertionUrl(rp, `${op.base}/`)), 'invalid_data');
  });

  test("the preset's settings apply (stateless: no association); the consumer's own win", async () => {
    const preset: ConsumerPreset = { ...acmePreset(), consumer: { stateless: true } };
    const statelessRp = party({ preset });
    expect((await statelessRp.consumer.begin(statelessRp.sessionStore, `${op.base}/user/alice`)).association).toBeUndefined();
    const overridden = party({ preset, stateless: false });
    expect((await overridden.consumer.begin(overridden.sessionStore, `${op.base}/user/alice`)).association).toBeDefined();
  });
});

describe('the preset option is checked when the consumer is made', () => {
  const good = (): ConsumerPreset => acmePreset();
  test.each([
    ['not an object', () => 'acme', 'preset'],
    ['no name', () => ({ ...good(), name: undefined }), 'preset.name'],
    ['a name with spaces', () => ({ ...good(), name: 'Acme Inc' }), 'preset.name'],
    ['an opIdentifier that is no URL', () => ({ ...good(), opIdentifier: 'acme' }), 'preset.opIdentifier'],
    ['an opEndpoint that is not http(s)', () => ({ ...good(), opEndpoint: 'ftp://op.example/' }), 'preset.opEndpoint'],
    ['no screen', () => ({ ...good(), screen: undefined }), 'preset.screen'],
    ['an extend that is no function', () => ({ ...good(), extend: { accountId: 1 } }), 'preset.extend'],
    ['a consumer setting a preset may not make', () => ({ ...good(), consumer: { allowUnsolicitedAssertions: true } }), 'preset.consumer.allowUnsolicitedAssertions'],
    ['a bad stateless', () => ({ ...good(), consumer: { stateless: 'yes' } }), 'preset.consumer.stateless'],
    ['a header value with a line break', () => ({ ...good(), consumer: { checkAuthenticationHeaders: { Origin: 'a\r\nX: 1' } } }), 'preset.consumer.checkAuthenticationHeaders.Origin'],
  ])('%s: refused, naming %s', (_name, preset, option) => {
    let error: unknown;
    try {
      new Consumer({ fetcher, preset: preset() as ConsumerPreset });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OpenIDConfigError);
    expect((error as OpenIDConfigError).option).toBe(option);
  });

  test('a well-formed preset is accepted', () => {
    expect(new Consumer({ fetcher, preset: { ...good(), consumer: { stateless: true, checkAuthenticationHeaders: { Origin: 'https://rp.example' } } } })).toBeInstanceOf(Consumer);
  });
});

describe('the preset is kept as it was checked', () => {
  test('a preset changed after the consumer was made changes nothing', async () => {
    const preset = acmePreset();
    const rp = party({ preset });
    (preset as { screen: ConsumerPreset['screen'] }).screen = () => ({ code: 'changed', message: 'changed afterwards' });
    (preset as { extend: ConsumerPreset['extend'] }).extend = () => ({ accountId: 'changed' });
    expect(await complete(rp, await assertionUrl(rp, `${op.base}/`))).toMatchObject({ status: 'success', presetData: { accountId: 'alice' } });
  });

  test('a preset written as a class keeps its methods bound to it', async () => {
    class Pinned implements ConsumerPreset {
      readonly name = 'pinned';
      readonly opIdentifier = `${op.base}/`;
      readonly opEndpoint = op.endpoint;
      readonly #code = 'not_pinned';
      screen(claims: AssertionClaims): PresetRefusal | undefined {
        return claims.opEndpoint === this.opEndpoint ? undefined : { code: this.#code, message: 'not the pinned endpoint' };
      }
      extend(): Record<string, unknown> {
        return { pinnedTo: this.opEndpoint };
      }
    }
    const rp = party({ preset: new Pinned() });
    expect(await complete(rp, await assertionUrl(rp, `${op.base}/`))).toMatchObject({ status: 'success', presetData: { pinnedTo: op.endpoint } });
  });
});
