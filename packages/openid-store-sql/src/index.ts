// The driver-independent part. Each store lives on its own subpath
// (`openid-store-sql/sqlite`, `/postgres`, `/mysql`), so that an application's
// types need only the driver it uses (the drivers are optional peers).
export { SqlStore, type SqlStoreOptions } from './sql-store.js';
export type { Dialect, QueryResult } from './dialect.js';
