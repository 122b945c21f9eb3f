// Cases 1–3: the provider endpoint under load, side by side with the Express
// ceiling (or Node's crypto floor) and python3-openid under gunicorn.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Consumer, createFetcher, MemoryStore, objectSession, OPENID2_NS } from 'openid2-core';
import { DiffieHellman, intToBase64 } from 'openid2-core/internals';
import { freePort, measureHttp, scratchFile } from '../lib/http.mjs';
import { runJsonProcess, SERVER_CORE, startProcess } from '../lib/proc.mjs';
import { summarize } from '../lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const servers = join(here, '..', 'servers');
const REALM = 'http://rp.example/';
const RETURN_TO = 'http://rp.example/openid/return';

export async function startOurs(env = {}) {
  return startProcess('openid-provider-express', process.execPath, [join(servers, 'ours-op.mjs')], { env: { OPENID_BENCH_MODE: 'allow', ...env } });
}

function startCeiling() {
  return startProcess('express ceiling', process.execPath, [join(servers, 'express-ceiling.mjs')]);
}

async function startPython() {
  const port = await freePort();
  return startProcess(
    'python3-openid',
    '/usr/bin/python3',
    ['-m', 'gunicorn', '--workers', '1', '--worker-class', 'sync', '--bind', `127.0.0.1:${port}`, '--chdir', servers, '--log-level', 'warning', 'python_op:app'],
    { env: { PORT: String(port) } },
  );
}

/** A shared association made over DH-SHA256 by our consumer, and the checkid_immediate URL a relying party would send with it. */
export async function immediateRequest(endpoint) {
  const consumer = new Consumer({ store: new MemoryStore(), fetcher: createFetcher({ allowPrivateAddresses: true }) });
  const auth = await consumer.beginWithOPEndpoint(objectSession({}), endpoint);
  if (auth.association === undefined) throw new Error(`${endpoint} made no association`);
  const url = new URL(auth.redirectUrl(REALM, RETURN_TO, { immediate: true }));
  // Check the answer once: a redirect carrying a positive assertion signed with the shared association.
  const response = await fetch(url, { redirect: 'manual' });
  const location = new URL(response.headers.get('location') ?? 'http://invalid/');
  const answer = location.searchParams;
  if (response.status !== 302 || answer.get('openid.mode') !== 'id_res' || answer.get('openid.assoc_handle') !== auth.association.handle || !answer.get('openid.sig')) {
    throw new Error(`${endpoint} did not answer checkid_immediate with a positive assertion (${response.status} ${location})`);
  }
  return `${url.pathname}${url.search}`;
}

export async function poolOf(server, path, count) {
  const response = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count, realm: REALM }) });
  if (!response.ok) throw new Error(`${server.name} made no pool: ${response.status} ${await response.text()}`);
  return response.json();
}

export function dhPool(count) {
  const keys = [];
  for (let i = 0; i < count; i += 1) keys.push(intToBase64(new DiffieHellman().publicKey));
  return keys;
}

export function associateBody(key) {
  return new URLSearchParams({
    'openid.ns': OPENID2_NS,
    'openid.mode': 'associate',
    'openid.assoc_type': 'HMAC-SHA256',
    'openid.session_type': 'DH-SHA256',
    'openid.dh_consumer_public': key,
  }).toString();
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export async function providerCases(settings) {
  const { log, python, connections } = settings;
  const records = [];
  const started = [];
  const start = async (factory) => {
    const server = await factory();
    started.push(server);
    return server;
  };
  try {
    const ours = await start(startOurs);
    const ceiling = await start(startCeiling);
    const peer = python.available ? await start(startPython) : undefined;
    const bounded = (rate) => Math.max(50, Math.ceil(rate * settings.roundSeconds * 1.5));

    // --- Case 1: checkid_immediate → signed positive assertion --------------
    log('case 1: provider checkid_immediate');
    const oursPath = await immediateRequest(`${ours.url}/openid`);
    const case1 = { id: 1, name: 'provider checkid_immediate', subject: undefined, references: [] };
    const fixed = (path) => async () => ({ path, connections, expectStatus: '3xx', amount: settings.maxRequests });
    case1.subject = await measureHttp('openid-provider-express', ours, fixed(oursPath), settings);
    case1.references.push(await measureHttp('Express + express-session redirect', ceiling, fixed(`/redirect${oursPath.slice(oursPath.indexOf('?'))}`), settings));
    if (peer) case1.references.push(await measureHttp('python3-openid (gunicorn, 1 worker)', peer, fixed(await immediateRequest(`${peer.url}/openid`)), settings));
    records.push(case1);

    // --- Case 2: check_authentication of fresh stateless assertions ---------
    log('case 2: provider check_authentication');
    const case2 = { id: 2, name: 'provider check_authentication', subject: undefined, references: [] };
    const pooled = (server, path, guess) => {
      let rate = guess;
      // Pools follow the measured rate: unused private associations would stay in the provider's heap until they expire.
      return async (round, lastRate) => {
        if (lastRate !== undefined && lastRate > 0) rate = lastRate;
        const count = round < 0 ? bounded(rate / settings.roundSeconds) : bounded(rate);
        const pool = await poolOf(server, path, Math.min(count, settings.maxRequests));
        return { method: 'POST', path: '/openid', headers: FORM, poolFile: scratchFile('check-auth', pool), connections, expectStatus: '2xx', bodyIncludes: 'is_valid:true' };
      };
    };
    case2.subject = await measureHttp('openid-provider-express', ours, pooled(ours, '/bench/pool', 8000), settings);
    const [sample] = await poolOf(ours, '/bench/pool', 1);
    case2.references.push(
      await measureHttp('Express urlencoded POST', ceiling, async () => ({ method: 'POST', path: '/kv', headers: FORM, body: sample, connections, expectStatus: '2xx', amount: settings.maxRequests }), settings),
    );
    if (peer) case2.references.push(await measureHttp('python3-openid (gunicorn, 1 worker)', peer, pooled(peer, '/pool', 3000), settings));
    // The cost of express-session on direct requests: the same provider with the
    // session middleware mounted in front of everything instead of the router's
    // `session` option (which runs it for checkid requests only).
    const everywhere = await start(() => startOurs({ OPENID_BENCH_SESSION_MOUNT: 'everywhere' }));
    case2.references.push(await measureHttp('openid-provider-express, express-session in front of every request', everywhere, pooled(everywhere, '/bench/pool', 8000), settings));
    await everywhere.stop();
    started.splice(started.indexOf(everywhere), 1);
    records.push(case2);

    // --- Case 3: associate DH-SHA256, a fresh consumer key each time --------
    log('case 3: provider associate DH-SHA256');
    const case3 = { id: 3, name: 'provider associate DH-SHA256', subject: undefined, references: [] };
    const keys = dhPool(settings.dhKeys);
    const keysFile = scratchFile('dh-keys', keys.map(associateBody));
    // The keys in slices: the warm-up and every round get keys never sent before.
    const slice = Math.floor(settings.dhKeys / (settings.rounds + 1));
    const associate = async (round) => ({ method: 'POST', path: '/openid', headers: FORM, poolFile: keysFile, poolOffset: (round + 1) * slice, amount: slice, connections, expectStatus: '2xx', bodyIncludes: 'enc_mac_key:' });
    case3.subject = await measureHttp('openid-provider-express', ours, associate, settings);
    const floor = await runJsonProcess(process.execPath, [join(servers, 'dh-floor.mjs'), scratchFile('dh-public', keys), String(settings.rounds), String(settings.roundSeconds), String(settings.warmupSeconds)], { core: SERVER_CORE });
    case3.references.push({
      subject: 'Node crypto, same DH work in process (floor)',
      unit: 'ops/s',
      rate: summarize(floor.rounds.map((round) => round.wall)),
      cpuRate: summarize(floor.rounds.map((round) => round.cpu)),
      latencyMs: { p50: null, p99: null },
      peakRssBytes: floor.peakRssBytes,
    });
    if (peer) case3.references.push(await measureHttp('python3-openid (gunicorn, 1 worker)', peer, associate, settings));
    records.push(case3);
  } finally {
    await Promise.all(started.map((server) => server.stop()));
  }
  return records;
}
