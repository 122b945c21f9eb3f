/**
 * One store implementation for every SQL database; dialects supply the
 * driver and the SQL that differs.
 *
 * - Tables are created on first use (CREATE TABLE IF NOT EXISTS); several
 *   processes doing so at once is fine (PostgreSQL's duplicate-object errors
 *   from that race are recognised and ignored).
 * - A nonce is one row under a primary key (server, timestamp, salt): the
 *   database decides which of any number of concurrent inserts is first.
 * - Expiry is checked in the WHERE clause of every read, against the store's
 *   clock, so an expired association is never returned before cleanup.
 * - Every failure is wrapped in a StoreError with its cause.
 * - After each association is stored, those of its server beyond
 *   `maxAssociationsPerServer` are deleted, oldest (smallest `issued`) first:
 *   one indexed SELECT finds the first row past the cap, one DELETE removes
 *   it and everything older. Concurrent writers may both delete; the bound
 *   holds either way.
 */
import { Association, OpenIDConfigError, StoreClock, StoreError, checkNonceArgs, isValidHandle, serverKey, type AssociationType, type OpenIDStore, type StoreTimeOptions } from 'openid2-core';
import { checkPrefix, type Dialect } from './dialect.js';

/** Options every SQL store takes. */
export interface SqlStoreOptions extends StoreTimeOptions {
  /** Prefix of the two table names (`<prefix>associations`, `<prefix>nonces`). @default 'openid_' */
  tablePrefix?: string;
  /**
   * The store deletes expired nonces and associations itself: the first
   * `useNonce` after this many seconds since the last sweep runs one (an
   * indexed DELETE of the rows that left the window), so the tables stay
   * at about one window of logins without a cleanup job. `false` leaves it
   * to `cleanup()` calls. @default 60
   */
  sweepSeconds?: number | false;
}

const toNumber = (value: unknown): number => (typeof value === 'bigint' ? Number(value) : Number(value));

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value);
  throw new StoreError('A stored secret has an unexpected type');
}

const toText = (value: unknown): string => (Buffer.isBuffer(value) ? value.toString('utf8') : String(value));

/** The shared SQL implementation of {@link OpenIDStore}; applications use `SqliteStore`, `PostgresStore` or `MysqlStore`. */
export class SqlStore implements OpenIDStore {
  readonly #dialect: Dialect;
  readonly #clock: StoreClock;
  readonly #associations: string;
  readonly #nonces: string;
  readonly #sweepSeconds: number | false;
  #ready: Promise<void> | undefined;
  /** When the last sweep started (store clock, seconds); the first sweep waits one interval. */
  #lastSweep: number;

  /** @throws OpenIDConfigError for a table prefix that is not a plain identifier, bad clock, skew or cap options, or a bad `sweepSeconds` */
  constructor(dialect: Dialect, options: SqlStoreOptions = {}) {
    this.#dialect = dialect;
    this.#clock = new StoreClock(options);
    const sweep = options.sweepSeconds ?? 60;
    if (sweep !== false && (!Number.isSafeInteger(sweep) || sweep < 1)) throw new OpenIDConfigError('must be a whole number of seconds, 1 or more, or false', 'sweepSeconds');
    this.#sweepSeconds = sweep;
    this.#lastSweep = this.#clock.seconds();
    const prefix = checkPrefix(options.tablePrefix ?? 'openid_');
    this.#associations = `${prefix}associations`;
    this.#nonces = `${prefix}nonces`;
  }

  /** The nonce window `useNonce` applies, in seconds (the `skewSeconds` option): a consumer with this store uses the same. */
  get skewSeconds(): number {
    return this.#clock.skewSeconds;
  }

  /** Table names, for tests and migrations. */
  get tables(): { associations: string; nonces: string } {
    return { associations: this.#associations, nonces: this.#nonces };
  }

  async #createTables(): Promise<void> {
    for (const statement of this.#dialect.schema(this.#associations, this.#nonces)) {
      try {
        await this.#dialect.query(statement, []);
      } catch (error) {
        // Two processes creating the same table at once: the loser may see a
        // duplicate-object error even with IF NOT EXISTS (PostgreSQL does).
        if (!this.#dialect.isCreateRace(error)) throw error;
      }
    }
  }

  #init(): Promise<void> {
    this.#ready ??= this.#createTables().catch((error: unknown) => {
      this.#ready = undefined;
      throw error;
    });
    return this.#ready;
  }

  async #run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      await this.#init();
      return await work();
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw new StoreError(`${this.#dialect.name} store: ${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
  }

  storeAssociation(opEndpoint: string, association: Association): Promise<void> {
    return this.#run('storeAssociation', async () => {
      await this.#dialect.query(this.#dialect.upsertAssociation(this.#associations), [
        serverKey(opEndpoint),
        opEndpoint,
        association.handle,
        association.secret,
        association.issued,
        association.lifetime,
        association.assocType,
        association.expiresAt,
      ]);
      await this.#evict(serverKey(opEndpoint));
    });
  }

  /** Deletes a server's associations beyond the cap, oldest first. */
  async #evict(key: string): Promise<void> {
    const { rows } = await this.#dialect.query(
      `SELECT issued, handle FROM ${this.#associations} WHERE server_key = ? ORDER BY issued DESC, handle DESC LIMIT 1 OFFSET ${this.#clock.maxAssociationsPerServer}`,
      [key],
    );
    const first = rows[0];
    if (first === undefined) return;
    const issued = toNumber(first.issued);
    await this.#dialect.query(`DELETE FROM ${this.#associations} WHERE server_key = ? AND (issued < ? OR (issued = ? AND handle <= ?))`, [
      key,
      issued,
      issued,
      first.handle,
    ]);
  }

  async getAssociation(opEndpoint: string, handle?: string): Promise<Association | undefined> {
    if (handle !== undefined && !isValidHandle(handle)) return undefined;
    return this.#run('getAssociation', async () => {
      const columns = 'handle, secret, issued, lifetime, assoc_type';
      const now = this.#clock.seconds();
      const { rows } =
        handle === undefined
          ? await this.#dialect.query(
              `SELECT ${columns} FROM ${this.#associations} WHERE server_key = ? AND expires_at > ? ORDER BY issued DESC LIMIT 1`,
              [serverKey(opEndpoint), now],
            )
          : await this.#dialect.query(
              `SELECT ${columns} FROM ${this.#associations} WHERE server_key = ? AND handle = ? AND expires_at > ?`,
              [serverKey(opEndpoint), handle, now],
            );
      const row = rows[0];
      if (row === undefined) return undefined;
      return new Association({
        handle: toText(row.handle),
        secret: toBuffer(row.secret),
        issued: toNumber(row.issued),
        lifetime: toNumber(row.lifetime),
        assocType: toText(row.assoc_type) as AssociationType,
      });
    });
  }

  async removeAssociation(opEndpoint: string, handle: string): Promise<boolean> {
    if (!isValidHandle(handle)) return false;
    return this.#run('removeAssociation', async () => {
      const { affected } = await this.#dialect.query(`DELETE FROM ${this.#associations} WHERE server_key = ? AND handle = ?`, [serverKey(opEndpoint), handle]);
      return affected > 0;
    });
  }

  async useNonce(opEndpoint: string, timestamp: number, salt: string): Promise<boolean> {
    checkNonceArgs(opEndpoint, timestamp, salt);
    if (!this.#clock.nonceInWindow(timestamp)) return false;
    return this.#run('useNonce', async () => {
      let fresh: boolean;
      try {
        const { affected } = await this.#dialect.query(this.#dialect.insertNonce(this.#nonces), [serverKey(opEndpoint), Math.floor(timestamp), salt]);
        fresh = affected === 1;
      } catch (error) {
        if (this.#dialect.isDuplicate(error)) return false;
        throw error;
      }
      await this.#sweepWhenDue();
      return fresh;
    });
  }

  /**
   * Runs cleanup once per `sweepSeconds`, from the nonce insert that finds
   * it due (amortized: one login per interval waits for one indexed DELETE).
   * The nonce is recorded by then, so a failed sweep does not fail the
   * login; the next interval tries again, and `cleanup()` reports faults.
   */
  async #sweepWhenDue(): Promise<void> {
    if (this.#sweepSeconds === false || this.#clock.seconds() - this.#lastSweep < this.#sweepSeconds) return;
    this.#lastSweep = this.#clock.seconds();
    await this.cleanup().catch(() => undefined);
  }

  cleanup(): Promise<{ associations: number; nonces: number }> {
    return this.#run('cleanup', async () => {
      const associations = await this.#dialect.query(`DELETE FROM ${this.#associations} WHERE expires_at <= ?`, [this.#clock.seconds()]);
      const nonces = await this.#dialect.query(`DELETE FROM ${this.#nonces} WHERE ts < ?`, [this.#clock.nonceHorizon()]);
      return { associations: associations.affected, nonces: nonces.affected };
    });
  }

  /** Drops both tables (tests, uninstall). */
  dropTables(): Promise<void> {
    return this.#run('dropTables', async () => {
      await this.#dialect.query(`DROP TABLE IF EXISTS ${this.#associations}`, []);
      await this.#dialect.query(`DROP TABLE IF EXISTS ${this.#nonces}`, []);
      this.#ready = undefined;
    });
  }

  async close(): Promise<void> {
    await this.#dialect.close();
  }
}
