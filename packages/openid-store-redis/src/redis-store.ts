/**
 * A Redis store (ioredis). Nonces are `SET key 1 EX <ttl> NX`; each
 * association is its own key expiring with it, listed in a per-server sorted
 * set scored by issue time for "newest" look-ups.
 *
 * Redis Cluster: all keys of one server share a hash tag (`{<server key>}`),
 * so the multi-key operations of a server stay in one slot. Pass a
 * `new Redis.Cluster([...])` instance as `client`.
 */
import { Association, StoreClock, StoreError, checkNonceArgs, serverKey, type OpenIDStore, type StoreTimeOptions } from 'openid-core';
import type { Cluster, Redis, RedisOptions } from 'ioredis';

export interface RedisStoreOptions extends StoreTimeOptions {
  /** A connection URL, e.g. `redis://127.0.0.1:6379/0`. */
  url?: string;
  /** An existing client (Redis or Cluster); the store will not close it. */
  client?: Redis | Cluster;
  /** Prefix of every key. @default 'openid:' */
  keyPrefix?: string;
  /** Connection and command timeouts, in milliseconds. @default 5000 */
  timeoutMs?: number;
  /** Extra ioredis options when the store makes its own client. */
  redisOptions?: RedisOptions;
}

type Client = Redis | Cluster;

async function openClient(options: RedisStoreOptions): Promise<{ client: Client; owned: boolean }> {
  if (options.client !== undefined) return { client: options.client, owned: false };
  if (options.url === undefined) throw new TypeError('RedisStore needs a url or a client');
  const { Redis: RedisClient } = await import('ioredis');
  const timeout = options.timeoutMs ?? 5000;
  const client = new RedisClient(options.url, {
    connectTimeout: timeout,
    commandTimeout: timeout,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options.redisOptions,
  });
  // Connection errors surface through the failing commands.
  client.on('error', () => undefined);
  return { client, owned: true };
}

export class RedisStore implements OpenIDStore {
  readonly #opened: Promise<{ client: Client; owned: boolean }>;
  readonly #clock: StoreClock;
  readonly #prefix: string;

  constructor(options: RedisStoreOptions) {
    this.#clock = new StoreClock(options);
    this.#prefix = options.keyPrefix ?? 'openid:';
    this.#opened = openClient(options);
    this.#opened.catch(() => undefined);
  }

  #keys(serverUrl: string): { list: string; association: (handle: string) => string } {
    const tag = `${this.#prefix}{${serverKey(serverUrl)}}`;
    return { list: `${tag}:handles`, association: (handle) => `${tag}:a:${handle}` };
  }

  async #run<T>(operation: string, work: (client: Client) => Promise<T>): Promise<T> {
    try {
      const { client } = await this.#opened;
      return await work(client);
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw new StoreError(`redis store: ${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    }
  }

  storeAssociation(serverUrl: string, association: Association): Promise<void> {
    return this.#run('storeAssociation', async (client) => {
      const keys = this.#keys(serverUrl);
      const ttl = association.expiresIn(this.#clock.seconds());
      if (ttl <= 0) return;
      await client
        .multi()
        .set(keys.association(association.handle), association.serialize(), 'EX', ttl)
        .zadd(keys.list, association.issued, association.handle)
        .expire(keys.list, Math.max(ttl, 60 * 60 * 24 * 14))
        .exec()
        .then((results) => {
          const failed = results?.find(([error]) => error !== null);
          if (failed) throw failed[0];
        });
    });
  }

  #parse(text: string | null): Association | undefined {
    if (text === null) return undefined;
    const association = Association.deserialize(text);
    return association.isExpired(this.#clock.seconds()) ? undefined : association;
  }

  getAssociation(serverUrl: string, handle?: string): Promise<Association | undefined> {
    return this.#run('getAssociation', async (client) => {
      const keys = this.#keys(serverUrl);
      if (handle !== undefined) return this.#parse(await client.get(keys.association(handle)));
      const handles = await client.zrevrange(keys.list, 0, -1);
      for (const candidate of handles) {
        const found = this.#parse(await client.get(keys.association(candidate)));
        if (found !== undefined) return found;
        // Expired by Redis already: forget it.
        await client.zrem(keys.list, candidate);
      }
      return undefined;
    });
  }

  removeAssociation(serverUrl: string, handle: string): Promise<boolean> {
    return this.#run('removeAssociation', async (client) => {
      const keys = this.#keys(serverUrl);
      const removed = await client.del(keys.association(handle));
      await client.zrem(keys.list, handle);
      return removed > 0;
    });
  }

  async useNonce(serverUrl: string, timestamp: number, salt: string): Promise<boolean> {
    checkNonceArgs(serverUrl, timestamp, salt);
    if (!this.#clock.nonceInWindow(timestamp)) return false;
    return this.#run('useNonce', async (client) => {
      // Kept until the timestamp leaves the skew window, plus a margin.
      const ttl = Math.max(1, Math.ceil(timestamp + this.#clock.skewSeconds - this.#clock.seconds()) + 60);
      const key = `${this.#prefix}{n:${serverKey(serverUrl)}}:${Math.floor(timestamp)}:${salt}`;
      return (await client.set(key, '1', 'EX', ttl, 'NX')) === 'OK';
    });
  }

  /**
   * Redis expires keys by itself (nonces included, so `nonces` is always 0);
   * cleanup removes associations expired by the store's clock and prunes the
   * per-server lists.
   */
  cleanup(): Promise<{ associations: number; nonces: number }> {
    return this.#run('cleanup', async (client) => {
      let associations = 0;
      const nodes = 'nodes' in client ? client.nodes('master') : [client];
      for (const node of nodes) {
        let cursor = '0';
        do {
          const [next, lists] = await node.scan(cursor, 'MATCH', `${this.#prefix}{*}:handles`, 'COUNT', 200);
          cursor = next;
          for (const list of lists) associations += await this.#pruneList(node, list);
        } while (cursor !== '0');
      }
      return { associations, nonces: 0 };
    });
  }

  async #pruneList(node: Redis, list: string): Promise<number> {
    const prefix = list.slice(0, -':handles'.length);
    let removed = 0;
    for (const handle of await node.zrange(list, 0, -1)) {
      const key = `${prefix}:a:${handle}`;
      const text = await node.get(key);
      if (text !== null && this.#parse(text) !== undefined) continue;
      await node.del(key);
      await node.zrem(list, handle);
      removed += 1;
    }
    return removed;
  }

  async close(): Promise<void> {
    const opened = await this.#opened.catch(() => undefined);
    if (opened?.owned === true) opened.client.disconnect();
  }
}
