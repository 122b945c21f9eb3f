import type { Pool } from 'pg';
import { describeWith, postgresAvailability, POSTGRES_URL } from 'openid-test-helpers';
import { PostgresStore } from '../src/postgres.js';
import { runServerStoreTests } from './server-store.js';

describeWith('PostgreSQL', await postgresAvailability(), () => {
  runServerStoreTests<Pool>({
    exportName: 'PostgresStore',
    module: 'openid-store-sql/postgres',
    url: POSTGRES_URL,
    defaultPort: 5432,
    create: (options) => new PostgresStore(options),
    openPool: async () => new (await import('pg')).default.Pool({ connectionString: POSTGRES_URL }),
    salts: async (pool, tablePrefix) => (await pool.query(`SELECT salt FROM ${tablePrefix}nonces`)).rows,
    query: (pool, sql) => pool.query(sql),
    endPool: (pool) => pool.end(),
  });
});
