// The physical floor of case 3: the Diffie-Hellman work of one DH-SHA256
// association in one process with Node's crypto (OpenSSL), no HTTP, no
// messages, no store: a fresh 256-bit private key in the default group,
// g^x mod p, the shared secret with the relying party's key, SHA-256 of it,
// XOR with a fresh MAC key. Prints one JSON line with the rounds.
import { createDiffieHellman, createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DEFAULT_DH_GENERATOR, DEFAULT_DH_MODULUS, btwoc } from 'openid2-core/internals';

const [poolFile, roundsArg, secondsArg, warmupArg] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(poolFile, 'utf8')).map((key) => Buffer.from(key, 'base64'));
const rounds = Number(roundsArg);
const seconds = Number(secondsArg);
const group = createDiffieHellman(btwoc(DEFAULT_DH_MODULUS), btwoc(DEFAULT_DH_GENERATOR));
let next = 0;

function exchange() {
  const peer = keys[next % keys.length];
  next += 1;
  group.setPrivateKey(randomBytes(32));
  group.generateKeys();
  const serverPublic = group.getPublicKey('base64');
  const shared = group.computeSecret(peer);
  let start = 0;
  while (start < shared.length - 1 && shared[start] === 0) start += 1;
  const trimmed = shared.subarray(start);
  const hash = createHash('sha256').update(trimmed[0] >= 0x80 ? Buffer.concat([Buffer.alloc(1), trimmed]) : trimmed).digest();
  const secret = randomBytes(32);
  for (let i = 0; i < 32; i += 1) secret[i] ^= hash[i];
  return serverPublic.length + secret.toString('base64').length;
}

function run(ms) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) {
    exchange();
    ops += 1;
  }
  const wall = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { wall: ops / wall, cpu: ops / ((used.user + used.system) / 1e6) };
}

run(Number(warmupArg) * 1000);
const results = [];
for (let round = 0; round < rounds; round += 1) results.push(run(seconds * 1000));
console.log(JSON.stringify({ rounds: results, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
