/** Statistics computed directly in TypeScript, independently of the SQL, to check it against. */

import { meanInterval as mean, scalarPercentile as withFlag, sumInterval as sum } from "../stats/independent.js";

const Z95 = 1.959963984540054;

/** Hall's skewness-corrected t interval of the mean, widened by the scaled-Poisson one (the harness's reference). */
export const meanInterval = (values: readonly number[]) => mean(values);
/** n times Hall's mean interval, widened by the compound-Poisson sum's scaled Garwood interval. */
export const sumInterval = (values: readonly number[]) => sum(values);

/** Order-statistic quantile and its binomial interval (NULL bounds where no rank qualifies), as the view shows it. */
export function scalarPercentile(values: readonly number[], percent: number) {
  const { point, lower, upper } = withFlag(values, percent);
  return { point, lower, upper };
}

/** Each client's histogram normalised to 1, merged, then read at p (midpoint) and p ∓ z·√(p(1−p)/n) (edges). */
export function histogramPercentile(clients: readonly Readonly<Record<number, number>>[], percent: number) {
  const merged = new Map<number, number>();
  let n = 0;
  for (const h of clients) {
    const total = Object.values(h).reduce((a, b) => a + b, 0);
    if (total === 0) continue;
    n++;
    for (const [k, v] of Object.entries(h)) merged.set(Number(k), (merged.get(Number(k)) ?? 0) + v / total);
  }
  const buckets = [...merged.keys()].sort((a, b) => a - b);
  const cdf: number[] = [];
  let running = 0;
  for (const b of buckets) cdf.push((running += merged.get(b) ?? 0) / n);
  const index = (q: number) => cdf.findIndex((c) => c >= Math.min(q, 1) - 1e-9);
  const next = (i: number) => buckets[i + 1] ?? buckets[i] ?? NaN;
  const p = percent / 100;
  const half = Z95 * Math.sqrt((p * (1 - p)) / n);
  const i = index(p);
  // a probability outside (0, 1) leaves the data: no bound
  return {
    point: ((buckets[i] ?? NaN) + next(i)) / 2,
    lower: p - half > 0 ? (buckets[index(p - half)] ?? NaN) : null,
    upper: p + half < 1 ? next(index(p + half)) : null,
  };
}
