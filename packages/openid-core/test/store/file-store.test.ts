import { mkdtemp, readdir, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from 'openid-test-helpers';
import { FileStore } from '../../src/store/file-store.js';
import { Association } from '../../src/association.js';
import { StoreError } from '../../src/errors.js';

const directories = new WeakMap<object, string>();

runStoreConformance({
  name: 'FileStore',
  create: async (options) => {
    const directory = await mkdtemp(join(tmpdir(), 'openid-file-store-'));
    const store = new FileStore({ directory, ...options });
    directories.set(store, directory);
    return store;
  },
  destroy: async (store) => {
    const directory = directories.get(store);
    if (directory !== undefined) await rm(directory, { recursive: true, force: true });
  },
  crossProcess: (store) => ({ module: 'openid-core', exportName: 'FileStore', options: { directory: directories.get(store) } }),
  unreachable: () => new FileStore({ directory: '/dev/null/openid-store' }),
});

describe('FileStore specifics', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'openid-file-store-'));
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  const assoc = (handle: string): Association =>
    new Association({ handle, secret: Buffer.alloc(32, 1), issued: Math.floor(Date.now() / 1000), lifetime: 600, assocType: 'HMAC-SHA256' });

  test('a leftover temporary file from a crash mid-write is ignored, then cleaned up', async () => {
    const store = new FileStore({ directory });
    await store.storeAssociation('https://op.example/', assoc('good'));
    const [server] = await readdir(join(directory, 'associations'));
    const leftover = join(directory, 'associations', server as string, '.deadbeef.tmp');
    await writeFile(leftover, 'version:2\nhandle:half-writ');
    expect((await store.getAssociation('https://op.example/'))?.handle).toBe('good');
    const later = new FileStore({ directory, now: () => Date.now() + 2 * 60 * 60 * 1000 });
    await later.cleanup();
    expect(await readdir(join(directory, 'associations', server as string))).not.toContain('.deadbeef.tmp');
  });

  test('file names are hashes, whatever the URL or handle holds', async () => {
    const store = new FileStore({ directory });
    await store.storeAssociation('https://op.example/../../etc/passwd', assoc('../../x'));
    const [server] = await readdir(join(directory, 'associations'));
    expect(server).toMatch(/^[0-9a-f]{64}$/);
    expect(await readdir(join(directory, 'associations', server as string))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.assoc$/)]);
  });

  test('a corrupt association file is a fault, not "not found"', async () => {
    const store = new FileStore({ directory });
    await store.storeAssociation('https://op.example/', assoc('h'));
    const [server] = await readdir(join(directory, 'associations'));
    const [file] = await readdir(join(directory, 'associations', server as string));
    await writeFile(join(directory, 'associations', server as string, file as string), 'garbage');
    await expect(store.getAssociation('https://op.example/', 'h')).rejects.toBeInstanceOf(StoreError);
  });

  test('an unwritable directory is a fault for nonces (never "fresh")', async () => {
    const store = new FileStore({ directory });
    await store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'x');
    await chmod(join(directory, 'nonces'), 0o500);
    try {
      if (process.getuid?.() === 0) return; // root ignores permissions
      await expect(store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'y')).rejects.toBeInstanceOf(StoreError);
    } finally {
      await chmod(join(directory, 'nonces'), 0o700);
    }
  });
});
