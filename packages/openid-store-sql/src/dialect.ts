/**
 * What the shared SQL store needs from a database: a way to run one
 * statement, and the SQL of its dialect.
 */

export interface QueryResult {
  rows: Array<Record<string, unknown>>;
  /** Rows inserted, updated or deleted. */
  affected: number;
}

export interface Dialect {
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

/** Table name prefixes are identifiers, never user input: refuse anything else. */
export function checkPrefix(prefix: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,39}$/.test(prefix)) {
    throw new TypeError(`tablePrefix must be a letter followed by up to 39 letters, digits or underscores, not ${JSON.stringify(prefix)}`);
  }
  return prefix;
}
