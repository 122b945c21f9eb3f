/**
 * A stand-in OpenID 2.0 provider for adapter tests, lenient as some real
 * providers are: it refuses to associate, signs every answer with one
 * private association, and answers `is_valid:true` to every
 * check_authentication of a genuine signature, however often it is asked
 * (replay protection then rests on the relying party's nonce store). Each
 * identifier `<base>/id/<name>` has an XRDS document listing the service
 * types the test chose, so what the relying party asks for can be read off
 * the requests it receives.
 */
import { Association, Message, OPENID2_NS, OPENID_2_0_TYPE, OPENID_NS } from 'openid2-core';
import { makeNonce } from 'openid2-core/internals';
import { startServer, type TestServer } from 'openid-test-helpers';

export interface StandInOP {
  base: string;
  endpoint: string;
  /** Service types by identifier name, listed in its XRDS (after OpenID 2.0 signon unless `signon` is given). @default [] */
  types: Map<string, { signon?: string; extensions: readonly string[] }>;
  /** Extension answers signed into every positive assertion. */
  answers: Array<{ namespace: string; args: Record<string, string> }>;
  /** Discovery fetches, by identifier path. */
  discoveries: string[];
  /** The checkid requests received (the query of a GET, the body of a POST), and how they came. */
  checkIds: Array<{ method: string; args: URLSearchParams }>;
  /** associate requests received (all refused). */
  associateRequests: number;
  /** check_authentication requests received (each answered is_valid:true when the signature is genuine). */
  checks: number;
  close(): Promise<void>;
}

function xrds(types: readonly string[], endpoint: string): string {
  const typeElements = types.map((type) => `<Type>${type}</Type>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>\n<xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD><Service priority="0">${typeElements}<URI>${endpoint}</URI></Service></XRD></xrds:XRDS>`;
}

/** A positive assertion for the identifier the request names, signed with the private association. */
function assertion(op: StandInOP, association: Association, request: URLSearchParams): Message {
  const claimed = request.get('openid.claimed_id') as string;
  const response = new Message(OPENID2_NS);
  response.updateArgs(OPENID_NS, {
    mode: 'id_res',
    op_endpoint: op.endpoint,
    claimed_id: claimed,
    identity: request.get('openid.identity') as string,
    return_to: request.get('openid.return_to') as string,
    response_nonce: makeNonce(),
  });
  for (const { namespace, args } of op.answers) response.updateArgs(namespace, args);
  association.signMessage(response);
  return response;
}

function direct(op: StandInOP, association: Association, args: URLSearchParams): string {
  const message = Message.fromPostArgs(args);
  if (message.getArg(OPENID_NS, 'mode') === 'associate') {
    op.associateRequests += 1;
    return `ns:${OPENID2_NS}\nerror:associations are not offered\nerror_code:unsupported-type\n`;
  }
  op.checks += 1;
  message.setArg(OPENID_NS, 'mode', 'id_res');
  return `ns:${OPENID2_NS}\nis_valid:${association.verifyMessage(message)}\n`;
}

/** Starts the stand-in on 127.0.0.1. */
export async function startStandInOP(): Promise<StandInOP> {
  const association = new Association({ handle: 'private-1', secret: Buffer.alloc(32, 9), issued: 0, lifetime: 10 ** 10, assocType: 'HMAC-SHA256' });
  const op = { types: new Map(), answers: [], discoveries: [], checkIds: [], associateRequests: 0, checks: 0 } as unknown as StandInOP & { http: TestServer };
  op.http = await startServer((req, res, body) => {
    const url = new URL(req.url ?? '/', op.base);
    const name = /^\/id\/([^/]+)$/.exec(url.pathname)?.[1];
    if (name !== undefined && req.method === 'GET') {
      op.discoveries.push(url.pathname);
      const { signon = OPENID_2_0_TYPE, extensions = [] } = op.types.get(name) ?? {};
      res.writeHead(200, { 'content-type': 'application/xrds+xml' }).end(xrds([signon, ...extensions], op.endpoint));
      return;
    }
    if (url.pathname !== '/op') return void res.writeHead(404).end();
    const args = req.method === 'POST' ? new URLSearchParams(body) : url.searchParams;
    if (args.get('openid.mode') === 'checkid_setup') {
      op.checkIds.push({ method: req.method ?? 'GET', args });
      const answer = assertion(op, association, args);
      res.writeHead(302, { location: answer.toURL(args.get('openid.return_to') as string) }).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(direct(op, association, args));
  });
  op.base = op.http.url;
  op.endpoint = `${op.base}/op`;
  op.close = () => op.http.close();
  return op;
}
