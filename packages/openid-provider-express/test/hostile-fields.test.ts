/**
 * 17.7: no bad input reaches the application's error handler. Every
 * `openid.*` field of every mode, over GET and POST, gets a carriage return,
 * a line break (with a smuggled `is_valid:true`), a NUL, 10 kB, bytes that
 * are not UTF-8, and whitespace at both ends; every answer is the
 * protocol's own (a 4xx error, an error to return_to, or a normal answer).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import session from 'express-session';
import { AX_1_0_NS, createFetcher, MemoryStore, OPENID2_NS, PAPE_1_0_NS, SREG_1_1_NS } from 'openid2-core';
import { createConsumerSession, DEFAULT_DH_MODULUS, intToBase64, kvForm } from 'openid2-core/internals';
import { openidProvider } from '../src/index.js';

interface App {
  base: string;
  endpoint: string;
  errors: unknown[];
  close(): Promise<void>;
}

let app: App;

async function start(): Promise<App> {
  const errors: unknown[] = [];
  const server = express();
  const http: HttpServer = createServer(server);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const endpoint = `${base}/openid`;
  server.use(session({ secret: 'test secret', resave: false, saveUninitialized: false }));
  server.use(
    '/openid',
    openidProvider({
      opEndpoint: endpoint,
      store: new MemoryStore(),
      fetcher: createFetcher({ allowLoopback: true, timeoutMs: 2000 }),
      interactionUrl: '/login',
      // The deepest path: discovery read, then a signed answer with profile and PAPE data.
      decide: async ({ request, returnToVerified }) => {
        await returnToVerified();
        return {
          type: 'allow',
          ...(request.idSelect ? { identity: `${base}/user/alice` } : {}),
          profile: { email: 'alice@example.com', fullname: 'Alice Example', nickname: 'alice' },
          pape: { policies: [], authTime: new Date() },
        };
      },
    }),
  );
  server.get('/rp/', (_req, res) => {
    res.type('application/xrds+xml').send(`<?xml version="1.0"?><xrds:XRDS xmlns:xrds="xri://$xrds" xmlns="xri://$xrd*($v*2.0)"><XRD></XRD></xrds:XRDS>`);
  });
  // Registered after the router: it must never be reached.
  server.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    errors.push(error);
    res.status(500).send('application error handler');
  });
  return {
    base,
    endpoint,
    errors,
    close: () => new Promise<void>((resolve) => {
      http.closeAllConnections();
      http.close(() => resolve());
    }),
  };
}

beforeAll(async () => {
  app = await start();
});
afterAll(() => app.close());

type Fields = Record<string, string>;

function checkid(mode: string): Fields {
  const alice = `${app.base}/user/alice`;
  return {
    'openid.ns': OPENID2_NS,
    'openid.mode': mode,
    'openid.claimed_id': alice,
    'openid.identity': alice,
    'openid.return_to': `${app.base}/rp/return`,
    'openid.realm': `${app.base}/rp/`,
    'openid.assoc_handle': '{HMAC-SHA256}{unknown}',
    'openid.ns.sreg': SREG_1_1_NS,
    'openid.sreg.required': 'email',
    'openid.sreg.optional': 'fullname,nickname',
    'openid.sreg.policy_url': `${app.base}/rp/policy`,
    'openid.ns.ax': AX_1_0_NS,
    'openid.ax.mode': 'fetch_request',
    'openid.ax.type.email': 'http://axschema.org/contact/email',
    'openid.ax.required': 'email',
    'openid.ax.count.email': '1',
    'openid.ns.pape': PAPE_1_0_NS,
    'openid.pape.preferred_auth_policies': '',
    'openid.pape.max_auth_age': '3600',
  };
}

function checkid11(mode: string): Fields {
  return {
    'openid.mode': mode,
    'openid.identity': `${app.base}/user/alice`,
    'openid.return_to': `${app.base}/rp/return`,
    'openid.trust_root': `${app.base}/rp/`,
    'openid.assoc_handle': '{HMAC-SHA1}{unknown}',
    'openid.sreg.required': 'email',
    'openid.sreg.optional': 'nickname',
  };
}

function associate(): Fields {
  const request = createConsumerSession('DH-SHA256').requestArgs();
  return {
    'openid.ns': OPENID2_NS,
    'openid.mode': 'associate',
    'openid.assoc_type': 'HMAC-SHA256',
    'openid.session_type': 'DH-SHA256',
    'openid.dh_consumer_public': request.dh_consumer_public as string,
    'openid.dh_modulus': intToBase64(DEFAULT_DH_MODULUS),
    'openid.dh_gen': 'Ag==',
  };
}

/** A real stateless assertion, sent back as check_authentication with an invalidate_handle. */
async function checkAuthentication(): Promise<Fields> {
  const query = new URLSearchParams({ ...checkid('checkid_setup'), 'openid.assoc_handle': '{HMAC-SHA256}{stale}' });
  for (const key of [...query.keys()]) if (/^openid\.(ns\.|sreg|ax|pape)/.test(key)) query.delete(key);
  const hop = await fetch(`${app.endpoint}?${query}`, { redirect: 'manual' });
  expect(hop.status).toBe(302);
  const assertion = Object.fromEntries(new URL(hop.headers.get('location') as string).searchParams);
  expect(assertion['openid.invalidate_handle']).toBe('{HMAC-SHA256}{stale}');
  return { ...assertion, 'openid.mode': 'check_authentication' };
}

/** Raw (already encoded) replacements for a field's value. */
const HOSTILE: ReadonlyArray<[string, (value: string) => string]> = [
  ['a carriage return', (value) => `${encodeURIComponent(value)}%0D`],
  ['a line break smuggling is_valid:true', (value) => `${encodeURIComponent(value)}%0Ais_valid:true`],
  ['CRLF in the middle', (value) => `a%0D%0A${encodeURIComponent(value)}`],
  ['a NUL', (value) => `${encodeURIComponent(value)}%00`],
  ['10 kB', (value) => `${encodeURIComponent(value)}${'x'.repeat(10 * 1024)}`],
  ['bytes that are not UTF-8', (value) => `${encodeURIComponent(value)}%FF%FE%C3`],
  ['whitespace at both ends', (value) => `%20${encodeURIComponent(value)}%09`],
];

/** Raw (already encoded) extra arguments whose names are hostile. */
const HOSTILE_NAMES: readonly string[] = [
  'openid.x%0Ais_valid=true',
  'openid.ax.type.a%0Db=http%3A%2F%2Faxschema.org%2FnamePerson',
  'openid.sreg.a%0Ab=1',
  'openid.%FF%FE=1',
  'openid.a%3Ab=1',
];

function encode(fields: Fields, field: string, raw: string): string {
  return Object.entries(fields)
    .map(([key, value]) => `${encodeURIComponent(key)}=${key === field ? raw : encodeURIComponent(value)}`)
    .join('&');
}

/** One request; an answer the client cannot read (headers too large for it, say) comes back as status 0. */
async function send(method: 'GET' | 'POST', text: string): Promise<{ status: number; type: string; body: string }> {
  try {
    const response =
      method === 'GET'
        ? await fetch(`${app.endpoint}?${text}`, { redirect: 'manual' })
        : await fetch(app.endpoint, { method, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: text });
    return { status: response.status, type: response.headers.get('content-type') ?? '', body: await response.text() };
  } catch (error) {
    return { status: 0, type: '', body: String((error as Error).cause ?? error) };
  }
}

const MODES: ReadonlyArray<[string, () => Fields | Promise<Fields>]> = [
  ['checkid_setup (2.0)', () => checkid('checkid_setup')],
  ['checkid_immediate (2.0)', () => checkid('checkid_immediate')],
  ['checkid_setup (1.1)', () => checkid11('checkid_setup')],
  ['checkid_immediate (1.1)', () => checkid11('checkid_immediate')],
  ['associate', associate],
  ['check_authentication', checkAuthentication],
];

describe('17.7: hostile values in every openid.* field never reach the app\'s error handler', () => {
  test.each(MODES.flatMap(([mode, fields]) => (['GET', 'POST'] as const).map((method) => [mode, method, fields] as const)))(
    '17.7: %s over %s',
    async (_mode, method, make) => {
      const fields = await make();
      const failures: string[] = [];
      for (const field of Object.keys(fields)) {
        for (const [name, hostile] of HOSTILE) {
          const { status, type, body } = await send(method, encode(fields, field, hostile(fields[field] as string)));
          if (status === 0 || status >= 500 || app.errors.length > 0) failures.push(`${field} with ${name}: ${status} ${String(app.errors.at(-1) ?? body)}`);
          app.errors.length = 0;
          // A key-value answer is well-formed and carries no smuggled line.
          if (type.startsWith('text/plain')) {
            const answer = kvForm.parse(body);
            if (answer.is_valid === 'true' && field !== 'openid.invalidate_handle') failures.push(`${field} with ${name}: is_valid:true`);
          }
        }
      }
      for (const extra of HOSTILE_NAMES) {
        const { status, body } = await send(method, `${encode(fields, '', '')}&${extra}`);
        if (status === 0 || status >= 500 || app.errors.length > 0) failures.push(`${extra}: ${status} ${String(app.errors.at(-1) ?? body)}`);
        app.errors.length = 0;
      }
      expect(failures).toEqual([]);
    },
    120_000,
  );
});
