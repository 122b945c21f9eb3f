// The load generator, run in its own process pinned to the other core:
// autocannon against one URL, a fixed request or one from a pool (each pool
// entry sent once), bounded in requests and time. Prints one JSON line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
const pool = spec.poolFile === undefined ? undefined : JSON.parse(readFileSync(spec.poolFile, 'utf8')).slice(spec.poolOffset ?? 0);
let next = 0;

const request = {
  method: spec.method ?? 'GET',
  path: spec.path,
  headers: spec.headers ?? {},
  ...(spec.body === undefined ? {} : { body: spec.body }),
};
if (pool !== undefined) {
  request.setupRequest = (req) => {
    const entry = pool[next % pool.length];
    next += 1;
    return { ...req, body: entry };
  };
}

const includes = spec.bodyIncludes;
const result = await autocannon({
  url: spec.url,
  connections: spec.connections ?? 10,
  pipelining: 1,
  // Bounded in requests (maxOverallRequests) and in time (duration), whichever comes first.
  maxOverallRequests: pool === undefined ? spec.amount : Math.min(spec.amount ?? pool.length, pool.length),
  duration: spec.duration ?? 10,
  timeout: 10,
  requests: [request],
  ...(includes === undefined ? {} : { verifyBody: (body) => body.includes(includes) }),
});

const statuses = { '1xx': result['1xx'], '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] };
const expected = spec.expectStatus ?? '2xx';
const ok = Math.max(0, statuses[expected] - (result.mismatches ?? 0));
console.log(
  JSON.stringify({
    ok,
    total: result.requests.total,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: result.mismatches ?? 0,
    seconds: result.duration,
    latency: { p50: result.latency.p50, p99: result.latency.p99 },
  }),
);
