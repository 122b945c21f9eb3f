/**
 * A real OP over HTTP for consumer tests, built on the core Server with
 * node:http: the endpoint, identity pages (2.0, 1.1 only, delegated) and an
 * OP identifier. The decision is a function the tests set.
 */
import { startServer, type TestServer } from 'openid-test-helpers';
import { Server } from '../../src/server/server.js';
import { CheckIDRequest } from '../../src/server/check-id-request.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { createFetcher } from '../../src/fetch/fetcher.js';
import { ProtocolError } from '../../src/errors.js';
import { OPENID_2_0_TYPE, OPENID_IDP_2_0_TYPE } from '../../src/constants.js';
import type { AllowOptions } from '../../src/server/check-id-request.js';
import type { AssociationPolicy } from '../../src/server/associate-request.js';

export type Decide = (request: CheckIDRequest) => { allow: boolean } & AllowOptions;

export interface TestOP {
  base: string;
  endpoint: string;
  server: Server;
  http: TestServer;
  decide: Decide;
  /** check_authentication requests received. */
  checkAuthCount: number;
  close(): Promise<void>;
}

function xrds(service: string): string {
  return `<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD>${service}</XRD></xrds:XRDS>`;
}

export async function startOP(policy: AssociationPolicy = {}): Promise<TestOP> {
  const op = { checkAuthCount: 0 } as TestOP;
  op.decide = (request) => ({ allow: true, ...(request.idSelect ? { identity: `${op.base}/user/alice` } : {}) });
  op.http = await startServer(async (req, res, body) => {
    const url = new URL(req.url ?? '/', op.base);
    if (url.pathname === '/openid') {
      const args = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
      try {
        const request = op.server.decodeRequest(args, { secure: false });
        if (request === undefined) throw new ProtocolError('not an OpenID request');
        if (args.get('openid.mode') === 'check_authentication') op.checkAuthCount += 1;
        const response = request instanceof CheckIDRequest
          ? await request.answer(op.decide(request).allow, op.decide(request))
          : await op.server.handleRequest(request);
        const encoded = op.server.encodeResponse(response);
        res.writeHead(encoded.status, encoded.headers).end(encoded.body);
      } catch (error) {
        if (!(error instanceof ProtocolError)) throw error;
        const encoded = op.server.encodeError(error);
        res.writeHead(encoded.status, encoded.headers).end(encoded.body);
      }
      return;
    }
    const name = url.pathname.split('/')[2] ?? '';
    const service = (types: string[], local?: string): string =>
      `<Service>${types.map((t) => `<Type>${t}</Type>`).join('')}<URI>${op.endpoint}</URI>${local === undefined ? '' : `<LocalID>${local}</LocalID>`}</Service>`;
    let document: string | undefined;
    if (url.pathname === '/') document = xrds(service([OPENID_IDP_2_0_TYPE]));
    else if (url.pathname.startsWith('/user/')) document = xrds(service([OPENID_2_0_TYPE]));
    else if (url.pathname.startsWith('/delegated/')) document = xrds(service([OPENID_2_0_TYPE], `${op.base}/user/${name}`));
    else if (url.pathname.startsWith('/v1/')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(`<html><head><link rel="openid.server" href="${op.endpoint}"></head></html>`);
      return;
    }
    if (document === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(document);
  });
  op.base = op.http.url;
  op.endpoint = `${op.base}/openid`;
  op.server = new Server({ ...policy, opEndpoint: op.endpoint, store: new MemoryStore(), fetcher: createFetcher({ allowPrivateAddresses: true }) });
  op.close = () => op.http.close();
  return op;
}
