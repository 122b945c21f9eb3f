/**
 * A store in a directory, for one machine without a database; several
 * processes may share the directory. No dependencies.
 *
 * Layout: `<directory>/associations/<sha256(server URL)>/<sha256(handle)>.assoc`
 * and `<directory>/nonces/<timestamp>-<sha256(server URL, timestamp, salt)>`.
 * Names are hashes, so no server URL or handle can climb out of the
 * directory, collide with another after case folding, or exceed a name limit.
 *
 * Crash safety, thought through:
 * - An association is written to a temporary file (`.<random>.tmp`, created
 *   exclusively, mode 0600), flushed with fsync, then renamed over its final
 *   name. rename is atomic, so a reader (in any process) sees the old file or
 *   the new one, never half of one. A crash before the rename leaves a
 *   temporary file: reads never look at names starting with `.`, and cleanup
 *   removes those older than an hour (younger ones may belong to a writer
 *   still at work).
 * - So a final `.assoc` file is always complete. One that does not parse was
 *   damaged from outside (disk fault, someone editing it): that is a fault
 *   and reads throw a StoreError; treating it as absent would hide the damage.
 * - A nonce is an empty file created with O_CREAT|O_EXCL (`wx`): of any
 *   number of processes creating the same name, exactly one succeeds; the
 *   file system is the lock. A crash after the create leaves the nonce used,
 *   the safe side.
 * - Limits: the directory entries are not fsynced, so after a power loss or
 *   kernel crash (not a process crash) the last writes may be forgotten: an
 *   association then has to be negotiated again, and a nonce recorded in the
 *   last seconds before the crash could be accepted once more. O_EXCL needs a
 *   local file system or NFSv3+.
 * - A cleanup racing with a writer that replaces an expired association may
 *   delete the fresh replacement; the association is then negotiated again.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Association, isValidHandle } from '../association.js';
import { OpenIDConfigError, StoreError } from '../errors.js';
import { checkNonceArgs, evictionTarget, guard, serverKey, StoreClock, type OpenIDStore, type StoreTimeOptions } from './store.js';

/** Options of {@link FileStore}. */
export interface FileStoreOptions extends StoreTimeOptions {
  /** The directory; created (mode 0700) when missing. Every process sharing the store uses the same one. */
  directory: string;
}

const hash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
/** Temporary files older than this are leftovers of a crash. */
const TEMP_MAX_AGE_MS = 60 * 60 * 1000;
const DIRECTORY_MODE = 0o700;
const FILE_MODE = 0o600;

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

/** An {@link OpenIDStore} in a directory shared by the processes of one machine. */
export class FileStore implements OpenIDStore {
  readonly #clock: StoreClock;
  readonly #associations: string;
  readonly #nonces: string;
  #ready: Promise<void> | undefined;

  /** @throws OpenIDConfigError without a directory, or for bad clock or skew options */
  constructor(options: FileStoreOptions) {
    if (typeof options?.directory !== 'string' || options.directory === '') throw new OpenIDConfigError('FileStore needs a directory (a non-empty path)', 'directory');
    this.#clock = new StoreClock(options);
    this.#associations = join(options.directory, 'associations');
    this.#nonces = join(options.directory, 'nonces');
  }

  /** The nonce window `useNonce` applies, in seconds (the `skewSeconds` option): a consumer with this store uses the same. */
  get skewSeconds(): number {
    return this.#clock.skewSeconds;
  }

  #init(): Promise<void> {
    this.#ready ??= Promise.all([
      mkdir(this.#associations, { recursive: true, mode: DIRECTORY_MODE }),
      mkdir(this.#nonces, { recursive: true, mode: DIRECTORY_MODE }),
    ]).then(
      () => undefined,
      (error: unknown) => {
        this.#ready = undefined;
        throw error;
      },
    );
    return this.#ready;
  }

  #serverDir(opEndpoint: string): string {
    return join(this.#associations, serverKey(opEndpoint));
  }

  #associationFile(opEndpoint: string, handle: string): string {
    return join(this.#serverDir(opEndpoint), `${hash(handle)}.assoc`);
  }

  async storeAssociation(opEndpoint: string, association: Association): Promise<void> {
    await guard('storeAssociation', async () => {
      await this.#init();
      await mkdir(this.#serverDir(opEndpoint), { recursive: true, mode: DIRECTORY_MODE });
      const temp = join(this.#serverDir(opEndpoint), `.${randomBytes(12).toString('hex')}.tmp`);
      try {
        const file = await open(temp, 'wx', FILE_MODE);
        try {
          await file.writeFile(association.serialize(), 'utf8');
          // The modification time is the issue time: eviction reads ages without opening files.
          await file.utimes(association.issued, association.issued);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(temp, this.#associationFile(opEndpoint, association.handle));
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        throw error;
      }
      await this.#evict(this.#serverDir(opEndpoint));
    });
  }

  /**
   * Beyond the cap, removes the oldest associations (by modification time,
   * which is set to the issue time).
   * Once over, it goes down to 90% of the cap, so the directory is scanned
   * and its files inspected once per tenth of the cap, not on every store.
   */
  async #evict(dir: string): Promise<void> {
    const cap = this.#clock.maxAssociationsPerServer;
    const files = await this.#associationFiles(dir);
    if (files.length <= cap) return;
    const aged = await Promise.all(files.map(async (path) => ({ path, mtime: (await stat(path).catch(() => undefined))?.mtimeMs ?? 0 })));
    aged.sort((a, b) => a.mtime - b.mtime || (a.path < b.path ? -1 : 1));
    const keep = evictionTarget(cap);
    for (const { path } of aged.slice(0, aged.length - keep)) await rm(path, { force: true });
  }

  /** The association in a final file; undefined when the file does not exist (any more). */
  async #read(path: string): Promise<Association | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return Association.deserialize(text);
    } catch (cause) {
      // Final files are only ever made by rename of a complete, flushed file.
      throw new StoreError(`The association file ${path} is damaged`, { cause });
    }
  }

  async getAssociation(opEndpoint: string, handle?: string): Promise<Association | undefined> {
    if (handle !== undefined && !isValidHandle(handle)) return undefined;
    return guard('getAssociation', async () => {
      await this.#init();
      const now = this.#clock.seconds();
      if (handle !== undefined) {
        const found = await this.#read(this.#associationFile(opEndpoint, handle));
        return found === undefined || found.isExpired(now) || found.handle !== handle ? undefined : found;
      }
      let newest: Association | undefined;
      for (const path of await this.#associationFiles(this.#serverDir(opEndpoint))) {
        const association = await this.#read(path);
        if (association === undefined || association.isExpired(now)) continue;
        if (newest === undefined || association.issued > newest.issued) newest = association;
      }
      return newest;
    });
  }

  /** Final association files of a server directory (temporary files left out). */
  async #associationFiles(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).filter((name) => name.endsWith('.assoc') && !name.startsWith('.')).map((name) => join(dir, name));
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
  }

  async removeAssociation(opEndpoint: string, handle: string): Promise<boolean> {
    if (!isValidHandle(handle)) return false;
    return guard('removeAssociation', async () => {
      await this.#init();
      try {
        await unlink(this.#associationFile(opEndpoint, handle));
        return true;
      } catch (error) {
        if (errorCode(error) === 'ENOENT') return false;
        throw error;
      }
    });
  }

  async useNonce(opEndpoint: string, timestamp: number, salt: string): Promise<boolean> {
    checkNonceArgs(opEndpoint, timestamp, salt);
    if (!this.#clock.nonceInWindow(timestamp)) return false;
    return guard('useNonce', async () => {
      await this.#init();
      // The timestamp leads the name so cleanup can tell the age without reading.
      const name = `${timestamp}-${hash(JSON.stringify([opEndpoint, timestamp, salt]))}`;
      try {
        const file = await open(join(this.#nonces, name), 'wx', FILE_MODE);
        await file.close();
        return true;
      } catch (error) {
        if (errorCode(error) === 'EEXIST') return false;
        throw error;
      }
    });
  }

  async cleanup(): Promise<{ associations: number; nonces: number }> {
    return guard('cleanup', async () => {
      await this.#init();
      let associations = 0;
      for (const server of await readdir(this.#associations)) {
        associations += await this.#cleanServer(join(this.#associations, server));
      }
      const horizon = this.#clock.nonceHorizon();
      let nonces = 0;
      for (const name of await readdir(this.#nonces)) {
        const timestamp = Number(name.split('-')[0]);
        if (Number.isFinite(timestamp) && timestamp < horizon) {
          await rm(join(this.#nonces, name), { force: true });
          nonces += 1;
        }
      }
      return { associations, nonces };
    });
  }

  /** Removes a server's expired associations and stale temporary files; returns how many associations. */
  async #cleanServer(dir: string): Promise<number> {
    const now = this.#clock.seconds();
    let removed = 0;
    for (const name of await readdir(dir)) {
      const path = join(dir, name);
      if (name.startsWith('.')) {
        const info = await stat(path).catch(() => undefined);
        if (info !== undefined && this.#clock.seconds() * 1000 - info.mtimeMs > TEMP_MAX_AGE_MS) await rm(path, { force: true });
        continue;
      }
      const association = await this.#read(path);
      if (association !== undefined && association.isExpired(now)) {
        await rm(path, { force: true });
        removed += 1;
      }
    }
    return removed;
  }

  /** Nothing stays open between operations. */
  async close(): Promise<void> {
    this.#ready = undefined;
  }
}
