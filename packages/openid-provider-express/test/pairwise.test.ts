/**
 * 22.2: pairwise identifiers per realm. The provider answers identifier
 * select with `pairwise.identifierFor(user, realm)` and serves an identity
 * page at every pairwise URL; our relying party verifies them by discovery.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import session from 'express-session';
import { Consumer, createFetcher, MemoryStore, objectSession, PairwiseIdentifiers, type CompletionResult } from 'openid2-core';
import { openidProvider, serveIdentity, serveOPIdentifier, type DecisionContext, type Decision } from '../src/index.js';

const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 5000 });

interface TestOP {
  base: string;
  pairwise: PairwiseIdentifiers;
  decide: (context: DecisionContext) => Decision;
  close(): Promise<void>;
}

/** A provider whose signed-in user is `alice`, answering identifier select with her pairwise identifier. */
async function startOP(): Promise<TestOP> {
  const app = express();
  const http: HttpServer = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const endpoint = `${base}/openid`;
  const pairwise = new PairwiseIdentifiers({ key: randomBytes(32), base: `${base}/id/` });
  const op: TestOP = {
    base,
    pairwise,
    decide: ({ request }) => {
      // A pairwise identifier is alice's only at the realm it was made for.
      if (!request.idSelect && !pairwise.isFor(request.claimedId, 'alice', request.realm)) return { type: 'deny' };
      const identity = pairwise.identifierFor('alice', request.realm);
      return { type: 'allow', identity };
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  app.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
  app.use('/openid', openidProvider({ opEndpoint: endpoint, store: new MemoryStore(), fetcher, interactionUrl: '/login', decide: async (context) => op.decide(context) }));
  app.get('/', (req, res) => serveOPIdentifier(req, res, { opEndpoint: endpoint, url: `${base}/` }));
  // Identity pages: every pairwise URL of this provider resolves to its endpoint.
  app.get('/id/:tag', (req, res) => {
    const claimedId = `${base}/id/${req.params.tag}`;
    if (!pairwise.isPairwise(claimedId)) return void res.status(404).send('no such identifier');
    serveIdentity(req, res, { opEndpoint: endpoint, claimedId });
  });
  app.get('/rp:n/', (_req, res) => void res.status(404).send('no relying party documents'));
  return op;
}

/** A login by our relying party at realm `<op base>/rp<n>/`, starting from `identifier`. */
async function login(op: TestOP, n: number, identifier: string): Promise<CompletionResult> {
  const userSession = objectSession({});
  const consumer = new Consumer({ store: new MemoryStore(), fetcher });
  const auth = await consumer.begin(userSession, identifier);
  const response = await fetch(auth.redirectUrl(`${op.base}/rp${n}/`, `${op.base}/rp${n}/return`), { redirect: 'manual' });
  expect(response.status).toBe(302);
  const location = response.headers.get('location') as string;
  return consumer.complete(userSession, new URL(location).searchParams, location);
}

function claimedIdOf(result: CompletionResult): string {
  if (result.status !== 'success') throw new Error(`expected success, got ${JSON.stringify(result)}`);
  return result.claimedId;
}

describe('22.2: pairwise identifiers', () => {
  let op: TestOP;
  beforeAll(async () => {
    op = await startOP();
  });
  afterAll(() => op.close());

  test('22.2: the same user at two realms gets two identifiers, each verifying at its relying party', async () => {
    const first = claimedIdOf(await login(op, 1, `${op.base}/`));
    const second = claimedIdOf(await login(op, 2, `${op.base}/`));
    expect(first).not.toBe(second);
    for (const id of [first, second]) expect(op.pairwise.isPairwise(id)).toBe(true);
    // Nothing of the user's own name shows.
    expect(`${first}${second}`).not.toContain('alice');
    expect(first).toBe(op.pairwise.identifierFor('alice', `${op.base}/rp1/`));
  });

  test('22.2: the same realm twice gives the same identifier, and it works as a typed identifier there', async () => {
    const first = claimedIdOf(await login(op, 1, `${op.base}/`));
    expect(claimedIdOf(await login(op, 1, `${op.base}/`))).toBe(first);
    expect(claimedIdOf(await login(op, 1, first))).toBe(first);
  });

  test('22.2: a pairwise identifier cannot be used at another realm', async () => {
    const atRealm1 = claimedIdOf(await login(op, 1, `${op.base}/`));
    // Typed at realm 2: the provider does not assert it there.
    expect(await login(op, 2, atRealm1)).toMatchObject({ status: 'cancel' });
  });

  test('22.2: an assertion of a pairwise identifier from another endpoint fails discovery (discovery_mismatch)', async () => {
    const atRealm1 = claimedIdOf(await login(op, 1, `${op.base}/`));
    // A second provider (another endpoint) that would assert anything, even alice's identifier of realm 1.
    const impostor = await startOP();
    impostor.decide = () => ({ type: 'allow', identity: atRealm1 });
    try {
      const userSession = objectSession({});
      const consumer = new Consumer({ store: new MemoryStore(), fetcher });
      const auth = await consumer.begin(userSession, `${impostor.base}/`);
      const response = await fetch(auth.redirectUrl(`${impostor.base}/rp2/`, `${impostor.base}/rp2/return`), { redirect: 'manual' });
      const location = response.headers.get('location') as string;
      expect(await consumer.complete(userSession, new URL(location).searchParams, location)).toMatchObject({ status: 'failure', reason: 'discovery_mismatch' });
    } finally {
      await impostor.close();
    }
  });

  test('22.2: identity pages answer only for pairwise identifiers; a bad key or base is a configuration error', async () => {
    expect((await fetch(`${op.base}/id/not-a-tag`)).status).toBe(404);
    expect(() => new PairwiseIdentifiers({ key: randomBytes(16), base: `${op.base}/id/` })).toThrow(expect.objectContaining({ option: 'pairwise' }));
    expect(() => new PairwiseIdentifiers({ key: randomBytes(32), base: `${op.base}/id` })).toThrow(expect.objectContaining({ option: 'pairwise' }));
    expect(() => new PairwiseIdentifiers({ key: randomBytes(32), base: 'ftp://op.example/id/' })).toThrow(expect.objectContaining({ option: 'pairwise' }));
  });
});
