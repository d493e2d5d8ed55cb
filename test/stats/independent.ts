/**
 * Statistics computed in plain TypeScript from their textbook definitions, independently of the SQL
 * builders, to check them against.
 */
import { zForConfidence } from "../../src/stats/normal-quantile.js";
import { tQuantile } from "../../src/stats/t-quantile.js";
import { orderStatisticMinimum } from "../../src/stats/order-statistic-minimum.js";

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
 * φ·[G_{α/2}(T/φ), G_{1−α/2}(T/φ + 1)], G the gamma quantile. `jeffreys`: the lower bound Jeffreys'
 * φ·G_{α/2}(T/φ + 1/2) instead.
 */
function scaledGarwood(total: number, variance: number, level: number, jeffreys = false): { lower: number; upper: number } {
  const phi = total > 0 && variance > 0 ? variance / total : 1;
  const alpha = 1 - level;
  const k = total / phi;
  return { lower: phi * gammaQuantileWH(alpha / 2, jeffreys ? k + 0.5 : k), upper: phi * gammaQuantileWH(1 - alpha / 2, k + 1) };
}

/** Event counts: integers, none below 0, sample variance at most twice the mean (a Poisson count's is the mean). */
const isCount = (xs: readonly number[]) =>
  xs.length > 1 && xs.every((x) => x >= 0 && Number.isInteger(x)) && sampleVariance(xs) <= (2 * sumOf(xs)) / xs.length;

/** Clients with a value, a Poisson count: Garwood's interval (gamma quantiles by Wilson-Hilferty). */
export function countInterval(n: number, level = 0.95): Interval {
  return { point: n, ...scaledGarwood(n, n, level) };
}

/** For values never below 0, the hull of `a` and `b` with the lower bound at least 0; else `a`. */
function hull(xs: readonly number[], a: Interval, b: { lower: number; upper: number }): Interval {
  if (a.lower === null || a.upper === null || xs.some((x) => x < 0)) return a;
  return { point: a.point, lower: Math.max(0, Math.min(a.lower, b.lower)), upper: Math.max(a.upper, b.upper) };
}

/** The fewest clients a sum, mean or total_ratio of measured values (not event counts) has an interval with. */
export const MINIMUM_CLIENTS = 20;

/**
 * Hall's skewness-corrected t interval, widened to hold the scaled-Poisson interval of the sum given
 * the clients (over n) when no value is negative; event counts ({@link isCount}) take that scaled-Poisson
 * interval alone, with Jeffreys' lower bound. Hall's: g(T) = T + aT² + a²T³/3 + b, a = G1/(3√n), b = G1/(6√n),
 * G1 the bias-adjusted sample skewness (0 below 3 values), inverted at ±t(ν), ν = n − 1 or, for a
 * sample kurtosis κ > 1 + n/(n − 1), ⌊n/(κ − 1)⌋ (at least 1). No interval below
 * {@link MINIMUM_CLIENTS} values (event counts: below 2).
 */
export function meanInterval(xs: readonly number[], level = 0.95): Interval {
  const n = xs.length;
  const point = n ? sumOf(xs) / n : null;
  if (n < 2) return { point, lower: null, upper: null };
  // the sum given the clients: variance n·s²
  const counts = isCount(xs);
  if (!counts && n < MINIMUM_CLIENTS) return { point, lower: null, upper: null };
  const total = scaledGarwood(sumOf(xs), n * sampleVariance(xs), level, counts);
  if (counts) return { point, lower: total.lower / n, upper: total.upper / n };
  const hall = hallInterval(xs, (point ?? 0) as number, Math.sqrt(sampleVariance(xs) / n), level);
  return hull(xs, { point, ...hall }, { lower: total.lower / n, upper: total.upper / n });
}

/**
 * Hall's interval around `center` with standard error `se`, from the skewness and kurtosis of `values`
 * (their mean removed).
 */
function hallInterval(values: readonly number[], center: number, se: number, level: number): { lower: number; upper: number } {
  const n = values.length;
  const m = sumOf(values) / n;
  const moment = (k: number) => sumOf(values.map((x) => (x - m) ** k)) / n;
  const [m2, m3, m4] = [moment(2), moment(3), moment(4)];
  const skew = n > 2 && m2 > 0 ? (m3 / m2 ** 1.5) * (Math.sqrt(n * (n - 1)) / (n - 2)) : 0;
  const kurtosis = m2 > 0 ? m4 / (m2 * m2) : 0;
  const df = (kurtosis - 1) * (n - 1) > n ? Math.max(1, Math.floor(n / (kurtosis - 1))) : n - 1;
  const a = skew / (3 * Math.sqrt(n));
  const b = skew / (6 * Math.sqrt(n));
  const inverse = (y: number) => (a === 0 ? y - b : (Math.cbrt(1 + 3 * a * (y - b)) - 1) / a);
  const t = tQuantile(1 - (1 - level) / 2, df);
  return { lower: center - inverse(t) * se, upper: center - inverse(-t) * se };
}

/**
 * n times Hall's mean interval, widened to hold the compound-Poisson sum's scaled Garwood interval
 * (variance Σx²); for event counts ({@link isCount}), that interval alone with Jeffreys' lower bound.
 */
export function sumInterval(xs: readonly number[], level = 0.95): Interval {
  const n = xs.length;
  const point = sumOf(xs);
  const counts = isCount(xs);
  if (n < 2 || (!counts && n < MINIMUM_CLIENTS)) return { point, lower: null, upper: null };
  const poisson = scaledGarwood(point, sumOf(xs.map((x) => x * x)), level, counts);
  if (counts) return { point, ...poisson };
  const m = hallInterval(xs, point / n, Math.sqrt(sampleVariance(xs) / n), level);
  return hull(xs, { point, lower: n * m.lower, upper: n * m.upper }, poisson);
}

/**
 * Σx/Σy over pairs: Hall's interval of the residuals' mean (e = x − R·y) over ȳ, se = √(Σe²/(n − 1)/n)/|ȳ|.
 * Numerators never below 0 and Σy > 0: hulled with Garwood's interval of Σx at dispersion Σe²/Σx,
 * over Σy, the lower at least 0; integer numerators of dispersion at most 2 take that Garwood
 * interval alone, with Jeffreys' lower bound. NULL when Σy = 0; no interval below
 * {@link MINIMUM_CLIENTS} pairs (event counts: below 2).
 */
export function ratioInterval(pairs: readonly (readonly [number, number])[], level = 0.95): Interval {
  const n = pairs.length;
  const sx = sumOf(pairs.map(([x]) => x));
  const sy = sumOf(pairs.map(([, y]) => y));
  if (sy === 0) return { point: null, lower: null, upper: null };
  const r = sx / sy;
  const residuals = pairs.map(([x, y]) => x - r * y);
  const spread = sumOf(residuals.map((e) => e * e));
  // event counts: integers not below 0 with a residual dispersion of at most 2
  const counts = pairs.every(([x]) => x >= 0 && Number.isInteger(x)) && spread <= 2 * sx;
  if (n < 2 || (!counts && n < MINIMUM_CLIENTS)) return { point: r, lower: null, upper: null };
  const se = Math.sqrt(spread / (n - 1) / n) / Math.abs(sy / n);
  const hall = hallInterval(residuals, r, se, level);
  if (pairs.some(([x]) => x < 0) || sy < 0) return { point: r, ...hall };
  const g = scaledGarwood(sx, spread, level, counts);
  const [pl, pu] = [g.lower / sy, g.upper / sy];
  if (counts) return { point: r, lower: pl, upper: pu };
  return { point: r, lower: Math.max(0, Math.min(hall.lower, pl)), upper: Math.max(hall.upper, pu) };
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
 * Woodruff's interval with the client as the unit. Each client's histogram normalised to 1; the merged
 * distribution is their average, spread uniformly inside each bucket (from its key to the next key;
 * the top bucket has no width), and empty buckets never hold a quantile. Point = the merged quantile
 * at p; se² = (s² of the clients' CDFs at the point + mean over clients of the variance of where their
 * samples in the point's bucket fall, t(1 − t)·share/count) / n; bounds = merged quantiles at p ∓ t(n − 1)·se,
 * none when that leaves (0, 1) or for one client.
 */
export function histogramPercentile(
  clients: readonly ReadonlyMap<number, number>[],
  percent: number,
  level = 0.95,
): Interval & { tooFewClients: boolean } {
  const used = clients.map((h) => ({ h, total: sumOf([...h.values()]) })).filter((c) => c.total > 0);
  const n = used.length;
  const keys = [...new Set(used.flatMap((c) => [...c.h.keys()]))].sort((a, b) => a - b);
  const share = (c: (typeof used)[number], k: number) => (c.h.get(k) ?? 0) / c.total;
  const mass = keys.map((k) => sumOf(used.map((c) => share(c, k))) / n);
  /** The merged distribution's q-quantile, by walking the buckets' masses. */
  const quantile = (q: number): { value: number; bucket: number; t: number } | null => {
    let below = 0;
    for (let i = 0; i < keys.length; i++) {
      const m = mass[i] ?? 0;
      if (m > 0 && below + m >= q - 1e-9) {
        const t = Math.min(1, Math.max(0, (q - below) / m));
        const left = keys[i] ?? 0;
        const right = keys[i + 1] ?? left;
        return { value: left + t * (right - left), bucket: left, t };
      }
      below += m;
    }
    return null;
  };
  const p = percent / 100;
  const at = quantile(p);
  if (at === null) return { point: null, lower: null, upper: null, tooFewClients: true };
  const cdfs = used.map((c) => sumOf(keys.filter((k) => k < at.bucket).map((k) => share(c, k))) + at.t * share(c, at.bucket));
  const within = used.map((c) => (at.t * (1 - at.t) * share(c, at.bucket)) / c.total);
  const se = n > 1 ? Math.sqrt((sampleVariance(cdfs) + sumOf(within) / n) / n) : null;
  const half = se === null ? null : tQuantile(1 - (1 - level) / 2, n - 1) * se;
  // effective independent samples p(1 − p)/se²: below the order-statistic minimum, no interval
  const enough = !se || (p * (1 - p)) / (se * se) >= orderStatisticMinimum(p, level);
  const lower = enough && half !== null && p - half > 0 ? (quantile(p - half)?.value ?? null) : null;
  const upper = enough && half !== null && p + half < 1 ? (quantile(p + half)?.value ?? null) : null;
  return { point: at.value, lower, upper, tooFewClients: !enough || half === null || p - half <= 0 || p + half >= 1 };
}
