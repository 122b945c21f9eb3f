/**
 * A Redis store (ioredis, a peer dependency loaded on first use).
 *
 * - A nonce is `SET <prefix>{n:<server>}:<timestamp>:<salt> 1 EX <ttl> NX`:
 *   Redis runs commands one at a time, so of any number of concurrent calls,
 *   from any machine, exactly one gets `OK`. The key expires once its
 *   timestamp has left the skew window, so Redis forgets old nonces by itself.
 * - An association is its own key (`<prefix>{<server>}:a:<handle>`), expiring
 *   with the association, listed in a per-server sorted set scored by issue
 *   time (`<prefix>{<server>}:handles`) for "the newest one". Both are written
 *   by one Lua script, so they never disagree; the list lives as long as its
 *   longest-lived association. Beyond `maxAssociationsPerServer`, the
 *   script deletes the oldest (lowest score) in the same step.
 * - `<server>` is the SHA-256 of the server URL. The braces are a hash tag:
 *   on Redis Cluster, all keys of one server map to one slot, which the
 *   script needs. Pass a `Cluster` instance as `client`.
 */
import { Association, OpenIDConfigError, StoreClock, StoreError, checkNonceArgs, isValidHandle, serverKey, type OpenIDStore, type StoreTimeOptions } from 'openid2-core';
import type { Cluster, Redis, RedisOptions } from 'ioredis';

/** Options of {@link RedisStore}: exactly one of `url`, `client` and `clusterNodes`, then the key prefix, timeouts and the store's clock settings. */
export interface RedisStoreOptions extends StoreTimeOptions {
  /** A connection URL, e.g. `redis://127.0.0.1:6379/0` (`rediss://` for TLS). @default undefined (give `client` or `clusterNodes` instead) */
  url?: string;
  /** An existing client (`Redis` or `Cluster`); the store will not close it. Do not set ioredis' own `keyPrefix` on it. @default undefined (give `url` or `clusterNodes` instead) */
  client?: Redis | Cluster;
  /** Some nodes of a Redis Cluster (`[{ host, port }]`): the store makes an ioredis `Cluster` with the timeouts below. @default undefined (give `url` or `client` instead) */
  clusterNodes?: ReadonlyArray<{ host: string; port: number }>;
  /** Prefix of every key. @default 'openid:' */
  keyPrefix?: string;
  /**
   * Connection and command timeouts, in milliseconds, when the store makes
   * its own client: a lost server makes operations fail within about this
   * bound instead of queueing forever. @default 5000
   */
  timeoutMs?: number;
  /** Extra ioredis options when the store makes its own client (they override the timeouts). @default {} */
  redisOptions?: RedisOptions;
}

type Client = Redis | Cluster;

/**
 * KEYS: association, list. ARGV: serialized, ttl, issued, handle, cap,
 * association key prefix. Beyond the cap, the oldest associations (lowest
 * score) are deleted in the same script; their keys share the hash tag of
 * KEYS, so on a cluster they live in the same slot.
 */
const STORE_ASSOCIATION = `
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
-- The list lives as long as its longest-lived association (TTL is -1 for a new list).
local ttl = tonumber(ARGV[2])
if redis.call('TTL', KEYS[2]) < ttl then redis.call('EXPIRE', KEYS[2], ttl) end
local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if over > 0 then
  for _, handle in ipairs(redis.call('ZRANGE', KEYS[2], 0, over - 1)) do
    redis.call('DEL', ARGV[6] .. handle)
    redis.call('ZREM', KEYS[2], handle)
  end
end
return 1
`;

async function openClient(options: RedisStoreOptions): Promise<{ client: Client; owned: boolean }> {
  if (options.client !== undefined) return { client: options.client, owned: false };
  const { Redis: RedisClient, Cluster: ClusterClient } = await import('ioredis');
  const timeout = options.timeoutMs ?? 5000;
  const bounded: RedisOptions = {
    connectTimeout: timeout,
    commandTimeout: timeout,
    // One retry of a command after a reconnect, then its error: bounded.
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    // close(): a socket to a server that went away is destroyed after this
    // long instead of ioredis' 2 s, so it does not keep the process alive.
    disconnectTimeout: Math.min(timeout, 200),
    ...options.redisOptions,
  };
  const client: Client =
    options.clusterNodes === undefined
      ? new RedisClient(options.url as string, bounded)
      : new ClusterClient([...options.clusterNodes], {
          redisOptions: bounded,
          clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
          slotsRefreshTimeout: timeout,
        });
  // Connection errors surface through the failing commands.
  client.on('error', () => undefined);
  return { client, owned: true };
}

/** Escapes a literal for a SCAN MATCH pattern. */
const globLiteral = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

/** An {@link OpenIDStore} in Redis, shared by every machine using the same server or cluster. */
export class RedisStore implements OpenIDStore {
  readonly #opened: Promise<{ client: Client; owned: boolean }>;
  readonly #clock: StoreClock;
  readonly #prefix: string;
  /** Longest wait for one operation (twice `timeoutMs`). */
  readonly #boundMs: number;

  /** @throws OpenIDConfigError without exactly one of `url`, `client` and `clusterNodes`, or for bad clock, skew or cap options */
  constructor(options: RedisStoreOptions) {
    const ways = [options?.url, options?.client, options?.clusterNodes].filter((way) => way !== undefined);
    if (ways.length !== 1) throw new OpenIDConfigError('RedisStore needs exactly one of url, client and clusterNodes', 'url|client|clusterNodes');
    if (options.clusterNodes !== undefined && (!Array.isArray(options.clusterNodes) || options.clusterNodes.length === 0)) {
      throw new OpenIDConfigError('must be a non-empty list of { host, port }', 'clusterNodes');
    }
    if (options.keyPrefix !== undefined && typeof options.keyPrefix !== 'string') throw new OpenIDConfigError('must be a string', 'keyPrefix');
    this.#clock = new StoreClock(options);
    this.#prefix = options.keyPrefix ?? 'openid:';
    this.#boundMs = 2 * (options.timeoutMs ?? 5000);
    this.#opened = openClient(options);
    // Reported by the first operation instead of as an unhandled rejection.
    this.#opened.catch(() => undefined);
  }

  /** The nonce window `useNonce` applies, in seconds (the `skewSeconds` option): a consumer with this store uses the same. */
  get skewSeconds(): number {
    return this.#clock.skewSeconds;
  }

  #keys(opEndpoint: string): { list: string; associationPrefix: string; association: (handle: string) => string } {
    const tag = `${this.#prefix}{${serverKey(opEndpoint)}}`;
    return { list: `${tag}:handles`, associationPrefix: `${tag}:a:`, association: (handle) => `${tag}:a:${handle}` };
  }

  /**
   * Runs one operation, every failure a StoreError. Bounded in time as well:
   * ioredis' command timeout starts only once a command is sent, and a
   * cluster client with no reachable node queues commands until one comes
   * back, so without a bound of our own an operation could wait for ever.
   * A nonce whose SET ran but whose answer came too late is reported as a
   * fault (the login fails), never as fresh.
   */
  async #run<T>(operation: string, work: (client: Client) => Promise<T>, bounded = true): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const { client } = await this.#opened;
      if (!bounded) return await work(client);
      const late = new Promise<never>((_, reject) => {
        const cause = new Error(`no answer within ${this.#boundMs} ms (server or cluster unreachable?)`);
        timer = setTimeout(() => reject(new StoreError(`redis store: ${operation} failed: ${cause.message}`, { cause })), this.#boundMs);
        timer.unref();
      });
      return await Promise.race([work(client), late]);
    } catch (cause) {
      if (cause instanceof StoreError) throw cause;
      throw new StoreError(`redis store: ${operation} failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
    } finally {
      clearTimeout(timer);
    }
  }

  storeAssociation(opEndpoint: string, association: Association): Promise<void> {
    return this.#run('storeAssociation', async (client) => {
      const keys = this.#keys(opEndpoint);
      const ttl = association.expiresIn(this.#clock.seconds());
      // Already expired: storing it would only hand it out never.
      if (ttl <= 0) return;
      await client.eval(
        STORE_ASSOCIATION,
        2,
        keys.association(association.handle),
        keys.list,
        association.serialize(),
        ttl,
        association.issued,
        association.handle,
        this.#clock.maxAssociationsPerServer,
        keys.associationPrefix,
      );
    });
  }

  #parse(text: string | null): Association | undefined {
    if (text === null) return undefined;
    const association = Association.deserialize(text);
    return association.isExpired(this.#clock.seconds()) ? undefined : association;
  }

  async getAssociation(opEndpoint: string, handle?: string): Promise<Association | undefined> {
    if (handle !== undefined && !isValidHandle(handle)) return undefined;
    return this.#run('getAssociation', async (client) => {
      const keys = this.#keys(opEndpoint);
      if (handle !== undefined) return this.#parse(await client.get(keys.association(handle)));
      // Newest first; entries whose key Redis expired are skipped (cleanup prunes them).
      for (const candidate of await client.zrevrange(keys.list, 0, -1)) {
        const found = this.#parse(await client.get(keys.association(candidate)));
        if (found !== undefined) return found;
      }
      return undefined;
    });
  }

  async removeAssociation(opEndpoint: string, handle: string): Promise<boolean> {
    if (!isValidHandle(handle)) return false;
    return this.#run('removeAssociation', async (client) => {
      const keys = this.#keys(opEndpoint);
      const results = await client.multi().del(keys.association(handle)).zrem(keys.list, handle).exec();
      const failed = results?.find(([error]) => error !== null);
      if (results === null || failed !== undefined) throw failed?.[0] ?? new Error('the transaction was aborted');
      return (results[0]?.[1] as number) > 0;
    });
  }

  async useNonce(opEndpoint: string, timestamp: number, salt: string): Promise<boolean> {
    checkNonceArgs(opEndpoint, timestamp, salt);
    if (!this.#clock.nonceInWindow(timestamp)) return false;
    return this.#run('useNonce', async (client) => {
      // Kept until the timestamp leaves the skew window, plus a margin for clock steps.
      const ttl = Math.max(1, timestamp + this.#clock.skewSeconds - this.#clock.seconds() + 60);
      const key = `${this.#prefix}{n:${serverKey(opEndpoint)}}:${timestamp}:${salt}`;
      return (await client.set(key, '1', 'EX', ttl, 'NX')) === 'OK';
    });
  }

  /**
   * Redis expires keys by itself (nonces included, so `nonces` is always 0);
   * cleanup removes associations expired by the store's clock and prunes the
   * per-server lists, on every master of a cluster.
   */
  cleanup(): Promise<{ associations: number; nonces: number }> {
    return this.#run('cleanup', async (client) => {
      let associations = 0;
      const nodes = 'nodes' in client ? client.nodes('master') : [client];
      // A cluster client that reached no node knows no master: a fault, not an empty store.
      if (nodes.length === 0) throw new Error('no master of the cluster is reachable');
      for (const node of nodes) {
        let cursor = '0';
        do {
          const [next, lists] = await node.scan(cursor, 'MATCH', `${globLiteral(this.#prefix)}{*}:handles`, 'COUNT', 200);
          cursor = next;
          for (const list of lists) associations += await this.#pruneList(node, list);
        } while (cursor !== '0');
      }
      return { associations, nonces: 0 };
    }, false);
  }

  /** Removes a list's expired associations, and entries whose key Redis already expired. */
  async #pruneList(node: Redis, list: string): Promise<number> {
    const prefix = list.slice(0, -':handles'.length);
    let removed = 0;
    for (const handle of await node.zrange(list, 0, -1)) {
      const key = `${prefix}:a:${handle}`;
      const text = await node.get(key);
      if (text !== null && this.#parse(text) !== undefined) continue;
      await node.multi().del(key).zrem(list, handle).exec();
      removed += 1;
    }
    return removed;
  }

  /** Disconnects the client the store made (not one it was given). */
  async close(): Promise<void> {
    const opened = await this.#opened.catch(() => undefined);
    if (opened?.owned === true) opened.client.disconnect();
  }
}
