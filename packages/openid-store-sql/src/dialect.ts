/**
 * What the shared SQL store needs from a database: a way to run one
 * statement, and the SQL of its dialect.
 */
import { OpenIDConfigError } from 'openid2-core';

/** What one statement gave back: the rows a SELECT read, or how many rows a write changed. */
export interface QueryResult {
  /** Rows read, as column-name records (empty for a write). */
  rows: Array<Record<string, unknown>>;
  /** Rows inserted, updated or deleted. */
  affected: number;
}

/**
 * A database as {@link SqlStore} uses it: runs statements and writes the SQL
 * that differs between databases. Implement it to put the store on another
 * database or driver; the SQLite, PostgreSQL and MySQL stores are its
 * implementations.
 */
export interface Dialect {
  /** Which database: named in the store's error messages. */
  readonly name: 'sqlite' | 'postgres' | 'mysql';
  /** Runs one statement with `?` placeholders (translated by the dialect where needed). */
  query(sql: string, params: readonly unknown[]): Promise<QueryResult>;
  /** CREATE TABLE statements. */
  schema(associations: string, nonces: string): string[];
  /** Upsert of one association row (server_key, server_url, handle, secret, issued, lifetime, assoc_type, expires_at). */
  upsertAssociation(table: string): string;
  /** Inserts a nonce (server_key, ts, salt); `affected` is 1 when it was new. */
  insertNonce(table: string): string;
  /** Whether an error of `insertNonce` means "already used". */
  isDuplicate(error: unknown): boolean;
  /** Whether an error of table creation means another process created it first. */
  isCreateRace(error: unknown): boolean;
  /** Closes what the store opened itself. */
  close(): Promise<void>;
}

/**
 * Table name prefixes become part of SQL identifiers, unquoted: allow plain
 * identifiers only, short enough for every dialect's name limit with the
 * `associations` suffix (MySQL: 64 characters).
 * @throws OpenIDConfigError
 */
export function checkPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(prefix)) {
    throw new OpenIDConfigError(`must be a letter followed by up to 39 letters, digits or underscores, not ${JSON.stringify(prefix)}`, 'tablePrefix');
  }
  return prefix;
}

/**
 * Checks that exactly one way to reach the database was given.
 * @throws OpenIDConfigError
 */
export function checkConnection(store: string, options: Record<string, unknown>, ways: readonly [string, string]): void {
  const given = ways.filter((way) => options[way] !== undefined);
  if (given.length !== 1) throw new OpenIDConfigError(`${store} needs either ${ways[0]} or ${ways[1]}`, ways.join('|'));
}
