/**
 * 22.1: a provider of two instances with sealed association handles and no
 * shared association store, behind one address. A front server sends every
 * POST (associate, check_authentication) to instance A and every GET
 * (identity pages, checkid) to instance B, so each login crosses instances:
 * the relying party associates with A, B signs, A confirms.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import session from 'express-session';
import { describeWith, pythonOpenIDAvailability, startPythonPeer, type PythonPeer } from 'openid-test-helpers';
import { Consumer, createFetcher, MemoryStore, objectSession, Server, type SealingKey } from 'openid2-core';
import { openidProvider, serveIdentity } from '../src/index.js';

const KEY: SealingKey = { id: 'k1', key: randomBytes(32) };
const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 5000 });

interface Pair {
  base: string;
  /** `METHOD path` of each request, by the instance that served it. */
  served: { A: string[]; B: string[] };
  stores: { A: MemoryStore; B: MemoryStore };
  close(): Promise<void>;
}

function instance(endpoint: string, base: string, store: MemoryStore, keys: readonly SealingKey[]): Express {
  const app = express();
  // Each instance has its own sessions: an immediate allow needs no state across instances.
  app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
  const server = new Server({ opEndpoint: endpoint, store, fetcher, sealedHandles: { keys } });
  app.use('/openid', openidProvider({ server, interactionUrl: '/login', decide: async () => ({ type: 'allow' }) }));
  app.get('/user/:name', (req, res) => serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${base}/user/${req.params.name}` }));
  app.get('/rp/', (_req, res) => void res.status(404).send('no relying party documents here'));
  return app;
}

async function startPair(keysA: readonly SealingKey[] = [KEY], keysB: readonly SealingKey[] = [KEY]): Promise<Pair> {
  const apps: { A?: Express; B?: Express } = {};
  const served: Pair['served'] = { A: [], B: [] };
  const front: HttpServer = createServer((req: IncomingMessage, res) => {
    const name = req.method === 'POST' ? 'A' : 'B';
    served[name].push(`${req.method} ${req.url?.split('?')[0]}`);
    (apps[name] as Express)(req, res);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(front.address() as AddressInfo).port}`;
  const stores = { A: new MemoryStore(), B: new MemoryStore() };
  apps.A = instance(`${base}/openid`, base, stores.A, keysA);
  apps.B = instance(`${base}/openid`, base, stores.B, keysB);
  return {
    base,
    served,
    stores,
    close: () =>
      new Promise<void>((resolve) => {
        front.closeAllConnections();
        front.close(() => resolve());
      }),
  };
}

/** One login by our relying party: begin, the browser's hop to the OP, complete. */
async function login(pair: Pair, store: MemoryStore | undefined): Promise<Awaited<ReturnType<Consumer['complete']>>> {
  const userSession = objectSession({});
  const consumer = new Consumer({ store, fetcher });
  const auth = await consumer.begin(userSession, `${pair.base}/user/alice`);
  const response = await fetch(auth.redirectUrl(`${pair.base}/rp/`, `${pair.base}/rp/return`), { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = response.headers.get('location') as string;
  return consumer.complete(userSession, new URL(location).searchParams, location);
}

describe('22.1: sealed handles across two provider instances', () => {
  let pair: Pair;
  beforeEach(async () => {
    pair = await startPair();
  });
  afterEach(() => pair.close());

  test('22.1: smart: the relying party associates with A, B signs with the same handle, nothing is stored', async () => {
    const rpStore = new MemoryStore();
    expect(await login(pair, rpStore)).toMatchObject({ status: 'success', claimedId: `${pair.base}/user/alice` });
    expect(await login(pair, rpStore)).toMatchObject({ status: 'success' });
    // One associate (at A) for both logins: B honoured the handle A sealed.
    expect(pair.served.A).toEqual(['POST /openid']);
    expect(pair.served.B.filter((line) => line === 'GET /openid')).toHaveLength(2);
    for (const store of [pair.stores.A, pair.stores.B]) expect(await store.getAssociation(`${pair.base}/openid|shared`)).toBeUndefined();
  });

  test('22.1: stateless: B signs privately, A confirms with check_authentication', async () => {
    expect(await login(pair, undefined)).toMatchObject({ status: 'success', claimedId: `${pair.base}/user/alice` });
    expect(pair.served.A).toEqual(['POST /openid']);
    expect(await pair.stores.B.getAssociation(`${pair.base}/openid|private`)).toBeUndefined();
  });

  test('22.1: instances with different keys: each handle is unknown to the other, a clean failure, never an error', async () => {
    await pair.close();
    pair = await startPair([KEY], [{ id: 'k2', key: randomBytes(32) }]);
    const result = await login(pair, new MemoryStore());
    // B cannot open A's handle (invalidate_handle, private signature under k2); A cannot open B's private handle.
    expect(result).toMatchObject({ status: 'failure' });
    expect(pair.served.A).toEqual(['POST /openid', 'POST /openid']);
  });
});

const SCRIPT = fileURLToPath(new URL('./fixtures/python_consumer.py', import.meta.url));

describeWith('python3-openid', await pythonOpenIDAvailability(), () => {
  let pair: Pair;
  let python: PythonPeer;
  beforeAll(async () => {
    pair = await startPair();
    python = await startPythonPeer(SCRIPT);
  });
  afterAll(async () => {
    python.close();
    await pair.close();
  });

  test.each(['smart', 'stateless'] as const)('22.1: python3-openid\'s consumer logs in at the sealed-handle provider pair, %s', async (mode) => {
    const begun = await python.call<{ redirect?: string; error?: string }>({ cmd: 'begin', identifier: `${pair.base}/user/alice`, realm: `${pair.base}/rp/`, return_to: `${pair.base}/rp/return`, mode });
    expect(begun.error).toBeUndefined();
    const response = await fetch(begun.redirect as string, { redirect: 'manual' });
    const location = response.headers.get('location') as string;
    expect(location.startsWith(`${pair.base}/rp/return`)).toBe(true);
    const result = await python.call<{ status: string; identity?: string; message?: string }>({ cmd: 'complete', query: Object.fromEntries(new URL(location).searchParams), url: location, mode });
    expect(result).toMatchObject({ status: 'success', identity: `${pair.base}/user/alice` });
  });
});
