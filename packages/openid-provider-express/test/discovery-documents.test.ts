/**
 * 20.8: identity documents for every real shape, each discovered over HTTP
 * by openid2-core's relying-party discovery: HTML-only pages, OpenID 1.1
 * links only, an XRDS without LocalID, and an XRDS at a location of the
 * app's choosing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createFetcher, discover, XRDS_CONTENT_TYPE } from 'openid2-core';
import { claimedIdentifierXrds, serveIdentity } from '../src/index.js';

let server: Server;
let base: string;
const endpoint = 'https://op.example/openid';
const fetcher = createFetcher({ allowLoopback: true, timeoutMs: 2000 });

beforeAll(async () => {
  const app = express();
  app.get('/html-only/:name', (req, res) => serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${base}${req.path}`, xrdsLocation: false }));
  app.get('/v1/:name', (req, res) =>
    serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${base}${req.path}`, localId: `https://op.example/users/${req.params.name}`, versions: ['1.1'], xrdsLocation: false }),
  );
  app.get('/no-local-id/:name', (req, res) => serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${base}${req.path}`, alwaysLocalId: false }));
  app.get('/custom/:name', (req, res) => serveIdentity(req, res, { opEndpoint: endpoint, claimedId: `${base}${req.path}`, xrdsLocation: `${base}/xrds/${req.params.name}` }));
  app.get('/xrds/:name', (req, res) => {
    res.type(XRDS_CONTENT_TYPE).send(claimedIdentifierXrds(endpoint, { claimedId: `${base}/custom/${req.params.name}` }, [], { versions: ['2.0'] }));
  });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('20.8: identity documents', () => {
  test('20.8: an HTML-only page: no X-XRDS-Location, HTML even to an XRDS Accept, discovered from its links', async () => {
    const response = await fetch(`${base}/html-only/alice`, { headers: { accept: XRDS_CONTENT_TYPE } });
    expect(response.headers.get('x-xrds-location')).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    const found = await discover(`${base}/html-only/alice`, { fetcher });
    expect(found.endpoints.map((e) => e.version)).toEqual(['2.0', '1.1']);
    expect(found.claimedId).toBe(`${base}/html-only/alice`);
  });

  test('20.8: OpenID 1.1 links only (openid.server, openid.delegate)', async () => {
    const html = await (await fetch(`${base}/v1/bob`)).text();
    expect(html).toContain('rel="openid.server"');
    expect(html).toContain('rel="openid.delegate" href="https://op.example/users/bob"');
    expect(html).not.toContain('openid2.');
    const found = await discover(`${base}/v1/bob`, { fetcher });
    expect(found.endpoints).toHaveLength(1);
    expect(found.endpoints[0]?.isOpenID2()).toBe(false);
    expect(found.endpoints[0]?.getLocalId()).toBe('https://op.example/users/bob');
  });

  test('20.8: an XRDS without LocalID when there is no delegation', async () => {
    const xrds = await (await fetch(`${base}/no-local-id/carol?format=xrds`)).text();
    expect(xrds).not.toContain('<LocalID>');
    const found = await discover(`${base}/no-local-id/carol`, { fetcher });
    expect(found.endpoints[0]?.isOpenID2()).toBe(true);
    expect(found.endpoints[0]?.getLocalId()).toBe(`${base}/no-local-id/carol`);
  });

  test('20.8: X-XRDS-Location (header and meta) at a custom location, followed by discovery', async () => {
    const response = await fetch(`${base}/custom/dave`);
    expect(response.headers.get('x-xrds-location')).toBe(`${base}/xrds/dave`);
    expect(await response.text()).toContain(`content="${base}/xrds/dave"`);
    const found = await discover(`${base}/custom/dave`, { fetcher });
    expect(found.endpoints.map((e) => e.version)).toEqual(['2.0']);
  });

  test('20.8: the defaults are unchanged: both versions, LocalID, ?format=xrds', async () => {
    const xrds = claimedIdentifierXrds(endpoint, { claimedId: 'https://id.example/erin' });
    expect(xrds).toContain('<LocalID>https://id.example/erin</LocalID>');
    expect(xrds).toContain('http://specs.openid.net/auth/2.0/signon');
    expect(xrds).toContain('http://openid.net/signon/1.1');
  });
});
