// Case 7's process: fills a MemoryStore, then lets everything expire and
// cleans up; RSS and heap after a full GC at each step. Prints one JSON line.
import { randomBytes } from 'node:crypto';
import { Association, MemoryStore } from 'openid2-core';
import { newHandle } from 'openid2-core/internals';

const [noncesArg, associationsArg] = process.argv.slice(2);
let clock = Date.now();
const store = new MemoryStore({ now: () => clock });
const snapshot = () => {
  globalThis.gc();
  globalThis.gc();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed };
};

const baseline = snapshot();
const nowSeconds = Math.floor(clock / 1000);
for (let i = 0; i < Number(noncesArg); i += 1) await store.useNonce('https://op.example/openid', nowSeconds - (i % 300), randomBytes(6).toString('base64url'));
const nonces = snapshot();
for (let i = 0; i < Number(associationsArg); i += 1) {
  await store.storeAssociation(`https://op${i % 100}.example/openid`, Association.fromExpiresIn(3600, newHandle('HMAC-SHA256') + i, randomBytes(32), 'HMAC-SHA256', nowSeconds));
}
const associations = snapshot();
clock += 2 * 24 * 3600 * 1000;
const removed = await store.cleanup();
const cleaned = snapshot();
console.log(JSON.stringify({ baseline, nonces, associations, cleaned, removed, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
