/**
 * The provider's opt-in deployment checks: broken settings make them
 * report (or throw in strict mode), good ones keep them quiet.
 */
import express from 'express';
import request from 'supertest';
import { createFetcher, MemoryStore, StoreError, type OpenIDStore } from 'openid2-core';
import type { Finding } from 'openid-doctor';
import { providerArrivalCheck, providerDeploymentCheck } from '../src/index.js';
import { startProvider, type TestProvider } from './app.js';

describe('providerDeploymentCheck', () => {
  test('good: https endpoint and a working store', async () => {
    expect(await providerDeploymentCheck({ opEndpoint: 'https://op.example/openid', store: new MemoryStore() })).toEqual([]);
  });

  test('plain http on a public host and a failing store: reported; strict throws', async () => {
    const failing = { storeAssociation: () => Promise.reject(new StoreError('connection refused')) } as unknown as OpenIDStore;
    const log: string[] = [];
    await providerDeploymentCheck({ opEndpoint: 'http://op.example/openid', store: failing }, { log: (item) => log.push(item.id) });
    expect(log).toEqual(['op.not_https', 'op.store_unreachable']);
    await expect(providerDeploymentCheck({ opEndpoint: 'http://op.example/openid' }, { strict: true })).rejects.toThrow(/op\.not_https/);
  });

  describe('with network: identity page and OP Identifier against the endpoint', () => {
    let provider: TestProvider;
    beforeAll(async () => {
      provider = await startProvider();
    });
    afterAll(() => provider.close());
    const fetcher = createFetcher({ allowPrivateAddresses: true, timeoutMs: 3000 });

    test('good: both lead to the endpoint', async () => {
      const findings = await providerDeploymentCheck({ opEndpoint: provider.endpoint }, { network: true, fetcher, identityUrl: `${provider.base}/user/carol`, opIdentifier: `${provider.base}/` });
      expect(findings).toEqual([]);
    });

    test('an endpoint configured elsewhere than the documents say: both inconsistent', async () => {
      const findings = await providerDeploymentCheck({ opEndpoint: `${provider.base}/moved` }, { network: true, fetcher, identityUrl: `${provider.base}/user/carol`, opIdentifier: `${provider.base}/` });
      expect(findings.map((item) => item.id)).toEqual(['op.identity_page_inconsistent', 'op.op_identifier_inconsistent']);
    });
  });
});

describe('providerArrivalCheck', () => {
  test('reached over http through a trusted proxy while the endpoint says https: reported once', async () => {
    const log: Finding[] = [];
    const app = express();
    app.set('trust proxy', true);
    app.use(providerArrivalCheck({ opEndpoint: 'https://op.example/openid' }, { log: (item) => log.push(item) }));
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    await request(app).get('/').set('X-Forwarded-Proto', 'http').set('X-Forwarded-Host', 'op.example').expect(200);
    await request(app).get('/').expect(200);
    expect(log.map((item) => `${item.level} ${item.id}`)).toEqual(['error op.public_url_mismatch']);
  });

  test('good: the request arrives at the endpoint origin', async () => {
    const log: Finding[] = [];
    const app = express();
    app.use(providerArrivalCheck({ opEndpoint: 'http://127.0.0.1:3000/openid' }, { log: (item) => log.push(item) }));
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    await request(app).get('/').set('Host', '127.0.0.1:3000').expect(200);
    expect(log).toEqual([]);
  });
});
