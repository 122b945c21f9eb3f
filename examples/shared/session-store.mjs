// Sessions in the same backend as the OpenID store, chosen by the same
// OPENID_STORE_URL: SQLite in the data directory by default, else PostgreSQL
// (connect-pg-simple), MySQL/MariaDB (express-mysql-session) or Redis
// (connect-redis). A restart keeps sign-ins, and instances sharing the
// backend share them.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const require = createRequire(import.meta.url);

/** better-sqlite3-session-store, with its clean-up timer unref'd and stopped on close (the package never stops it). */
function sqliteSessions(session, dataDir) {
  const Base = require('better-sqlite3-session-store')(session);
  class SqliteSessionStore extends Base {
    startInterval() {
      this.cleanup = setInterval(() => this.clearExpiredSessions(), this.expired.intervalMs);
      this.cleanup.unref();
    }
  }
  const db = new Database(join(dataDir, 'sessions.db'));
  db.pragma('journal_mode = WAL');
  const store = new SqliteSessionStore({ client: db });
  return { store, close: async () => { clearInterval(store.cleanup); db.close(); } };
}

async function postgresSessions(session, url, table) {
  const { default: pg } = await import('pg');
  const connectPg = require('connect-pg-simple');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  // Our own CREATE: the package's table.sql names its primary key "session_pkey" whatever the table, so two prefixed tables would collide.
  await pool.query(`CREATE TABLE IF NOT EXISTS ${table} (sid VARCHAR NOT NULL PRIMARY KEY, sess JSON NOT NULL, expire TIMESTAMP(6) NOT NULL)`);
  await pool.query(`CREATE INDEX IF NOT EXISTS ${table}_expire ON ${table} (expire)`);
  const Store = connectPg(session);
  const store = new Store({ pool, tableName: table, pruneSessionInterval: false });
  return { store, close: async () => { await store.close(); await pool.end(); } };
}

async function mysqlSessions(session, url, table) {
  const MySQLStore = require('express-mysql-session')(session);
  const parsed = new URL(url);
  const store = new MySQLStore({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: parsed.pathname.slice(1),
    clearExpired: true,
    schema: { tableName: table },
  });
  // Its table is created in the background; writes before that would be lost.
  await store.onReady();
  return { store, close: () => store.close() };
}

async function redisSessions(url, prefix) {
  const { createClient } = await import('redis');
  const { RedisStore } = await import('connect-redis');
  const client = createClient({ url });
  client.on('error', (error) => console.error(`Session store (Redis): ${error.message}`));
  await client.connect();
  const store = new RedisStore({ client, prefix: `${prefix}sess:` });
  return { store, close: async () => { await client.quit(); } };
}

/**
 * @param {typeof import('express-session')} session the express-session module
 * @param {{ storeUrl?: string, dataDir: string, prefix?: string }} options `prefix` names the table (`<prefix>sessions`) or the Redis keys
 * @returns {Promise<{ store: import('express-session').Store, close: () => Promise<void> }>}
 */
export async function createSessionStore(session, { storeUrl, dataDir, prefix = 'example_' }) {
  if (!/^[a-z_][a-z0-9_]*$/i.test(prefix)) throw new Error(`Session table prefix ${prefix} is not a plain identifier`);
  if (storeUrl === undefined || storeUrl === '') return sqliteSessions(session, dataDir);
  if (storeUrl.startsWith('postgres')) return postgresSessions(session, storeUrl, `${prefix}sessions`);
  if (storeUrl.startsWith('mysql')) return mysqlSessions(session, storeUrl, `${prefix}sessions`);
  if (storeUrl.startsWith('redis')) return redisSessions(storeUrl, prefix);
  throw new Error(`Unsupported OPENID_STORE_URL ${storeUrl}`);
}
