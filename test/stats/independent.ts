/**
 * Statistics computed in plain TypeScript from their textbook definitions, independently of the SQL
 * builders, to check them against.
 */
import { zForConfidence } from "../../src/stats/normal-quantile.js";

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

/** Clients with a value: n ± z·√n, never below 0. */
export function countInterval(n: number, level = 0.95): Interval {
  const half = zForConfidence(level) * Math.sqrt(n);
  return { point: n, lower: Math.max(0, n - half), upper: n + half };
}

/** x̄ ± z·s/√n; no interval for a single value. */
export function meanInterval(xs: readonly number[], level = 0.95): Interval {
  const n = xs.length;
  const point = sumOf(xs) / n;
  if (n < 2) return { point, lower: null, upper: null };
  const half = zForConfidence(level) * Math.sqrt(sampleVariance(xs) / n);
  return { point, lower: point - half, upper: point + half };
}

/** Σx ± z·√n·s. */
export function sumInterval(xs: readonly number[], level = 0.95): Interval {
  const m = meanInterval(xs, level);
  const n = xs.length;
  const scale = (v: number | null) => (v === null ? null : v * n);
  return { point: scale(m.point), lower: scale(m.lower), upper: scale(m.upper) };
}

/** Σx/Σy over pairs, delta method: var(R) ≈ Var(x − R·y) / (n·ȳ²); NULL when Σy = 0. */
export function ratioInterval(pairs: readonly (readonly [number, number])[], level = 0.95): Interval {
  const n = pairs.length;
  const sx = sumOf(pairs.map(([x]) => x));
  const sy = sumOf(pairs.map(([, y]) => y));
  if (sy === 0) return { point: null, lower: null, upper: null };
  const r = sx / sy;
  if (n < 2) return { point: r, lower: null, upper: null };
  const residuals = pairs.map(([x, y]) => x - r * y);
  const se = Math.sqrt(sampleVariance(residuals) / n) / Math.abs(sy / n);
  const half = zForConfidence(level) * se;
  return { point: r, lower: r - half, upper: r + half };
}

/** The value at rank ⌈q·n⌉ (clamped to 1..n) of the sorted values; interval from q = p ∓ z·√(p(1−p)/n). */
export function scalarPercentile(xs: readonly number[], percent: number, level = 0.95): Interval {
  const sorted = [...xs].sort((a, b) => a - b);
  const n = sorted.length;
  const at = (q: number) => sorted[Math.min(n, Math.max(1, Math.ceil(q * n - 1e-9))) - 1] ?? null;
  const p = percent / 100;
  const half = zForConfidence(level) * Math.sqrt((p * (1 - p)) / n);
  return { point: at(p), lower: at(p - half), upper: at(p + half) };
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
    lower: keys[index(p - half)] ?? null,
    upper: next(index(p + half)),
  };
}
