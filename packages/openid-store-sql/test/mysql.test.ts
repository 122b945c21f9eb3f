import type { Pool } from 'mysql2/promise';
import { describeWith, mysqlAvailability, MYSQL_URL } from 'openid-test-helpers';
import { MysqlStore } from '../src/mysql.js';
import { runServerStoreTests } from './server-store.js';

describeWith('MySQL/MariaDB', await mysqlAvailability(), () => {
  runServerStoreTests<Pool>({
    exportName: 'MysqlStore',
    module: 'openid-store-sql/mysql',
    url: MYSQL_URL,
    defaultPort: 3306,
    create: (options) => new MysqlStore(options),
    openPool: async () => (await import('mysql2/promise')).createPool({ uri: MYSQL_URL }),
    // The salt column is binary: read back as text.
    salts: async (pool, tablePrefix) => (await pool.query(`SELECT CAST(salt AS CHAR) AS salt FROM ${tablePrefix}nonces`))[0],
    query: (pool, sql) => pool.query(sql),
    endPool: (pool) => pool.end(),
  });
});
