/** 22.1: sealed association handles: nothing stored, any instance with the keys serves, nothing forged. */
import { randomBytes } from 'node:crypto';
import { isValidHandle } from '../../src/association.js';
import { OpenIDConfigError } from '../../src/errors.js';
import { OPENID_NS } from '../../src/message.js';
import type { CheckIDRequest } from '../../src/server/check-id-request.js';
import { SealedHandles, type SealingKey } from '../../src/server/sealed-handles.js';
import type { Server } from '../../src/server/server.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import type { OpenIDStore } from '../../src/store/store.js';
import { associate, checkAuthentication, checkid, clock, indirect, newServer } from './fixtures.js';

const OLD: SealingKey = { id: 'k2025', key: randomBytes(32) };
const NEW: SealingKey = { id: 'k2026', key: randomBytes(32) };

/** A store that counts its writes and refuses association reads and writes: sealed handles must not need it. */
function countingStore(): { store: OpenIDStore; writes: () => number } {
  const inner = new MemoryStore();
  let writes = 0;
  const store: OpenIDStore = {
    storeAssociation: async () => {
      throw new Error('sealed handles store no association');
    },
    getAssociation: async () => {
      throw new Error('sealed handles look no association up');
    },
    removeAssociation: async () => {
      throw new Error('sealed handles remove no association');
    },
    useNonce: async (...args) => {
      writes += 1;
      return inner.useNonce(...args);
    },
    cleanup: () => inner.cleanup(),
    close: () => inner.close(),
  };
  return { store, writes: () => writes };
}

async function assertion(server: Server, handle?: string): Promise<ReturnType<typeof indirect>> {
  const extra = handle === undefined ? {} : { 'openid.assoc_handle': handle };
  return indirect(await (server.decodeRequest(checkid(extra), { secure: true }) as CheckIDRequest).answer(true));
}

/** Replaces one character of the sealed part of a handle (inside the last braces). */
function tamper(handle: string, at: number): string {
  const index = handle.length - 2 - at;
  const swapped = handle[index] === 'A' ? 'B' : 'A';
  return `${handle.slice(0, index)}${swapped}${handle.slice(index + 1)}`;
}

describe('22.1: sealed association handles', () => {
  test('22.1: two instances with the same keys and no shared store: associate at A, sign at B, check_authentication at A', async () => {
    const a = countingStore();
    const b = countingStore();
    const serverA = newServer({ store: a.store, sealedHandles: { keys: [NEW] } });
    const serverB = newServer({ store: b.store, sealedHandles: { keys: [NEW] } });
    const association = await associate(serverA);
    expect(isValidHandle(association.handle)).toBe(true);
    expect(association.handle.length).toBeLessThanOrEqual(255);

    const signedByB = await assertion(serverB, association.handle);
    expect(signedByB.getArg(OPENID_NS, 'invalidate_handle')).toBeUndefined();
    expect(association.verifyMessage(signedByB)).toBe(true);

    // A stateless login: B signs privately, A confirms once.
    const stateless = await assertion(serverB);
    expect((await checkAuthentication(serverA, stateless)).is_valid).toBe('true');
    expect((await checkAuthentication(serverA, stateless)).is_valid).toBe('false');
    // The only writes: one use of the private handle (the replay found it used).
    expect(a.writes()).toBe(2);
    expect(b.writes()).toBe(0);
  });

  test('22.1: key rotation: a live association sealed under the old key still signs; new ones use the new key', async () => {
    const before = newServer({ sealedHandles: { keys: [OLD] } });
    const live = await associate(before);
    const after = newServer({ sealedHandles: { keys: [NEW, OLD] } });
    const signed = await assertion(after, live.handle);
    expect(signed.getArg(OPENID_NS, 'invalidate_handle')).toBeUndefined();
    expect(live.verifyMessage(signed)).toBe(true);
    expect((await associate(after)).handle).toContain(`{${NEW.id}}`);
    // Once the old key is dropped, its handles are unknown: invalidate_handle and a private signature.
    const dropped = newServer({ sealedHandles: { keys: [NEW] } });
    const fallback = await assertion(dropped, live.handle);
    expect(fallback.getArg(OPENID_NS, 'invalidate_handle')).toBe(live.handle);
    expect(live.verifyMessage(fallback)).toBe(false);
    expect((await checkAuthentication(dropped, fallback)).is_valid).toBe('true');
  });

  test.each([
    ['the last character of the tag', (h: string) => tamper(h, 0)],
    ['a character of the ciphertext', (h: string) => tamper(h, 40)],
    ['a character of the IV', (h: string) => tamper(h, 95)],
    ['truncated by one character', (h: string) => `${h.slice(0, -2)}}`],
    ['truncated to the key id', (h: string) => h.slice(0, h.lastIndexOf('{') + 1)],
    ['another key id', (h: string) => h.replace(`{${NEW.id}}`, `{${OLD.id}}`)],
    ['an unknown key id', (h: string) => h.replace(`{${NEW.id}}`, '{nobody}')],
    ['non-canonical base64url', (h: string) => `${h.slice(0, -1)}=}`],
  ])('22.1: a handle with %s is an unknown handle, answered with invalidate_handle, never an error', async (_name, change) => {
    const keys = { keys: [NEW, OLD] };
    const server = newServer({ sealedHandles: keys });
    const association = await associate(server);
    const changed = change(association.handle);
    expect(changed).not.toBe(association.handle);
    expect(new SealedHandles(keys).open(changed, true)).toBeUndefined();
    const signed = await assertion(server, changed);
    expect(signed.getArg(OPENID_NS, 'invalidate_handle')).toBe(changed);
    expect(signed.getArg(OPENID_NS, 'assoc_handle')).not.toBe(changed);
    expect((await checkAuthentication(server, signed)).is_valid).toBe('true');
  });

  test('22.1: a handle sealed under another key with the same id does not open', async () => {
    const impostor = newServer({ sealedHandles: { keys: [{ id: NEW.id, key: randomBytes(32) }] } });
    const forged = await associate(impostor);
    const server = newServer({ sealedHandles: { keys: [NEW] } });
    expect((await assertion(server, forged.handle)).getArg(OPENID_NS, 'invalidate_handle')).toBe(forged.handle);
  });

  test('22.1: a shared handle is never a private one, and the other way round', async () => {
    const server = newServer({ sealedHandles: { keys: [NEW] } });
    const shared = await associate(server);
    expect(await server.signatory.getAssociation(shared.handle, false)).toBeUndefined();
    const privateOne = await server.signatory.createAssociation('HMAC-SHA256', false);
    expect(await server.signatory.getAssociation(privateOne.handle, true)).toBeUndefined();
    expect(await server.signatory.getAssociation(privateOne.handle, false)).toBeDefined();
  });

  test('22.1: an association past its expiry is an unknown handle', async () => {
    const time = clock();
    const server = newServer({ now: time.now, associationLifetime: 60, sealedHandles: { keys: [NEW] } });
    const association = await associate(server);
    time.advance(59);
    expect((await assertion(server, association.handle)).getArg(OPENID_NS, 'invalidate_handle')).toBeUndefined();
    time.advance(1);
    const late = await assertion(server, association.handle);
    expect(late.getArg(OPENID_NS, 'invalidate_handle')).toBe(association.handle);
    expect(association.verifyMessage(late)).toBe(false);
  });

  test('22.1: a private handle past its lifetime is not confirmed by check_authentication', async () => {
    const time = clock();
    const server = newServer({ now: time.now, privateAssociationLifetime: 30, sealedHandles: { keys: [NEW] } });
    const signed = await assertion(server);
    time.advance(31);
    expect((await checkAuthentication(server, signed)).is_valid).toBe('false');
  });

  test('22.1: associations stored before sealing was turned on keep working', async () => {
    const store = new MemoryStore();
    const stored = await associate(newServer({ store }));
    const sealed = newServer({ store, sealedHandles: { keys: [NEW] } });
    const signed = await assertion(sealed, stored.handle);
    expect(signed.getArg(OPENID_NS, 'invalidate_handle')).toBeUndefined();
    expect(stored.verifyMessage(signed)).toBe(true);
  });

  test.each([
    ['no keys', { keys: [] }],
    ['a short key', { keys: [{ id: 'a', key: randomBytes(16) }] }],
    ['a key id with a brace', { keys: [{ id: 'a}', key: randomBytes(32) }] }],
    ['an id listed twice', { keys: [{ id: 'a', key: randomBytes(32) }, { id: 'a', key: randomBytes(32) }] }],
  ])('22.1: %s is a configuration error naming sealedHandles', (_name, sealedHandles) => {
    expect(() => newServer({ sealedHandles })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', option: 'sealedHandles' }));
    expect(() => newServer({ sealedHandles })).toThrow(OpenIDConfigError);
  });

  test('22.1: a lifetime a sealed handle cannot carry is a configuration error, not a request-time fault', () => {
    expect(() => newServer({ associationLifetime: 2 ** 32, sealedHandles: { keys: [NEW] } })).toThrow(expect.objectContaining({ code: 'ERR_CONFIG', option: 'sealedHandles' }));
  });
});
