// Case 4: the relying party's complete() in process, ours against
// node-openid's verifyAssertion and python3-openid's Consumer.complete on
// the same prepared assertions, each runner pinned to the server core.
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Association, Message, OPENID2_NS, OPENID_NS } from 'openid2-core';
import { makeNonce, newHandle } from 'openid2-core/internals';
import { scratchFile } from '../lib/http.mjs';
import { runJsonProcess, SERVER_CORE } from '../lib/proc.mjs';
import { summarize } from '../lib/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const runners = join(here, '..', 'consumer');
const ENDPOINT = 'https://op.example/openid';
const CLAIMED_ID = 'https://op.example/user/alice';
const RETURN_TO = 'https://rp.example/openid/return';

/** Positive assertions as an OP signs them with a shared HMAC-SHA256 association, each for its own login (transaction id in return_to) with a fresh nonce. */
export function prepare(count) {
  const secret = randomBytes(32);
  const association = Association.fromExpiresIn(3600, newHandle('HMAC-SHA256'), secret, 'HMAC-SHA256');
  const assertions = [];
  for (let i = 0; i < count; i += 1) {
    const tx = randomBytes(24).toString('base64url');
    const returnTo = `${RETURN_TO}?openid_tx=${tx}`;
    const message = new Message(OPENID2_NS);
    message.setArg(OPENID_NS, 'mode', 'id_res');
    message.setArg(OPENID_NS, 'op_endpoint', ENDPOINT);
    message.setArg(OPENID_NS, 'claimed_id', CLAIMED_ID);
    message.setArg(OPENID_NS, 'identity', CLAIMED_ID);
    message.setArg(OPENID_NS, 'return_to', returnTo);
    message.setArg(OPENID_NS, 'response_nonce', makeNonce());
    association.signMessage(message, ['op_endpoint', 'claimed_id', 'identity', 'return_to', 'response_nonce', 'assoc_handle', 'signed']);
    assertions.push({ tx, url: message.toURL(returnTo) });
  }
  return { endpoint: ENDPOINT, claimedId: CLAIMED_ID, returnTo: RETURN_TO, handle: association.handle, secret: secret.toString('base64'), assertions };
}

function record(subject, result, settings) {
  if (result.failed > 0) settings.log(`!! ${subject}: ${result.failed} assertions not verified (${result.firstFailure})`);
  if (result.exhausted) settings.log(`!! ${subject}: the assertion pool ran out before the rounds ended`);
  return {
    subject,
    unit: 'ops/s',
    rate: summarize(result.rounds.map((round) => round.wall)),
    cpuRate: summarize(result.rounds.map((round) => round.cpu)),
    latencyMs: { p50: null, p99: null },
    peakRssBytes: result.peakRssBytes,
    completed: result.rounds.reduce((sum, round) => sum + round.ops, 0),
    failed: result.failed,
  };
}

export async function consumerCase(settings) {
  const { log, python } = settings;
  log('case 4: consumer complete()');
  const file = scratchFile('assertions', prepare(settings.consumerPool));
  // Rounds of a second: ours and python3-openid run 5 (a garbage collection of a
  // big heap can take a good part of one round); node-openid times whole
  // batches after untimed fills, 3 rounds (its 10^4 level takes ~20 s a batch).
  const timing = (rounds) => [String(rounds), String(settings.consumerSeconds), String(Math.max(settings.warmupSeconds / 2, 0.1))];
  const ourTiming = timing(settings.consumerRounds);
  const node = (script, extra, rounds = settings.consumerRounds) => runJsonProcess(process.execPath, [join(runners, script), file, String(extra), ...timing(rounds)], { core: SERVER_CORE });
  const small = 100;
  const subject = record('openid2-core Consumer, 10^2 nonces stored', await node('ours.mjs', small), settings);
  const references = [];
  if (python.available) {
    references.push(record('python3-openid Consumer.complete, 10^2 nonces', await runJsonProcess('/usr/bin/python3', [join(runners, 'python_consumer.py'), file, String(small), ...ourTiming], { core: SERVER_CORE }), settings));
  }
  for (const level of [small, 500, settings.smoke ? 1000 : 10_000]) {
    references.push(record(`node-openid verifyAssertion, ${level} nonces`, await node('node-openid.cjs', level, settings.rounds), settings));
  }
  const big = record(`openid2-core Consumer, 10^${Math.log10(settings.bigNonces)} nonces stored`, await node('ours.mjs', settings.bigNonces), settings);
  references.push(big);
  const steady = big.cpuRate.median / subject.cpuRate.median;
  return {
    id: 4,
    name: 'consumer complete()',
    subject,
    references,
    checks: [
      { label: `ours with ${settings.bigNonces} stored nonces ÷ ours with 100 (CPU-s)`, value: steady.toFixed(2), want: '≥ 0.90', met: steady >= 0.9 },
      { label: 'assertions not verified', value: subject.failed + references.reduce((sum, reference) => sum + (reference.failed ?? 0), 0), want: 0, met: subject.failed + references.reduce((sum, reference) => sum + (reference.failed ?? 0), 0) === 0, hard: true },
    ],
  };
}
