import { normalQuantile } from "./normal-quantile.js";

/**
 * The upper tail probability of the standard normal beyond `z`, P(Z > z), by bisection on
 * {@link normalQuantile} (so the tail and the quantile the SQL uses agree to ~1e-12).
 *
 * @example normalTail(1.959963984540054) // ~0.025
 */
export function normalTail(z: number): number {
  let lo = 1e-15;
  let hi = 1 - 1e-15;
  // normalQuantile(1 - t) decreases in t: find t where it equals z
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalQuantile(1 - mid) > z) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * The z-score Camp and Paulson's approximation gives the binomial CDF P(B <= j), B ~ Binomial(n, p),
 * for 0 <= j < n: P(B <= j) ≈ Φ(result). Accurate to a rank in the tails the quantile intervals use
 * (the SQL spells the same formula; this is its reference).
 *
 * @example binomialCdfZ(5, 10, 0.5) // ~0.6 (P(B <= 5) = 0.623)
 */
export function binomialCdfZ(j: number, n: number, p: number): number {
  const f = ((n - j) * p) / ((j + 1) * (1 - p));
  const c = Math.cbrt(f);
  return (1 - 1 / (9 * (j + 1)) - (1 - 1 / (9 * (n - j))) * c) / Math.sqrt(1 / (9 * (j + 1)) + (c * c) / (9 * (n - j)));
}
