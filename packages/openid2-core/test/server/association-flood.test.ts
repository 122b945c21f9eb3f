/**
 * 17.10: unauthenticated `associate` requests cannot grow the provider's
 * store without bound. Drives the core Server directly (no HTTP), with
 * no-encryption sessions over a secure context, so 100,000 requests stay fast.
 */
import { OPENID2_NS } from '../../src/constants.js';
import { OPENID_NS } from '../../src/message.js';
import type { AssociateRequest } from '../../src/server/associate-request.js';
import type { CheckIDRequest } from '../../src/server/check-id-request.js';
import type { Server } from '../../src/server/server.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { DEFAULT_MAX_ASSOCIATIONS_PER_SERVER, evictionTarget } from '../../src/store/store.js';
import { associate, checkAuthentication, checkid, indirect, newServer } from './fixtures.js';

const FLOOD = 100_000;
const ASSOCIATE = { 'openid.ns': OPENID2_NS, 'openid.mode': 'associate', 'openid.assoc_type': 'HMAC-SHA1', 'openid.session_type': 'no-encryption' };

/** Sends `count` associate requests as an unauthenticated client would; returns the handles handed out. */
async function flood(server: Server, count: number): Promise<string[]> {
  const handles: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const response = await server.handleRequest(server.decodeRequest(ASSOCIATE, { secure: true }) as AssociateRequest);
    if (response.kind !== 'direct') throw new Error('associate must answer directly');
    handles.push(response.message.getArg(OPENID_NS, 'assoc_handle') as string);
  }
  return handles;
}

/** The handles the provider still knows, in order. */
async function known(server: Server, handles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const handle of handles) if ((await server.signatory.getAssociation(handle, true)) !== undefined) found.push(handle);
  return found;
}

describe('17.10: association flooding', () => {
  test('17.10: 100,000 associate requests leave the store bounded, and live associations still verify', async () => {
    const server = newServer({ store: new MemoryStore() });
    const first = await associate(server, 'HMAC-SHA256', 'no-encryption');
    const handles = [first.handle, ...(await flood(server, FLOOD - 2))];
    const last = await associate(server, 'HMAC-SHA256', 'no-encryption');
    handles.push(last.handle);

    // Bounded: of the 100,000, only the newest are kept, at most the cap.
    expect(DEFAULT_MAX_ASSOCIATIONS_PER_SERVER).toBe(10_000);
    const kept = await known(server, handles);
    expect(kept.length).toBeLessThanOrEqual(DEFAULT_MAX_ASSOCIATIONS_PER_SERVER);
    expect(kept.length).toBeGreaterThanOrEqual(evictionTarget(DEFAULT_MAX_ASSOCIATIONS_PER_SERVER));
    expect(kept).toEqual(handles.slice(FLOOD - kept.length));

    // The newest association still signs, and the relying party can check the signature itself.
    const live = indirect(await (server.decodeRequest(checkid({ 'openid.assoc_handle': last.handle }), { secure: true }) as CheckIDRequest).answer(true));
    expect(live.getArg(OPENID_NS, 'assoc_handle')).toBe(last.handle);
    expect(live.getArg(OPENID_NS, 'invalidate_handle')).toBeUndefined();
    expect(last.verifyMessage(live)).toBe(true);

    // An evicted one is an unknown handle: the login still works through check_authentication.
    const evicted = indirect(await (server.decodeRequest(checkid({ 'openid.assoc_handle': first.handle }), { secure: true }) as CheckIDRequest).answer(true));
    expect(evicted.getArg(OPENID_NS, 'invalidate_handle')).toBe(first.handle);
    expect(first.verifyMessage(evicted)).toBe(false);
    expect((await checkAuthentication(server, evicted)).is_valid).toBe('true');
  });

  test('17.10: a configured cap keeps only the newest associations', async () => {
    const server = newServer({ store: new MemoryStore({ maxAssociationsPerServer: 50 }) });
    const handles = await flood(server, 500);
    const kept = await known(server, handles);
    expect(kept.length).toBeLessThanOrEqual(50);
    expect(kept.length).toBeGreaterThanOrEqual(45);
    expect(kept).toEqual(handles.slice(500 - kept.length));
  });

  test('17.10, 22.1: with sealed handles, associate requests store nothing at all', async () => {
    const store = new MemoryStore();
    const server = newServer({ store, sealedHandles: { keys: [{ id: 'k1', key: Buffer.alloc(32, 7) }] } });
    const handles = await flood(server, 1000);
    expect(await known(server, handles)).toEqual(handles);
    expect(await store.getAssociation(`${server.opEndpoint}|shared`)).toBeUndefined();
  });
});
