/**
 * PostgreSQL through pg (an optional peer dependency, loaded on first use).
 */
import type { Pool, PoolConfig } from 'pg';
import { checkConnection, type Dialect, type QueryResult } from './dialect.js';
import { SqlStore, type SqlStoreOptions } from './sql-store.js';

/** Options of {@link PostgresStore}: `url` or `pool`. */
export interface PostgresStoreOptions extends SqlStoreOptions {
  /** A connection URL, e.g. `postgres://user@host:5432/db`. @default undefined (give `pool` instead) */
  url?: string;
  /** An existing pool; the store will not end it. @default undefined (give `url` instead) */
  pool?: Pool;
  /** Extra pool settings when the store makes its own pool from `url` (ignored with `pool`). @default {} */
  poolConfig?: PoolConfig;
  /** Connection and query timeouts, in milliseconds: a fault surfaces within this bound. @default 5000 */
  timeoutMs?: number;
}

/** `?` placeholders to `$1, $2, ...`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${(n += 1)}`);
}

async function openPool(options: PostgresStoreOptions): Promise<{ pool: Pool; owned: boolean }> {
  if (options.pool !== undefined) return { pool: options.pool, owned: false };
  const { default: pg } = await import('pg');
  const timeout = options.timeoutMs ?? 5000;
  const pool = new pg.Pool({
    connectionString: options.url,
    connectionTimeoutMillis: timeout,
    query_timeout: timeout,
    statement_timeout: timeout,
    max: 10,
    ...options.poolConfig,
  });
  // An idle client losing its connection must not crash the process; the
  // next query reports the fault.
  pool.on('error', () => undefined);
  return { pool, owned: true };
}

class PostgresDialect implements Dialect {
  readonly name = 'postgres' as const;
  readonly #opened: Promise<{ pool: Pool; owned: boolean }>;

  constructor(options: PostgresStoreOptions) {
    checkConnection('PostgresStore', { ...options }, ['url', 'pool']);
    this.#opened = openPool(options);
    this.#opened.catch(() => undefined);
  }

  async query(sql: string, params: readonly unknown[]): Promise<QueryResult> {
    const { pool } = await this.#opened;
    const result = await pool.query(numbered(sql), params as unknown[]);
    return { rows: result.rows as Array<Record<string, unknown>>, affected: result.rowCount ?? 0 };
  }

  schema(associations: string, nonces: string): string[] {
    return [
      `CREATE TABLE IF NOT EXISTS ${associations} (server_key CHAR(64) NOT NULL, server_url TEXT NOT NULL, handle TEXT NOT NULL, secret BYTEA NOT NULL, issued BIGINT NOT NULL, lifetime BIGINT NOT NULL, assoc_type VARCHAR(16) NOT NULL, expires_at BIGINT NOT NULL, PRIMARY KEY (server_key, handle))`,
      `CREATE TABLE IF NOT EXISTS ${nonces} (server_key CHAR(64) NOT NULL, ts BIGINT NOT NULL, salt TEXT NOT NULL, PRIMARY KEY (server_key, ts, salt))`,
      `CREATE INDEX IF NOT EXISTS ${nonces}_ts ON ${nonces} (ts)`,
      `CREATE INDEX IF NOT EXISTS ${associations}_issued ON ${associations} (server_key, issued)`,
    ];
  }

  upsertAssociation(table: string): string {
    return `INSERT INTO ${table} (server_key, server_url, handle, secret, issued, lifetime, assoc_type, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (server_key, handle) DO UPDATE SET secret = EXCLUDED.secret, issued = EXCLUDED.issued, lifetime = EXCLUDED.lifetime, assoc_type = EXCLUDED.assoc_type, expires_at = EXCLUDED.expires_at`;
  }

  insertNonce(table: string): string {
    return `INSERT INTO ${table} (server_key, ts, salt) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`;
  }

  isDuplicate(error: unknown): boolean {
    return (error as { code?: string })?.code === '23505';
  }

  isCreateRace(error: unknown): boolean {
    const code = (error as { code?: string })?.code;
    // 23505: the pg_type unique index (older servers); 42P07: duplicate table;
    // 42710: duplicate object ('type "…" already exists', newer servers).
    return code === '23505' || code === '42P07' || code === '42710';
  }

  async close(): Promise<void> {
    const opened = await this.#opened.catch(() => undefined);
    if (opened?.owned === true) await opened.pool.end();
  }
}

/**
 * An association and nonce store in PostgreSQL (9.5+: `ON CONFLICT`).
 *
 * ```ts
 * const store = new PostgresStore({ url: 'postgres://openid@db.internal/openid' });
 * ```
 * @throws OpenIDConfigError without exactly one of `url` and `pool`, or for a bad `tablePrefix`
 */
export class PostgresStore extends SqlStore {
  constructor(options: PostgresStoreOptions) {
    super(new PostgresDialect(options), options);
  }
}
