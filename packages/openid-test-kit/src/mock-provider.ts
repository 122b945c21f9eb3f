/**
 * `startMockProvider`: a real OpenID 2.0 provider on a loopback port, built
 * on openid2-core's Server, with scripted users and answers, and every
 * attack of {@link ATTACKS} as a behaviour switched on in one line.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  answerProfile,
  CheckAuthRequest,
  CheckIDRequest,
  MemoryStore,
  OPENID_NS,
  OpenIDConfigError,
  ProtocolError,
  Server,
  type EncodedResponse,
  type OpenIDResponse,
  type Profile,
} from 'openid2-core';
import { deliveryForm, deliveryUrl, type Delivery, type Pairs } from './assertion.js';
import { startAttackerServer, type AttackerServer } from './attacker-server.js';
import { attackNamed, discoveryKindOf, type Attack, type AssertOptions, type ForgeContext } from './attacks.js';
import { HOSTILE_DISCOVERY, serveHostile, serveIdentityPage, serveOPIdentifier, type HostileDiscovery } from './discovery-pages.js';
import { sendText, startLoopbackServer } from './http.js';
import { buildAssertion, type Signers } from './build-assertion.js';
import { answerSteamCheck, DEFAULT_STEAM_IDS, refuseAssociation, steamAssociation, steamPaths } from './steam.js';

/** A scripted user: how the provider answers their logins. */
export interface MockUser {
  /** @default 'allow' */
  answer?: 'allow' | 'deny' | 'setup_needed';
  /** Released through SREG and AX when the relying party asks (any Unicode text). @default none */
  profile?: Profile;
  /** Steam mode: the SteamID64. @default one of a fixed set */
  steamId?: string;
}

/** Options of {@link startMockProvider}: its users, and how it misbehaves. */
export interface MockProviderOptions {
  /** The provider's users by name: each gets a claimed identifier (`<base>/user/<name>`, Steam mode `<base>/openid/id/<SteamID64>`) and is answered as its entry says. @default `{ victim: …, attacker: … }` with non-ASCII profiles */
  users?: Record<string, MockUser>;
  /** Who is signed in at the provider for identifier select. @default the first user */
  selectUser?: string;
  /** An attack from {@link ATTACKS} applied to every checkid answer. @default none (honest) */
  attack?: string;
  /** Speak exactly like Steam: identifier select only, a fixed signed list and handle, no associations, Origin checked on check_authentication. @default false */
  steam?: boolean;
}

/** A request header choosing the user of one identifier-select login (what the attack runner uses). */
export const USER_HEADER = 'x-openid-test-kit-user';
/** A request header choosing the attack of one checkid answer. */
export const ATTACK_HEADER = 'x-openid-test-kit-attack';

/** A running mock provider (from {@link startMockProvider}): its URLs, the attacker's server beside it, and controls for tests. */
export interface MockProvider {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The OP endpoint URL. */
  opEndpoint: string;
  /** The OP Identifier (identifier select): give it to a "Sign in with …" button, or Steam mode's `steamBase` is `base`. */
  opIdentifier: string;
  steam: boolean;
  /** The attacker's server beside the provider. */
  attacker: { base: string; endpoint: string; lenientEndpoint: string };
  /** A user's claimed identifier, or the URL of a hostile discovery page for them. */
  identifier(user: string, hostile?: HostileDiscovery): string;
  /** Switches an attack on for every following answer (undefined: honest again). */
  use(attack: string | undefined): void;
  /** Whether the huge discovery document behind this identifier (from `identifier(user, 'huge')`) was read to its end: the reader has no size limit. */
  readToEnd(identifier: string): boolean;
  /** A valid positive assertion nobody asked for, as the URL to send the browser to. */
  unsolicitedAssertion(options: { returnTo: string; user?: string }): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_USERS: Record<string, MockUser> = {
  victim: { profile: { nickname: 'kit-victim', fullname: 'Zoë Vïctim-Ørsted', email: 'victim@kit.example' } },
  attacker: { profile: { nickname: 'kit-attacker', fullname: 'Mallory Ångström', email: 'attacker@kit.example' } },
};

function checkOptions(options: MockProviderOptions): Record<string, MockUser> {
  const users = options.users ?? DEFAULT_USERS;
  if (users === null || typeof users !== 'object' || Object.keys(users).length === 0) throw new OpenIDConfigError('must name at least one user', 'users');
  for (const [name, user] of Object.entries(users)) {
    if (!/^[\w.-]+$/.test(name)) throw new OpenIDConfigError('user names are letters, digits, dot, dash and underscore', `users.${name}`);
    if (user.answer !== undefined && !['allow', 'deny', 'setup_needed'].includes(user.answer)) throw new OpenIDConfigError("must be 'allow', 'deny' or 'setup_needed'", `users.${name}.answer`);
    if (user.steamId !== undefined && !/^\d{17}$/.test(user.steamId)) throw new OpenIDConfigError('must be 17 digits', `users.${name}.steamId`);
  }
  if (options.selectUser !== undefined && users[options.selectUser] === undefined) throw new OpenIDConfigError('must name one of the users', 'selectUser');
  if (options.attack !== undefined) checkBehaviour(options.attack);
  return users;
}

/** An attack the provider plays on checkid answers; the others are started differently, and say how. */
function checkBehaviour(name: string): void {
  const attack = attackNamed(name);
  if (attack === undefined) throw new OpenIDConfigError('is not a known attack (see ATTACK_NAMES)', 'attack');
  if (attack.kind === 'unsolicited') throw new OpenIDConfigError(`${name} needs no login: send the browser to provider.unsolicitedAssertion({ returnTo })`, 'attack');
  if (attack.kind === 'discovery') throw new OpenIDConfigError(`${name} is a discovery document: log in with provider.identifier(user, '${discoveryKindOf(attack) ?? ''}')`, 'attack');
}

function send(res: ServerResponse, encoded: EncodedResponse): void {
  res.writeHead(encoded.status, encoded.headers).end(encoded.body);
}

function sendDelivery(res: ServerResponse, delivery: Delivery): void {
  if (delivery.method === 'GET') return void res.writeHead(302, { location: deliveryUrl(delivery), 'cache-control': 'no-store' }).end();
  sendText(res, 200, 'text/html; charset=utf-8', deliveryForm(delivery));
}

/** Where an answer to a return URL is remembered (for the replay attack): its origin and path. */
const returnKey = (returnTo: string): string => {
  const url = new URL(returnTo);
  return `${url.origin}${url.pathname}`;
};

/** Starts the provider (and the attacker's server beside it) on 127.0.0.1. */
export async function startMockProvider(options: MockProviderOptions = {}): Promise<MockProvider> {
  const users = checkOptions(options);
  const names = Object.keys(users);
  const steam = options.steam === true;
  let attackName = options.attack;
  // Each hostile identifier carries its own attempt number, so a late reader is not taken for the next one.
  let attempts = 0;
  const readToEnd = new Set<string>();
  const previous = new Map<string, Delivery>();
  const steamIds = new Map(names.map((name, i) => [name, users[name]?.steamId ?? DEFAULT_STEAM_IDS[i % DEFAULT_STEAM_IDS.length] as string]));
  let base = '';
  const paths = steam ? steamPaths : { endpoint: '/openid', opIdentifier: '/' };
  const claimedIdOf = (name: string): string => (steam ? `${base}/openid/id/${steamIds.get(name) ?? ''}` : `${base}/user/${encodeURIComponent(name)}`);
  const userOf = (claimedId: string): string | undefined => names.find((name) => claimedIdOf(name) === claimedId);
  const fixedSteam = steamAssociation();
  // Both exist before the first request: they need the port, known once the server listens.
  let server!: Server;
  let attacker!: AttackerServer;

  const signers: Signers = {
    provider: async (request) => {
      if (steam) return { association: fixedSteam };
      const handle = request.assocHandle;
      const shared = handle === undefined ? undefined : await server.signatory.getAssociation(handle, true);
      if (shared !== undefined) return { association: shared };
      return { association: await server.signatory.createAssociation('HMAC-SHA256', false), ...(handle === undefined ? {} : { invalidate: handle }) };
    },
    attacker: async () => ({ association: await attacker.association() }),
  };

  const assertFor = (request: CheckIDRequest, user: string, assertOptions: AssertOptions = {}): Promise<Pairs> =>
    buildAssertion({ request, steam, endpoint: `${base}${paths.endpoint}`, signers, claimedIdOf, profileOf: (name) => users[name]?.profile ?? {} }, { user, ...assertOptions });

  async function honest(request: CheckIDRequest, user: string | undefined): Promise<OpenIDResponse | Delivery> {
    const script = user === undefined ? undefined : users[user];
    if (script === undefined || script.answer === 'deny') return request.answer(false);
    if (script.answer === 'setup_needed') return request.setupNeeded();
    if (steam) return { method: 'GET', target: request.returnTo, pairs: await assertFor(request, user as string, { extensions: false }) };
    const id = claimedIdOf(user as string);
    return request.answer(true, { identity: id, claimedId: id, extensions: answerProfile(request.message, script.profile ?? {}) });
  }

  async function answerCheckID(req: IncomingMessage, res: ServerResponse, request: CheckIDRequest): Promise<void> {
    if (steam && !request.idSelect) return sendText(res, 400, 'text/html; charset=utf-8', '<!DOCTYPE html><html><body>Steam accepts identifier select only</body></html>');
    const chosen = req.headers[USER_HEADER];
    const user = request.idSelect ? (typeof chosen === 'string' && users[chosen] !== undefined ? chosen : options.selectUser ?? names[0]) : userOf(request.claimedId);
    const header = req.headers[ATTACK_HEADER];
    const attack: Attack | undefined = attackNamed(typeof header === 'string' ? header : attackName ?? '');
    if (attack?.forge !== undefined && user !== undefined) {
      const context: ForgeContext = {
        request,
        steam,
        victim: claimedIdOf('victim' in users ? 'victim' : (names[0] as string)),
        attacker,
        previous: previous.get(returnKey(request.returnTo)),
        assert: (assertOptions) => assertFor(request, user, assertOptions),
      };
      return sendDelivery(res, await attack.forge(context));
    }
    const answer = await honest(request, user);
    if ('pairs' in answer) {
      previous.set(returnKey(request.returnTo), answer);
      return sendDelivery(res, answer);
    }
    if (answer.kind === 'indirect' && answer.message.getArg(OPENID_NS, 'mode') === 'id_res') {
      previous.set(returnKey(answer.returnTo), { method: 'GET', target: answer.returnTo, pairs: Object.entries(answer.message.toPostArgs()) });
    }
    return send(res, server.encodeResponse(answer));
  }

  async function endpoint(req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    const args = new URLSearchParams(req.method === 'POST' ? body : url.search);
    // Steam offers no associations, whatever the request holds.
    if (steam && args.get('openid.mode') === 'associate') return refuseAssociation(res);
    try {
      const request = server.decodeRequest(args, { secure: false });
      if (request === undefined) return steam ? serveOPIdentifier(req, res, url, `${base}${paths.endpoint}`) : sendText(res, 400, 'text/plain', 'This is an OpenID provider endpoint.');
      if (request instanceof CheckIDRequest) return await answerCheckID(req, res, request);
      if (steam && request instanceof CheckAuthRequest) return answerSteamCheck(req, res, request, fixedSteam);
      return send(res, server.encodeResponse(await server.handleRequest(request)));
    } catch (error) {
      if (error instanceof ProtocolError) return send(res, server.encodeError(error));
      throw error;
    }
  }

  const http = await startLoopbackServer(async (req, res, body) => {
    const url = new URL(req.url ?? '/', base);
    const path = url.pathname;
    if (path === paths.endpoint) return endpoint(req, res, url, body);
    if (path === paths.opIdentifier) return serveOPIdentifier(req, res, url, `${base}${paths.endpoint}`);
    const first = /^\/([^/]+)\/[^/]+$/.exec(path)?.[1];
    if (first !== undefined && (HOSTILE_DISCOVERY as readonly string[]).includes(first)) return serveHostile(first as HostileDiscovery, res, url, () => readToEnd.add(url.searchParams.get('attempt') ?? ''));
    const claimed = `${base}${path}`;
    if (userOf(claimed) !== undefined) return serveIdentityPage(req, res, url, `${base}${paths.endpoint}`, claimed);
    return sendText(res, 404, 'text/plain', 'no such user');
  });
  base = http.base;
  attacker = await startAttackerServer(() => `${base}${paths.endpoint}`);
  server = new Server({ store: new MemoryStore(), opEndpoint: `${base}${paths.endpoint}`, returnToCache: false });

  return {
    base,
    opEndpoint: `${base}${paths.endpoint}`,
    opIdentifier: `${base}${paths.opIdentifier}`,
    steam,
    attacker: { base: attacker.base, endpoint: attacker.endpoint, lenientEndpoint: attacker.lenientEndpoint },
    identifier(user, hostile) {
      if (users[user] === undefined) throw new OpenIDConfigError('is not a scripted user', 'user');
      if (hostile === undefined) return claimedIdOf(user);
      attempts += 1;
      return `${base}/${hostile}/${encodeURIComponent(user)}?attempt=${attempts}`;
    },
    use(attack) {
      if (attack !== undefined) checkBehaviour(attack);
      attackName = attack;
    },
    readToEnd: (identifier) => readToEnd.has(new URL(identifier).searchParams.get('attempt') ?? '-'),
    async unsolicitedAssertion({ returnTo, user }) {
      const who = user ?? ('victim' in users ? 'victim' : (names[0] as string));
      const id = claimedIdOf(who);
      const request = server.decodeRequest(
        new URLSearchParams({ 'openid.ns': 'http://specs.openid.net/auth/2.0', 'openid.mode': 'checkid_setup', 'openid.claimed_id': id, 'openid.identity': id, 'openid.return_to': returnTo }),
        { secure: false },
      ) as CheckIDRequest;
      return deliveryUrl({ method: 'GET', target: returnTo, pairs: await assertFor(request, who, { extensions: false }) });
    },
    async close() {
      await Promise.all([http.close(), attacker.close()]);
    },
  };
}
