/**
 * The consumer's options are checked once, when it is made (one describe
 * per concern, one row per refusal); the session is passed with each call,
 * so one consumer serves every user.
 */
import { AssociationFlights } from '../../src/consumer/association-flights.js';
import { Consumer } from '../../src/consumer/consumer.js';
import type { ConsumerOptions } from '../../src/consumer/consumer-config.js';
import { objectSession, type ConsumerSessionStore } from '../../src/consumer/session.js';
import { MemoryDiscoveryCache } from '../../src/discovery/cache.js';
import { OpenIDConfigError } from '../../src/errors.js';
import type { Fetcher } from '../../src/fetch/fetcher.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startOP, type TestOP } from './op.js';
import { expectFailure, fetcher, REALM, RP } from './parties.js';

let op: TestOP;
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

/** The OpenIDConfigError `make` throws (failing the test when it throws nothing, or something else). */
function configError(make: () => unknown): OpenIDConfigError {
  let caught: unknown;
  try {
    make();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(OpenIDConfigError);
  return caught as OpenIDConfigError;
}

/** A fetcher that counts what it is asked to fetch. */
function counting(): { fetcher: Fetcher; requests: () => number } {
  let requests = 0;
  return {
    fetcher: {
      fetch: (url, init) => {
        requests += 1;
        return fetcher.fetch(url, init);
      },
    },
    requests: () => requests,
  };
}

const pin = (): undefined => undefined;
const preset = { name: 'pinned', opIdentifier: 'https://op.example/', opEndpoint: 'https://op.example/openid', screen: pin };

describe('every option is checked when the consumer is made', () => {
  test.each([
    ['store', {}],
    ['store', null],
    ['store', 'redis://localhost'],
    ['stateless', 'yes'],
    ['stateless', 1],
    ['fetcher', {}],
    ['fetcher', null],
    ['fetcher', () => undefined],
    ['discoveryCache', {}],
    ['discoveryCache', { get: () => undefined }],
    ['xriProxy', 42],
    ['xriProxy', 'xri.net'],
    ['xriProxy', 'ftp://xri.example/'],
    ['xriProxy', 'https://xri.example/?q=1'],
    ['associationPreferences', []],
    ['associationPreferences', 'HMAC-SHA256'],
    ['associationFlights', {}],
    ['associationFlights', 'shared'],
    ['allowUnsolicitedAssertions', 'true'],
    ['allowUnsolicitedAssertions', 1],
    ['checkAuthenticationHeaders', 'Origin: https://rp.example'],
    ['checkAuthenticationHeaders', [['Origin', 'https://rp.example']]],
    ['checkAuthenticationHeaders', null],
    ['store', { storeAssociation: pin, getAssociation: pin, removeAssociation: pin, useNonce: pin, skewSeconds: -1 }],
    ['store', { storeAssociation: pin, getAssociation: pin, removeAssociation: pin, useNonce: pin, skewSeconds: '30' }],
    ['preset', 'steam'],
    ['transactionTtlMs', 0],
    ['transactionTtlMs', -1],
    ['transactionTtlMs', Number.NaN],
    ['transactionTtlMs', Number.POSITIVE_INFINITY],
    ['transactionTtlMs', '3600000'],
    ['beginTimeoutMs', 0],
    ['beginTimeoutMs', Number.NaN],
    ['beginTimeoutMs', Number.POSITIVE_INFINITY],
    ['beginTimeoutMs', 1.5],
    ['now', 1_700_000_000_000],
    ['now', 'Date.now'],
  ])('%s %p: refused, naming the option', (option, value) => {
    const error = configError(() => new Consumer({ [option]: value } as ConsumerOptions));
    expect(error.option).toBe(option);
    expect(error.code).toBe('ERR_CONFIG');
    expect(error.message.startsWith(`${option}: `)).toBe(true);
  });

  test.each([
    ['an unknown association type', [{ assocType: 'HMAC-MD5', sessionType: 'DH-SHA1' }], 'associationPreferences[0]'],
    ['a type its session cannot carry', [{ assocType: 'HMAC-SHA1', sessionType: 'DH-SHA1' }, { assocType: 'HMAC-SHA256', sessionType: 'DH-SHA1' }], 'associationPreferences[1]'],
    ['a pair that is not an object', [null], 'associationPreferences[0]'],
  ])('associationPreferences with %s: refused, naming the pair', (_name, value, option) => {
    expect(configError(() => new Consumer({ associationPreferences: value as never })).option).toBe(option);
  });

  test.each([
    ['a value that is not a string', { Origin: 42 }, 'checkAuthenticationHeaders.Origin'],
    ['a value with CR/LF (header injection)', { Origin: 'https://rp.example\r\nX-Evil: 1' }, 'checkAuthenticationHeaders.Origin'],
    ['a value with a bare LF', { Referer: 'https://rp.example/\nX-Evil: 1' }, 'checkAuthenticationHeaders.Referer'],
    ['a value with NUL', { Referer: 'https://rp.example/\0' }, 'checkAuthenticationHeaders.Referer'],
    ['a name that is not a header name', { 'X Evil': 'x' }, 'checkAuthenticationHeaders.X Evil'],
    ['a name with a line break', { 'X-A\r\nX-B': 'x' }, 'checkAuthenticationHeaders.X-A\r\nX-B'],
  ])('checkAuthenticationHeaders with %s: refused, naming the header', (_name, value, option) => {
    expect(configError(() => new Consumer({ checkAuthenticationHeaders: value as never })).option).toBe(option);
  });

  test('an unknown option (a typo) is refused, naming it', () => {
    const error = configError(() => new Consumer({ transactionTTLMs: 60_000 } as ConsumerOptions));
    expect(error.option).toBe('transactionTTLMs');
    expect(error.message).toMatch(/is not a consumer option \(known: store, .*transactionTtlMs/);
  });

  test('a session among the options is refused, pointing to the per-call argument', () => {
    const error = configError(() => new Consumer({ session: objectSession({}) } as ConsumerOptions));
    expect(error.option).toBe('session');
    expect(error.message).toMatch(/pass the session with each call/);
  });

  test.each([null, 'store', 42, [] as unknown])('options %p that are not an object: refused', (options) => {
    expect(configError(() => new Consumer(options as ConsumerOptions)).option).toBe('options');
  });

  test('every option with a good value, and undefined ones (left out), are accepted', () => {
    const options: Required<ConsumerOptions> = {
      store: new MemoryStore(),
      stateless: false,
      fetcher,
      discoveryCache: new MemoryDiscoveryCache(),
      xriProxy: 'https://xri.example/resolve',
      associationPreferences: [{ assocType: 'HMAC-SHA1', sessionType: 'no-encryption' }],
      associationFlights: new AssociationFlights(),
      allowUnsolicitedAssertions: false,
      checkAuthenticationHeaders: { Origin: 'https://rp.example', Referer: 'https://rp.example/' },
      preset,
      transactionTtlMs: 1,
      beginTimeoutMs: 1,
      now: Date.now,
    };
    expect(new Consumer(options)).toBeInstanceOf(Consumer);
    expect(new Consumer({ store: undefined, xriProxy: undefined, transactionTtlMs: undefined })).toBeInstanceOf(Consumer);
    expect(new Consumer()).toBeInstanceOf(Consumer);
  });

  test('transactionTtlMs: NaN is refused when made (it used to make every login never expire: now - created > NaN is false)', () => {
    expect(configError(() => new Consumer({ transactionTtlMs: Number.NaN })).option).toBe('transactionTtlMs');
  });

  test('an invalid xriProxy is refused when made, not at the first XRI login', () => {
    const count = counting();
    const error = configError(() => new Consumer({ fetcher: count.fetcher, xriProxy: 'javascript:alert(1)' }));
    expect(error.option).toBe('xriProxy');
    expect(count.requests()).toBe(0);
  });
});

describe('the checked configuration is kept', () => {
  test('changing the options object afterwards changes nothing (a NaN slipped in later does not stop expiry)', async () => {
    let now = Date.now();
    const options: ConsumerOptions = { fetcher, store: new MemoryStore(), transactionTtlMs: 60_000, now: () => now };
    const consumer = new Consumer(options);
    options.transactionTtlMs = Number.NaN;
    options.allowUnsolicitedAssertions = true;
    const session = objectSession({});
    const auth = await consumer.begin(session, `${op.base}/user/alice`);
    const url = (await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' })).headers.get('location') as string;
    now += 61_000;
    expectFailure(await consumer.complete(session, new URL(url).searchParams, url), 'transaction_expired');
    expectFailure(await consumer.complete(objectSession({}), new URL(url).searchParams, url), 'unsolicited_assertion');
  });
});

describe('the session, per call', () => {
  test.each([undefined, null, {}, { get: () => undefined, set: () => undefined }])('begin with session %p: OpenIDConfigError naming session, before any request', async (session) => {
    const count = counting();
    const consumer = new Consumer({ fetcher: count.fetcher, store: new MemoryStore() });
    const error = await consumer.begin(session as unknown as ConsumerSessionStore, `${op.base}/user/alice`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenIDConfigError);
    expect((error as OpenIDConfigError).option).toBe('session');
    expect((error as Error).message).toMatch(/get, set and delete/);
    expect(count.requests()).toBe(0);
  });

  test('complete, hasTransactionFor, beginWithOPEndpoint and beginWithEndpoints check it too', async () => {
    const consumer = new Consumer({ fetcher });
    const none = undefined as unknown as ConsumerSessionStore;
    await expect(consumer.complete(none, { 'openid.mode': 'cancel' }, RP)).rejects.toThrow(/^session: /);
    await expect(consumer.hasTransactionFor(none, RP)).rejects.toThrow(/^session: /);
    await expect(consumer.beginWithOPEndpoint(none, op.endpoint)).rejects.toThrow(/^session: /);
    await expect(consumer.beginWithEndpoints(none, [])).rejects.toThrow(/^session: /);
  });

  test('one consumer serving two sessions at once keeps their logins apart', async () => {
    const consumer = new Consumer({ fetcher, store: new MemoryStore() });
    const alice = objectSession({});
    const bob = objectSession({});
    const arrival = async (session: ConsumerSessionStore, user: string): Promise<string> => {
      const auth = await consumer.begin(session, `${op.base}/user/${user}`);
      const response = await fetch(auth.redirectUrl(REALM, RP), { redirect: 'manual' });
      return response.headers.get('location') as string;
    };
    const [forAlice, forBob] = await Promise.all([arrival(alice, 'alice'), arrival(bob, 'bob')]);
    // Alice's answer carried to Bob's browser finds no login there.
    expectFailure(await consumer.complete(bob, new URL(forAlice).searchParams, forAlice), 'unsolicited_assertion');
    expect(await consumer.complete(alice, new URL(forAlice).searchParams, forAlice)).toMatchObject({ status: 'success', claimedId: `${op.base}/user/alice` });
    expect(await consumer.complete(bob, new URL(forBob).searchParams, forBob)).toMatchObject({ status: 'success', claimedId: `${op.base}/user/bob` });
  });
});

describe('per-login choices', () => {
  test.each([
    ['not an object', 'stateless', 'perLogin'],
    ['an unknown choice', { stateles: true }, 'perLogin.stateles'],
    ['stateless not a boolean', { stateless: 'yes' }, 'perLogin.stateless'],
  ])('%s: refused, naming it', async (_name, perLogin, option) => {
    const consumer = new Consumer({ fetcher, store: new MemoryStore() });
    const error = await consumer.beginWithOPEndpoint(objectSession({}), op.endpoint, perLogin as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenIDConfigError);
    expect((error as OpenIDConfigError).option).toBe(option);
  });

  test('stateless: true for one login: no association, though the consumer has a store', async () => {
    const store = new MemoryStore();
    const consumer = new Consumer({ fetcher, store });
    const auth = await consumer.beginWithOPEndpoint(objectSession({}), op.endpoint, { stateless: true });
    expect([auth.association, auth.associationMade]).toEqual([undefined, false]);
    expect(await store.getAssociation(op.endpoint)).toBeUndefined();
  });

  test('stateless: false for one login of a stateless consumer: it associates', async () => {
    const consumer = new Consumer({ fetcher, store: new MemoryStore(), stateless: true });
    expect((await consumer.beginWithOPEndpoint(objectSession({}), op.endpoint)).association).toBeUndefined();
    const auth = await consumer.beginWithOPEndpoint(objectSession({}), op.endpoint, { stateless: false });
    expect(auth.association).toBeDefined();
    expect(auth.associationMade).toBe(true);
  });
});
