// The association and nonce store: SQLite by default, or the database OPENID_STORE_URL names.
import { join } from 'node:path';
import { SqliteStore } from 'openid-store-sql/sqlite';
import { PostgresStore } from 'openid-store-sql/postgres';
import { MysqlStore } from 'openid-store-sql/mysql';

/**
 * @param {{ storeUrl?: string, dataDir: string, prefix?: string }} options `prefix` keeps tests' tables and keys apart
 */
export async function makeStore({ storeUrl, dataDir, prefix }) {
  const tables = prefix === undefined ? {} : { tablePrefix: `${prefix}openid_` };
  if (storeUrl === undefined || storeUrl === '') return new SqliteStore({ filename: join(dataDir, 'openid-store.db') });
  if (storeUrl.startsWith('postgres')) return new PostgresStore({ url: storeUrl, ...tables });
  if (storeUrl.startsWith('mysql')) return new MysqlStore({ url: storeUrl, ...tables });
  if (storeUrl.startsWith('redis')) {
    const { RedisStore } = await import('openid-store-redis');
    return new RedisStore({ url: storeUrl, ...(prefix === undefined ? {} : { keyPrefix: `${prefix}openid:` }) });
  }
  throw new Error(`Unsupported OPENID_STORE_URL ${storeUrl}`);
}
