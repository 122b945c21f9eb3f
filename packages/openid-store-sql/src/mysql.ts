/**
 * MySQL and MariaDB through mysql2 (an optional peer dependency, loaded on
 * first use). Handles and salts are stored as binary strings, so that
 * comparisons are exact whatever the server's default collation.
 */
import type { Pool, PoolOptions, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { checkConnection, type Dialect, type QueryResult } from './dialect.js';
import { SqlStore, type SqlStoreOptions } from './sql-store.js';

/** Options of {@link MysqlStore}: `url` or `pool`. */
export interface MysqlStoreOptions extends SqlStoreOptions {
  /** A connection URL, e.g. `mysql://user@host:3306/db`. @default undefined (give `pool` instead) */
  url?: string;
  /** An existing mysql2/promise pool; the store will not end it. @default undefined (give `url` instead) */
  pool?: Pool;
  /** Extra pool settings when the store makes its own pool from `url` (ignored with `pool`). @default {} */
  poolOptions?: PoolOptions;
  /** Connection and query timeouts, in milliseconds. @default 5000 */
  timeoutMs?: number;
}

async function openPool(options: MysqlStoreOptions): Promise<{ pool: Pool; owned: boolean }> {
  if (options.pool !== undefined) return { pool: options.pool, owned: false };
  const mysql = await import('mysql2/promise');
  const pool = mysql.createPool({ uri: options.url, connectTimeout: options.timeoutMs ?? 5000, connectionLimit: 10, ...options.poolOptions });
  return { pool, owned: true };
}

class MysqlDialect implements Dialect {
  readonly name = 'mysql' as const;
  readonly #opened: Promise<{ pool: Pool; owned: boolean }>;
  readonly #timeoutMs: number;

  constructor(options: MysqlStoreOptions) {
    this.#timeoutMs = options.timeoutMs ?? 5000;
    checkConnection('MysqlStore', { ...options }, ['url', 'pool']);
    this.#opened = openPool(options);
    this.#opened.catch(() => undefined);
  }

  async query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    const { pool } = await this.#opened;
    const [result] = await pool.query({ sql, values: params as unknown[], timeout: this.#timeoutMs });
    if (Array.isArray(result)) return { rows: result as RowDataPacket[], affected: 0 };
    return { rows: [], affected: (result as ResultSetHeader).affectedRows };
  }

  schema(associations: string, nonces: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${associations} (server_key CHAR(64) NOT NULL, server_url TEXT NOT NULL, handle VARBINARY(255) NOT NULL, secret VARBINARY(64) NOT NULL, issued BIGINT NOT NULL, lifetime BIGINT NOT NULL, assoc_type VARCHAR(16) NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (server_key, handle), KEY ${associations}_issued (server_key, issued)) ENGINE=InnoDB`,
      `CREATE TABLE IF NOT EXISTS ${nonces} (server_key CHAR(64) NOT NULL, ts BIGINT NOT NULL, salt VARBINARY(255) NOT NULL, PRIMARY KEY (server_key, ts, salt), KEY ${nonces}_ts (ts)) ENGINE=InnoDB`,
    ];
  }

  upsertAssociation(table: string): string {
    return `INSERT INTO ${table} (server_key, server_url, handle, secret, issued, lifetime, assoc_type, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON DUPLICATE KEY UPDATE secret = VALUES(secret), issued = VALUES(issued), lifetime = VALUES(lifetime), assoc_type = VALUES(assoc_type), expires_at = VALUES(expires_at)`;
  }

  insertNonce(table: string): string {
    // A plain INSERT: INSERT IGNORE would also turn truncation errors into warnings.
    return `INSERT INTO ${table} (server_key, ts, salt) VALUES (?, ?, ?)`;
  }

  isDuplicate(error: unknown): boolean {
    return (error as { code?: string })?.code === 'ER_DUP_ENTRY';
  }

  isCreateRace(error: unknown): boolean {
    return (error as { code?: string })?.code === 'ER_TABLE_EXISTS_ERROR';
  }

  async close(): Promise<void> {
    const opened = await this.#opened.catch(() => undefined);
    if (opened?.owned === true) await opened.pool.end();
  }
}

/**
 * An association and nonce store in MySQL (5.7+) or MariaDB (10.2+).
 *
 * ```ts
 * const store = new MysqlStore({ url: 'mysql://openid@db.internal/openid' });
 * ```
 * @throws OpenIDConfigError without exactly one of `url` and `pool`, or for a bad `tablePrefix`
 */
export class MysqlStore extends SqlStore {
  constructor(options: MysqlStoreOptions) {
    super(new MysqlDialect(options), options);
  }
}
