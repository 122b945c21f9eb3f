/**
 * A store that fails while a login starts (the association cannot be read
 * or kept): a failed login with reason store_error, through the router and
 * the Passport strategy alike, never an error for the app's error handler.
 */
import { MemoryStore, StoreError, type Association, type OpenIDEvent } from 'openid2-core';
import { CookieClient } from 'openid-test-helpers';
import { postLogin, startOP, withRP, type Running } from './apps.js';
import { startLogin, startPassportRP } from './passport-app.js';

/** A store whose associations are out of reach (a database that went away), counting the attempts. */
class UnreachableStore extends MemoryStore {
  attempts = 0;
  override async getAssociation(_opEndpoint: string, _handle?: string): Promise<Association | undefined> {
    this.attempts += 1;
    throw new StoreError('connection refused');
  }
}

let op: Running & { endpoint: string };
beforeAll(async () => {
  op = await startOP();
});
afterAll(() => op.close());

test('the router: a redirect with openid_error=store_error, and a login_failed event with the cause', async () => {
  const store = new UnreachableStore();
  const events: OpenIDEvent[] = [];
  const errors: unknown[] = [];
  await withRP({ store, errors, onEvent: (event) => events.push(event) }, async (rp) => {
    const start = await postLogin(rp, new CookieClient(), `${op.base}/user/alice`);
    expect(start.status).toBe(303);
    expect(start.location).toBe(`${rp.base}/failed?openid_error=store_error`);
  });
  expect(store.attempts).toBeGreaterThan(0);
  expect(errors).toEqual([]);
  const failed = events.find((event) => event.event === 'login_failed');
  expect(failed).toMatchObject({ reason: 'store_error', identifier: `${op.base}/user/alice` });
  expect(failed?.cause).toEqual([expect.objectContaining({ name: 'StoreError', code: 'ERR_STORE', message: 'connection refused' })]);
});

test('the Passport strategy: a 503 challenge with reason store_error, and the same event', async () => {
  const store = new UnreachableStore();
  const events: OpenIDEvent[] = [];
  const rp = await startPassportRP({ store, onEvent: (event) => events.push(event) });
  try {
    const start = await startLogin(rp, new CookieClient(), `${op.base}/user/alice`);
    expect(start.status).toBe(503);
    expect(JSON.parse(start.body)).toMatchObject({ reason: 'store_error' });
    expect(rp.errors).toEqual([]);
  } finally {
    await rp.close();
  }
  expect(events.find((event) => event.event === 'login_failed')).toMatchObject({ reason: 'store_error' });
});
