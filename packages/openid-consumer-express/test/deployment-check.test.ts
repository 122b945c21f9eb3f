/**
 * The relying party's opt-in deployment checks: broken settings make them
 * report (or throw in strict mode), good ones keep them quiet.
 */
import express from 'express';
import request from 'supertest';
import { createFetcher, MemoryStore } from 'openid2-core';
import type { Finding } from 'openid-doctor';
import { consumerArrivalCheck, consumerDeploymentCheck } from '../src/index.js';

const good = { baseUrl: 'https://rp.example/openid', store: new MemoryStore(), fetcher: createFetcher() };

describe('consumerDeploymentCheck', () => {
  test('good settings: no finding', async () => {
    const log: Finding[] = [];
    expect(await consumerDeploymentCheck(good, { sessionCookie: { sameSite: 'lax', secure: true }, log: (item) => log.push(item) })).toEqual([]);
    expect(log).toEqual([]);
  });

  test('SameSite=None without Secure and a fetcher that reaches private addresses: both reported through log and onWarning', async () => {
    const log: string[] = [];
    const warnings: string[] = [];
    const options = { ...good, fetcher: createFetcher({ allowPrivateAddresses: true, timeoutMs: 2000 }) };
    await consumerDeploymentCheck(options, { sessionCookie: { sameSite: 'none', secure: false }, log: (item) => log.push(item.id), onWarning: (item) => warnings.push(item.id) });
    expect(log).toEqual(['rp.cookie_not_secure', 'rp.samesite_none_needs_secure', 'rp.fetcher_allows_private']);
    expect(warnings).toEqual(['rp.cookie_not_secure']);
  });

  test('strict mode throws on an error finding', async () => {
    await expect(consumerDeploymentCheck(good, { strict: true, sessionCookie: { secure: true, sameSite: 'none' } })).resolves.toEqual([]);
    await expect(consumerDeploymentCheck({ ...good, baseUrl: 'http://127.0.0.1:3000/openid' }, { strict: true, sessionCookie: { secure: true } })).rejects.toThrow(/rp\.secure_cookie_over_http/);
  });

  test('without baseUrl: one warning saying URLs come from requests', async () => {
    expect((await consumerDeploymentCheck({})).map((item) => item.id)).toEqual(['rp.no_base_url']);
  });

  test('bad options are still refused as by openidConsumer', async () => {
    await expect(consumerDeploymentCheck({ baseUrl: 'not a url' })).rejects.toThrow(/baseUrl/);
  });
});

describe('consumerArrivalCheck', () => {
  test('a request through a proxy while trust proxy is off is reported once; the request goes on', async () => {
    const log: Finding[] = [];
    const app = express();
    app.use(consumerArrivalCheck({ baseUrl: 'https://rp.example/openid' }, { log: (item) => log.push(item) }));
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    await request(app).get('/').set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'rp.example').expect(200, 'ok');
    await request(app).get('/').set('X-Forwarded-Proto', 'https').expect(200);
    expect(log.map((item) => item.id)).toEqual(['rp.trust_proxy_off']);
  });

  test('behind a trusted proxy that forwards the public URL: quiet', async () => {
    const log: Finding[] = [];
    const app = express();
    app.set('trust proxy', 1);
    app.use(consumerArrivalCheck({ baseUrl: 'https://rp.example/openid' }, { log: (item) => log.push(item) }));
    app.get('/', (_req, res) => {
      res.send('ok');
    });
    await request(app).get('/').set('X-Forwarded-Proto', 'https').set('X-Forwarded-Host', 'rp.example').expect(200);
    expect(log).toEqual([]);
  });
});
