/**
 * SQLite through better-sqlite3 (an optional peer dependency, loaded on
 * first use). better-sqlite3 is synchronous; statements are short and the
 * database local, so each call blocks for microseconds. WAL mode and a busy
 * timeout let several processes share the file.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { checkConnection, type Dialect, type QueryResult } from './dialect.js';
import { SqlStore, type SqlStoreOptions } from './sql-store.js';

/** Options of {@link SqliteStore}: exactly one of `filename` and `database`, then the table prefix and the store's clock settings. */
export interface SqliteStoreOptions extends SqlStoreOptions {
  /** A database file (created when missing), or ':memory:'. @default undefined (give `database` instead) */
  filename?: string;
  /** An open better-sqlite3 database; the store will not close it. @default undefined (give `filename` instead) */
  database?: BetterSqlite3.Database;
  /** How long to wait for another process's write lock, in milliseconds. @default 5000 */
  busyTimeoutMs?: number;
}

async function openDatabase(options: SqliteStoreOptions): Promise<{ db: BetterSqlite3.Database; owned: boolean }> {
  if (options.database !== undefined) return { db: options.database, owned: false };
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(options.filename, { timeout: options.busyTimeoutMs ?? 5000 });
  db.pragma('journal_mode = WAL');
  return { db, owned: true };
}

class SqliteDialect implements Dialect {
  readonly name = 'sqlite' as const;
  readonly #opened: Promise<{ db: BetterSqlite3.Database; owned: boolean }>;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  constructor(options: SqliteStoreOptions) {
    checkConnection('SqliteStore', { ...options }, ['filename', 'database']);
    this.#opened = openDatabase(options);
    // Reported by the first query instead of as an unhandled rejection.
    this.#opened.catch(() => undefined);
  }

  async query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    const { db } = await this.#opened;
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      if (!sql.startsWith('CREATE') && !sql.startsWith('DROP')) this.#statements.set(sql, statement);
    }
    if (statement.reader) return { rows: statement.all(...params) as Array<Record<string, unknown>>, affected: 0 };
    return { rows: [], affected: statement.run(...params).changes };
  }

  schema(associations: string, nonces: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${associations} (server_key TEXT NOT NULL, server_url TEXT NOT NULL, handle TEXT NOT NULL, secret BLOB NOT NULL, issued INTEGER NOT NULL, lifetime INTEGER NOT NULL, assoc_type TEXT NOT NULL, expires_at INTEGER NOT NULL, PRIMARY KEY (server_key, handle))`,
      `CREATE TABLE IF NOT EXISTS ${nonces} (server_key TEXT NOT NULL, ts INTEGER NOT NULL, salt TEXT NOT NULL, PRIMARY KEY (server_key, ts, salt))`,
      `CREATE INDEX IF NOT EXISTS ${nonces}_ts ON ${nonces} (ts)`,
      `CREATE INDEX IF NOT EXISTS ${associations}_issued ON ${associations} (server_key, issued)`,
    ];
  }

  upsertAssociation(table: string): string {
    return `INSERT OR REPLACE INTO ${table} (server_key, server_url, handle, secret, issued, lifetime, assoc_type, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
  }

  insertNonce(table: string): string {
    return `INSERT OR IGNORE INTO ${table} (server_key, ts, salt) VALUES (?, ?, ?)`;
  }

  isDuplicate(): boolean {
    return false;
  }

  isCreateRace(): boolean {
    return false;
  }

  async close(): Promise<void> {
    this.#statements.clear();
    const { db, owned } = await this.#opened.catch(() => ({ db: undefined, owned: false }));
    if (owned && db !== undefined) db.close();
  }
}

/**
 * An association and nonce store in an SQLite file, shared by the processes
 * of one machine.
 *
 * ```ts
 * const store = new SqliteStore({ filename: '/var/lib/openid/store.db' });
 * ```
 * @throws OpenIDConfigError without exactly one of `filename` and `database`, or for a bad `tablePrefix`
 */
export class SqliteStore extends SqlStore {
  constructor(options: SqliteStoreOptions) {
    super(new SqliteDialect(options), options);
  }
}
