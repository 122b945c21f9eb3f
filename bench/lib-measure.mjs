// Small helpers shared by the in-process benchmarks: warm up, run several
// rounds, report the median rate and the spread.
export async function measure(name, fn, { rounds = 5, minMs = 300, warmupMs = 150 } = {}) {
  const deadline = (ms) => performance.now() + ms;
  let stop = deadline(warmupMs);
  while (performance.now() < stop) await fn();
  const rates = [];
  for (let round = 0; round < rounds; round += 1) {
    let ops = 0;
    const start = performance.now();
    stop = start + minMs;
    while (performance.now() < stop) {
      await fn();
      ops += 1;
    }
    rates.push((ops * 1000) / (performance.now() - start));
  }
  rates.sort((a, b) => a - b);
  const median = rates[Math.floor(rates.length / 2)];
  const spread = ((rates[rates.length - 1] - rates[0]) / median) * 100;
  return { name, opsPerSec: median, spreadPct: spread };
}

export function printTable(rows) {
  const width = Math.max(...rows.map((row) => row.name.length), 4);
  console.log(`${'case'.padEnd(width)}  ${'ops/s'.padStart(12)}  spread`);
  for (const row of rows) {
    console.log(`${row.name.padEnd(width)}  ${Math.round(row.opsPerSec).toLocaleString('en-US').padStart(12)}  ±${row.spreadPct.toFixed(1)}%`);
  }
}
