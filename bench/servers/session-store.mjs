// Sessions for the bench servers: express-session's MemoryStore in one
// process, or a small Redis-backed store when several processes serve the
// same site (logins alternate between instances).
import session from 'express-session';

export async function sessionMiddleware(name) {
  const options = { secret: 'bench secret', resave: false, saveUninitialized: false, name, cookie: { sameSite: 'lax' } };
  if (process.env.OPENID_BENCH_SESSIONS !== 'redis') return { middleware: session(options), close: async () => {} };
  const { Redis } = await import('ioredis');
  const client = new Redis(process.env.OPENID_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `${process.env.OPENID_BENCH_PREFIX ?? 'bench:'}sess:${name}:`;
  class RedisSessionStore extends session.Store {
    get(sid, callback) {
      client.get(prefix + sid).then((text) => callback(null, text === null ? null : JSON.parse(text)), callback);
    }
    set(sid, value, callback) {
      client.set(prefix + sid, JSON.stringify(value), 'EX', 3600).then(() => callback?.(null), (error) => callback?.(error));
    }
    destroy(sid, callback) {
      client.del(prefix + sid).then(() => callback?.(null), (error) => callback?.(error));
    }
    touch(sid, value, callback) {
      client.expire(prefix + sid, 3600).then(() => callback?.(null), (error) => callback?.(error));
    }
  }
  return { middleware: session({ ...options, store: new RedisSessionStore() }), close: () => client.quit() };
}

/** The OpenID store of a bench server: memory, or Redis shared by every instance. */
export async function openidStore() {
  if (process.env.OPENID_BENCH_STORE !== 'redis') {
    const { MemoryStore } = await import('openid2-core');
    // Case 2 makes its pools of stateless assertions up front (tens of thousands of private
    // associations before the first check_authentication): above the default cap, which would evict them.
    return { store: new MemoryStore({ maxAssociationsPerServer: 1_000_000 }), close: async () => {} };
  }
  const { RedisStore } = await import('openid-store-redis');
  const store = new RedisStore({ url: process.env.OPENID_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379', keyPrefix: `${process.env.OPENID_BENCH_PREFIX ?? 'bench:'}openid:` });
  return { store, close: () => store.close() };
}

/** Listens on 127.0.0.1 (PORT or any free port); call {@link announce} once every route is in place. */
export async function listen(app, onClose) {
  const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  server.keepAliveTimeout = 30_000;
  const stop = () => {
    server.close();
    server.closeAllConnections();
    Promise.resolve(onClose?.()).finally(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  return server;
}

/** Tells the harness the server is ready: `READY <port>` on stdout. */
export function announce(server) {
  console.log(`READY ${server.address().port}`);
}
