/**
 * Statistics computed in plain TypeScript from their textbook definitions, independently of the SQL
 * builders, to check them against.
 */
import { zForConfidence } from "../../src/stats/normal-quantile.js";
import { tQuantile } from "../../src/stats/t-quantile.js";

export interface Interval {
  readonly point: number | null;
  readonly lower: number | null;
  readonly upper: number | null;
}

const sumOf = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

function sampleVariance(xs: readonly number[]): number {
  const m = sumOf(xs) / xs.length;
  return sumOf(xs.map((x) => (x - m) ** 2)) / (xs.length - 1);
}

/** Gamma(a, 1)'s p-quantile by Wilson-Hilferty: χ²(2a)/2 ≈ a(1 − 1/(9a) + z_p/(3√a))³, 0 for a ≤ 0 or a negative base. */
function gammaQuantileWH(p: number, a: number): number {
  if (a <= 0) return 0;
  const z = p < 0.5 ? -zForConfidence(1 - 2 * p) : zForConfidence(2 * p - 1);
  const base = 1 - 1 / (9 * a) + z / (3 * Math.sqrt(a));
  return base > 0 ? a * base ** 3 : 0;
}

/**
 * Garwood's Poisson interval for a total with dispersion φ = variance/total (1 for a zero total):
 * φ·[G_{α/2}(T/φ), G_{1−α/2}(T/φ + 1)], G the gamma quantile.
 */
function scaledGarwood(total: number, variance: number, level: number): { lower: number; upper: number } {
  const phi = total > 0 && variance > 0 ? variance / total : 1;
  const alpha = 1 - level;
  return { lower: phi * gammaQuantileWH(alpha / 2, total / phi), upper: phi * gammaQuantileWH(1 - alpha / 2, total / phi + 1) };
}

/** Clients with a value, a Poisson count: Garwood's interval (gamma quantiles by Wilson-Hilferty). */
export function countInterval(n: number, level = 0.95): Interval {
  return { point: n, ...scaledGarwood(n, n, level) };
}

/** For values never below 0, the hull of `a` and `b` with the lower bound at least 0; else `a`. */
function hull(xs: readonly number[], a: Interval, b: { lower: number; upper: number }): Interval {
  if (a.lower === null || a.upper === null || xs.some((x) => x < 0)) return a;
  return { point: a.point, lower: Math.max(0, Math.min(a.lower, b.lower)), upper: Math.max(a.upper, b.upper) };
}

/**
 * Hall's skewness-corrected t interval, widened to hold the scaled-Poisson interval of the sum given
 * the clients (over n) when no value is negative. Hall's: g(T) = T + aT² + a²T³/3 + b, a = G1/(3√n), b = G1/(6√n),
 * G1 the bias-adjusted sample skewness (0 below 3 values), inverted at ±t(n−1); none for one value.
 */
export function meanInterval(xs: readonly number[], level = 0.95): Interval {
  const hall = hallMean(xs, level);
  if (xs.length < 2) return hall;
  // the sum given the clients: variance n·s²
  const total = scaledGarwood(sumOf(xs), xs.length * sampleVariance(xs), level);
  return hull(xs, hall, { lower: total.lower / xs.length, upper: total.upper / xs.length });
}

function hallMean(xs: readonly number[], level: number): Interval {
  const n = xs.length;
  const point = sumOf(xs) / n;
  if (n < 2) return { point, lower: null, upper: null };
  const m2 = sumOf(xs.map((x) => (x - point) ** 2)) / n;
  const m3 = sumOf(xs.map((x) => (x - point) ** 3)) / n;
  const skew = n > 2 && m2 > 0 ? (m3 / m2 ** 1.5) * (Math.sqrt(n * (n - 1)) / (n - 2)) : 0;
  const a = skew / (3 * Math.sqrt(n));
  const b = skew / (6 * Math.sqrt(n));
  const inverse = (y: number) => (a === 0 ? y - b : (Math.cbrt(1 + 3 * a * (y - b)) - 1) / a);
  const t = tQuantile(1 - (1 - level) / 2, n - 1);
  const se = Math.sqrt(sampleVariance(xs) / n);
  return { point, lower: point - inverse(t) * se, upper: point - inverse(-t) * se };
}

/** n times Hall's mean interval, widened to hold the compound-Poisson sum's scaled Garwood interval (variance Σx²). */
export function sumInterval(xs: readonly number[], level = 0.95): Interval {
  const m = hallMean(xs, level);
  const n = xs.length;
  const scale = (v: number | null) => (v === null ? null : v * n);
  const hall = { point: scale(m.point), lower: scale(m.lower), upper: scale(m.upper) };
  return hull(xs, hall, scaledGarwood(sumOf(xs), sumOf(xs.map((x) => x * x)), level));
}

/**
 * Σx/Σy over pairs; delta-method se = √(Var(x − R·y)/n)/|ȳ| with t(n − 1). Numerators never below 0
 * and Σy > 0: the log-scale bounds R·e^(∓t·se/R) (none at R = 0), hulled with Garwood's interval of
 * Σx at dispersion Σ(x − R·y)²/Σx, over Σy, the lower at least 0. Else R ∓ t·se. NULL when Σy = 0.
 */
export function ratioInterval(pairs: readonly (readonly [number, number])[], level = 0.95): Interval {
  const n = pairs.length;
  const sx = sumOf(pairs.map(([x]) => x));
  const sy = sumOf(pairs.map(([, y]) => y));
  if (sy === 0) return { point: null, lower: null, upper: null };
  const r = sx / sy;
  if (n < 2) return { point: r, lower: null, upper: null };
  const residuals = pairs.map(([x, y]) => x - r * y);
  const se = Math.sqrt(sampleVariance(residuals) / n) / Math.abs(sy / n);
  const t = tQuantile(1 - (1 - level) / 2, n - 1);
  if (pairs.some(([x]) => x < 0) || sy < 0) return { point: r, lower: r - t * se, upper: r + t * se };
  const g = scaledGarwood(sx, sumOf(residuals.map((e) => e * e)), level);
  const [pl, pu] = [g.lower / sy, g.upper / sy];
  if (r <= 0) return { point: r, lower: Math.max(0, pl), upper: pu };
  const [ll, lu] = [r * Math.exp((-t * se) / r), r * Math.exp((t * se) / r)];
  return { point: r, lower: Math.max(0, Math.min(ll, pl)), upper: Math.max(lu, pu) };
}

/** P(B <= j), B ~ Binomial(n, p), summed in log space (exact to float precision). */
export function binomialCdf(j: number, n: number, p: number): number {
  if (j < 0) return 0;
  if (j >= n) return 1;
  const logs: number[] = [];
  let log = n * Math.log1p(-p);
  for (let k = 0; k <= j; k++) {
    logs.push(log);
    log += Math.log((n - k) / (k + 1)) + Math.log(p / (1 - p));
  }
  const top = Math.max(...logs);
  return Math.exp(top) * sumOf(logs.map((l) => Math.exp(l - top)));
}

/**
 * The value at rank ⌈p·n⌉ of the sorted values; the interval is the order-statistic one: the largest
 * rank l with P(B <= l − 1) <= α/2, the smallest u with P(B <= u − 1) >= 1 − α/2, NULL where no rank
 * qualifies (then too few clients).
 */
export function scalarPercentile(xs: readonly number[], percent: number, level = 0.95): Interval & { tooFewClients: boolean } {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  const p = percent / 100;
  const tail = (1 - level) / 2;
  let lower: number | null = null;
  let upper: number | null = null;
  for (let rank = 1; rank <= n; rank++) {
    const cdf = binomialCdf(rank - 1, n, p);
    if (cdf <= tail) lower = sorted[rank - 1] ?? null;
    if (cdf >= 1 - tail && upper === null) upper = sorted[rank - 1] ?? null;
  }
  const point = sorted[Math.min(n, Math.max(1, Math.ceil(p * n - 1e-9))) - 1] ?? null;
  return { point, lower, upper, tooFewClients: lower === null || upper === null };
}

/**
 * Each client's histogram normalised to 1 and merged; the quantile bucket is the first non-empty one
 * whose cumulative share reaches q. Point = its midpoint with the next bucket, lower = left edge at
 * p − h, upper = right edge (the next bucket, or itself if last) at p + h, h = z·√(p(1−p)/n).
 */
export function histogramPercentile(clients: readonly ReadonlyMap<number, number>[], percent: number, level = 0.95): Interval {
  const merged = new Map<number, number>();
  let n = 0;
  for (const h of clients) {
    const total = sumOf([...h.values()]);
    if (total === 0) continue;
    n++;
    for (const [k, v] of h) merged.set(k, (merged.get(k) ?? 0) + v / total);
  }
  const keys = [...merged.keys()].sort((a, b) => a - b);
  let running = 0;
  const cdf = keys.map((k) => (running += merged.get(k) ?? 0) / n);
  const index = (q: number) => keys.findIndex((k, i) => (merged.get(k) ?? 0) > 0 && (cdf[i] ?? 0) >= Math.min(q, 1) - 1e-9);
  const next = (i: number) => keys[i + 1] ?? keys[i] ?? null;
  const p = percent / 100;
  const half = zForConfidence(level) * Math.sqrt((p * (1 - p)) / n);
  const i = index(p);
  const left = keys[i];
  const right = next(i);
  return {
    point: left === undefined || right === null ? null : (left + right) / 2,
    // a probability outside (0, 1) leaves the data: no bound
    lower: p - half > 0 ? (keys[index(p - half)] ?? null) : null,
    upper: p + half < 1 ? next(index(p + half)) : null,
  };
}
