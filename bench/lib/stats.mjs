// Medians and spreads of several rounds, and the records results.json holds.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median of the rounds with the spread: (max − min) / median, in percent. */
export function summarize(values) {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return { median: null, min: null, max: null, spreadPct: null, rounds: values.length };
  const mid = median(finite);
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  return { median: mid, min, max, spreadPct: mid === 0 ? null : ((max - min) / mid) * 100, rounds: finite.length };
}

/** case ÷ reference for both the wall-clock and the CPU-second rates. */
export function ratioOf(subject, reference) {
  const ratio = (a, b) => (a?.median && b?.median ? a.median / b.median : null);
  return { wall: ratio(subject.rate, reference.rate), cpu: ratio(subject.cpuRate, reference.cpuRate) };
}

export const format = {
  rate: (value) => (value === null || value === undefined ? '—' : Math.round(value).toLocaleString('en-US')),
  ratio: (value) => (value === null || value === undefined ? '—' : `${value.toFixed(2)}×`),
  ms: (value) => (value === null || value === undefined ? '—' : `${value.toFixed(value < 10 ? 2 : 1)}`),
  mb: (bytes) => (bytes === null || bytes === undefined ? '—' : `${(bytes / 1048576).toFixed(0)}`),
  pct: (value) => (value === null || value === undefined ? '' : `±${value.toFixed(0)}%`),
};
