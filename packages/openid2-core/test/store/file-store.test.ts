import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreConformance } from 'openid-test-helpers';
import { FileStore } from '../../src/store/file-store.js';
import { Association } from '../../src/association.js';
import { StoreError } from '../../src/errors.js';

const directories = new WeakMap<object, string>();

runStoreConformance('FileStore', {
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
  shared: (store) => ({ module: 'openid2-core', exportName: 'FileStore', options: { directory: directories.get(store) } }),
  // A path through a regular file: every file system call fails (ENOTDIR).
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

  const serverDir = async (): Promise<string> => {
    const [server] = await readdir(join(directory, 'associations'));
    return join(directory, 'associations', server as string);
  };

  test('a crash mid-write leaves a temporary file: reads ignore it, cleanup removes it once stale', async () => {
    const store = new FileStore({ directory });
    await store.storeAssociation('https://op.example/', assoc('good'));
    const dir = await serverDir();
    // What a writer killed before its rename leaves: half of a replacement, under a temporary name.
    await writeFile(join(dir, '.deadbeef.tmp'), 'version:2\nhandle:good\nsecr');
    expect((await store.getAssociation('https://op.example/'))?.handle).toBe('good');
    expect((await store.getAssociation('https://op.example/', 'good'))?.secret).toEqual(Buffer.alloc(32, 1));
    await store.cleanup();
    expect(await readdir(dir)).toContain('.deadbeef.tmp'); // young: a writer may still be at work
    const later = new FileStore({ directory, now: () => Date.now() + 2 * 60 * 60 * 1000 });
    await later.cleanup();
    expect(await readdir(dir)).not.toContain('.deadbeef.tmp');
  });

  test('a successful write leaves no temporary file; secrets are readable by the owner only', async () => {
    const store = new FileStore({ directory });
    await store.storeAssociation('https://op.example/', assoc('good'));
    await store.storeAssociation('https://op.example/', assoc('good'));
    const dir = await serverDir();
    const names = await readdir(dir);
    expect(names).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.assoc$/)]);
    expect((await stat(join(dir, names[0] as string))).mode & 0o777).toBe(0o600);
    expect((await stat(join(directory, 'associations'))).mode & 0o777).toBe(0o700);
  });

  test('file names are hashes, whatever the URL or handle holds', async () => {
    const store = new FileStore({ directory });
    await store.storeAssociation('https://op.example/../../etc/passwd', assoc('../../x'));
    const [server] = await readdir(join(directory, 'associations'));
    expect(server).toMatch(/^[0-9a-f]{64}$/);
    expect(await readdir(await serverDir())).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.assoc$/)]);
    expect(await readdir(directory)).toEqual(['associations', 'nonces']);
  });

  test('a damaged final file is a fault, not "not found" (final files are only made by rename)', async () => {
    const store = new FileStore({ directory });
    await store.storeAssociation('https://op.example/', assoc('h'));
    const dir = await serverDir();
    const [file] = await readdir(dir);
    await writeFile(join(dir, file as string), 'version:2\nhandle:h\n');
    await expect(store.getAssociation('https://op.example/', 'h')).rejects.toBeInstanceOf(StoreError);
    await expect(store.getAssociation('https://op.example/')).rejects.toBeInstanceOf(StoreError);
  });

  test('nonces whose directory is gone are a fault, never "fresh"', async () => {
    const store = new FileStore({ directory });
    expect(await store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'x')).toBe(true);
    await rm(join(directory, 'nonces'), { recursive: true });
    await writeFile(join(directory, 'nonces'), 'not a directory');
    await expect(store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'x')).rejects.toBeInstanceOf(StoreError);
    await expect(store.useNonce('https://op.example/', Math.floor(Date.now() / 1000), 'y')).rejects.toBeInstanceOf(StoreError);
  });
});
