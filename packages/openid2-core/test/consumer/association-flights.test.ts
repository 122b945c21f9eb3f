/** 22.4: logins that start at once share one associate request per endpoint (single flight). */
import { AssociationFlights } from '../../src/consumer/association-flights.js';
import { Consumer } from '../../src/consumer/consumer.js';
import { objectSession } from '../../src/consumer/session.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { startOP, type TestOP } from './op.js';
import { fetcher } from './parties.js';

let op: TestOP;
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

/** Requests the OP endpoint received so far (begin makes only associate requests there). */
const endpointRequests = (): number => op.http.requests.filter((path) => path === '/openid').length;

/** `count` users starting a login at once through one consumer, each with their own session. */
async function concurrentBegins(count: number, store: MemoryStore, flights?: AssociationFlights): Promise<{ handles: Array<string | undefined>; made: number }> {
  const consumer = new Consumer({ store, fetcher, associationFlights: flights });
  const requests = await Promise.all(Array.from({ length: count }, () => consumer.beginWithOPEndpoint(objectSession({}), op.endpoint)));
  return { handles: requests.map((request) => request.association?.handle), made: requests.filter((request) => request.associationMade).length };
}

describe('22.4: single-flight association', () => {
  test('22.4: 8 concurrent begins with no stored association make 1 associate request, and all use its association', async () => {
    const before = endpointRequests();
    const flights = new AssociationFlights();
    const { handles, made } = await concurrentBegins(8, new MemoryStore(), flights);
    expect(endpointRequests() - before).toBe(1);
    expect(handles[0]).toEqual(expect.any(String));
    expect(new Set(handles)).toEqual(new Set([handles[0]]));
    expect(flights.size).toBe(0);
    // The login whose request made it says so; the others waited for it (association_reused to the router).
    expect(made).toBe(1);
  });

  test('a consumer has flights of its own: without the option, 8 concurrent begins still make 1 associate request', async () => {
    const before = endpointRequests();
    const { handles, made } = await concurrentBegins(8, new MemoryStore());
    expect(endpointRequests() - before).toBe(1);
    expect(new Set(handles).size).toBe(1);
    expect(made).toBe(1);
  });

  test('two consumers share a flight only when given the same AssociationFlights', async () => {
    const begins = (consumer: Consumer) => Array.from({ length: 4 }, () => consumer.beginWithOPEndpoint(objectSession({}), op.endpoint));
    let before = endpointRequests();
    await Promise.all([...begins(new Consumer({ store: new MemoryStore(), fetcher })), ...begins(new Consumer({ store: new MemoryStore(), fetcher }))]);
    expect(endpointRequests() - before).toBe(2);
    const shared = new AssociationFlights();
    const store = new MemoryStore();
    before = endpointRequests();
    await Promise.all([...begins(new Consumer({ store, fetcher, associationFlights: shared })), ...begins(new Consumer({ store, fetcher, associationFlights: shared }))]);
    expect(endpointRequests() - before).toBe(1);
  });

  test('22.4: a failed flight is shared too, and the next login asks again', async () => {
    const flights = new AssociationFlights();
    let calls = 0;
    const failing = (): Promise<undefined> => {
      calls += 1;
      return Promise.reject(new Error('unreachable'));
    };
    const results = await Promise.allSettled([flights.run('k', failing), flights.run('k', failing)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toBe(1);
    expect(flights.size).toBe(0);
    const store = new MemoryStore();
    const before = endpointRequests();
    expect((await concurrentBegins(2, store, flights)).made).toBe(1);
    // The second round reuses the stored association.
    expect((await concurrentBegins(2, store, flights)).made).toBe(0);
    expect(endpointRequests() - before).toBe(1);
  });
});
