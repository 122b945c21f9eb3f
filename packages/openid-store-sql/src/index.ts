export { SqlStore, type SqlStoreOptions } from './sql-store.js';
export { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
export { PostgresStore, type PostgresStoreOptions } from './postgres.js';
export { MysqlStore, type MysqlStoreOptions } from './mysql.js';
export type { Dialect, QueryResult } from './dialect.js';
