/**
 * A store in a directory, for one machine without a database. Several
 * processes may share the directory.
 *
 * - Associations: one file per (server URL, handle), named by hashes (safe
 *   whatever the URL or handle holds), written to a temporary file, flushed
 *   and renamed into place, so a crash mid-write leaves either the old file
 *   or the new one, never half of one. Temporary files start with `.` and
 *   are ignored by reads and removed by cleanup.
 * - Nonces: one empty file per nonce, created with O_EXCL (`wx`), so exactly
 *   one process can create it: the file system is the lock.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Association } from '../association.js';
import { StoreError } from '../errors.js';
import { checkNonceArgs, guard, serverKey, StoreClock, type OpenIDStore, type StoreTimeOptions } from './store.js';

export interface FileStoreOptions extends StoreTimeOptions {
  /** The directory; created when missing. */
  directory: string;
}

const hash = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const TEMP_MAX_AGE_MS = 60 * 60 * 1000;

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export class FileStore implements OpenIDStore {
  readonly #clock: StoreClock;
  readonly #associations: string;
  readonly #nonces: string;
  #ready: Promise<void> | undefined;

  constructor(options: FileStoreOptions) {
    if (typeof options?.directory !== 'string' || options.directory === '') throw new TypeError('FileStore needs a directory');
    this.#clock = new StoreClock(options);
    this.#associations = join(options.directory, 'associations');
    this.#nonces = join(options.directory, 'nonces');
  }

  #init(): Promise<void> {
    this.#ready ??= Promise.all([mkdir(this.#associations, { recursive: true }), mkdir(this.#nonces, { recursive: true })]).then(
      () => undefined,
      (error: unknown) => {
        this.#ready = undefined;
        throw error;
      },
    );
    return this.#ready;
  }

  #serverDir(serverUrl: string): string {
    return join(this.#associations, serverKey(serverUrl));
  }

  async storeAssociation(serverUrl: string, association: Association): Promise<void> {
    await guard('storeAssociation', async () => {
      await this.#init();
      const dir = this.#serverDir(serverUrl);
      await mkdir(dir, { recursive: true });
      const target = join(dir, `${hash(association.handle)}.assoc`);
      const temp = join(dir, `.${randomBytes(8).toString('hex')}.tmp`);
      const file = await open(temp, 'wx', 0o600);
      try {
        await file.writeFile(association.serialize(), 'utf8');
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temp, target);
    });
  }

  async #read(path: string): Promise<Association | undefined> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    try {
      return Association.deserialize(text);
    } catch (cause) {
      // Renames are atomic, so a corrupt file is damage from outside: a fault, never "not found".
      throw new StoreError(`The association file ${path} is corrupt`, { cause });
    }
  }

  async getAssociation(serverUrl: string, handle?: string): Promise<Association | undefined> {
    return guard('getAssociation', async () => {
      await this.#init();
      const now = this.#clock.seconds();
      const dir = this.#serverDir(serverUrl);
      if (handle !== undefined) {
        const found = await this.#read(join(dir, `${hash(handle)}.assoc`));
        return found === undefined || found.isExpired(now) || found.handle !== handle ? undefined : found;
      }
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      let newest: Association | undefined;
      for (const name of names.filter((entry) => entry.endsWith('.assoc'))) {
        const association = await this.#read(join(dir, name));
        if (association === undefined || association.isExpired(now)) continue;
        if (newest === undefined || association.issued > newest.issued) newest = association;
      }
      return newest;
    });
  }

  async removeAssociation(serverUrl: string, handle: string): Promise<boolean> {
    return guard('removeAssociation', async () => {
      await this.#init();
      try {
        await unlink(join(this.#serverDir(serverUrl), `${hash(handle)}.assoc`));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    });
  }

  async useNonce(serverUrl: string, timestamp: number, salt: string): Promise<boolean> {
    checkNonceArgs(serverUrl, timestamp, salt);
    if (!this.#clock.nonceInWindow(timestamp)) return false;
    return guard('useNonce', async () => {
      await this.#init();
      // The timestamp leads the name so cleanup can tell the age without reading.
      const name = `${Math.floor(timestamp)}-${hash(JSON.stringify([serverUrl, timestamp, salt]))}`;
      try {
        const file = await open(join(this.#nonces, name), 'wx', 0o600);
        await file.close();
        return true;
      } catch (error) {
        if ((error as NodeJS.ErrnoException)?.code === 'EEXIST') return false;
        throw error;
      }
    });
  }

  async cleanup(): Promise<{ associations: number; nonces: number }> {
    return guard('cleanup', async () => {
      await this.#init();
      const now = this.#clock.seconds();
      let associations = 0;
      for (const server of await readdir(this.#associations)) {
        const dir = join(this.#associations, server);
        for (const name of await readdir(dir)) {
          const path = join(dir, name);
          if (name.startsWith('.')) {
            const info = await stat(path).catch(() => undefined);
            if (info !== undefined && now * 1000 - info.mtimeMs > TEMP_MAX_AGE_MS) await rm(path, { force: true });
            continue;
          }
          const association = await this.#read(path);
          if (association !== undefined && association.isExpired(now)) {
            await rm(path, { force: true });
            associations += 1;
          }
        }
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

  async close(): Promise<void> {
    // Nothing stays open between operations.
  }
}
