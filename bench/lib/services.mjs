// The local services the store benchmarks use: whether one answers, and
// cleaning a benchmark's keys out of Redis.
import { connect } from 'node:net';
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.OPENID_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** Whether a TCP connection to the URL's host opens within a second (`defaultPort` when the URL names none). */
export function reachable(url, defaultPort) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port || defaultPort) });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Deletes every Redis key under `prefix` (a whole SCAN, page after page). */
export async function deleteRedisKeys(prefix, url = REDIS_URL) {
  const client = new Redis(url);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await client.del(...keys);
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}
