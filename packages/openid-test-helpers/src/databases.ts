/**
 * The database servers the store tests run against, with availability
 * probes for `describeWith`.
 */
import { connect } from 'node:net';
import type { Availability } from './services.js';

export const POSTGRES_URL = process.env.OPENID_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = process.env.OPENID_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';
export const REDIS_URL = process.env.OPENID_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** Whether something accepts TCP connections at the URL's host and port. */
export function tcpAvailability(url: string, defaultPort: number, name: string): Promise<Availability> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort) });
    const done = (availability: Availability): void => {
      socket.destroy();
      resolve(availability);
    };
    socket.setTimeout(2000, () => done({ ok: false, reason: `${name} at ${hostname}:${port || defaultPort} did not answer` }));
    socket.once('connect', () => done({ ok: true }));
    socket.once('error', (error) => done({ ok: false, reason: `${name} at ${hostname}:${port || defaultPort} is unreachable (${error.message})` }));
  });
}

export const postgresAvailability = (): Promise<Availability> => tcpAvailability(POSTGRES_URL, 5432, 'PostgreSQL');
export const mysqlAvailability = (): Promise<Availability> => tcpAvailability(MYSQL_URL, 3306, 'MySQL/MariaDB');
export const redisAvailability = (): Promise<Availability> => tcpAvailability(REDIS_URL, 6379, 'Redis');

/** A unique, valid table or key prefix for one test run. */
export function uniquePrefix(stem: string): string {
  return `${stem}_${process.pid}_${Math.random().toString(36).slice(2, 8)}_`;
}

/** The same connection URL pointed at another port on 127.0.0.1 (a proxy, or a port where nothing listens). */
export function urlWithPort(url: string, port: number): string {
  const copy = new URL(url);
  copy.hostname = '127.0.0.1';
  copy.port = String(port);
  return copy.href;
}
