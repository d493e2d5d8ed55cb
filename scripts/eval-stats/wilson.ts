/**
 * The Wilson score interval of a binomial share `k / n` at normal quantile `z`.
 *
 * @example wilson(380, 400, 1.96) // [0.923, 0.967]
 */
export function wilson(k: number, n: number, z: number): [number, number] {
  if (n === 0) return [0, 1];
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [centre - half, centre + half];
}
