import { normalQuantile } from "./normal-quantile.js";

/**
 * The p-quantile of a Gamma(shape, 1) variable by Wilson and Hilferty's cube-root normal approximation
 * (χ²ν/2 with ν = 2·shape): shape·(1 − 1/(9·shape) + z·√(1/(9·shape)))³, 0 where the cube's base is
 * not positive. Closed form, so {@link gammaQuantileSql} spells the same in both dialects. Within about
 * 1% from shape 1 at the 2.5% and 97.5% points; below, the lower quantile comes out low (wider).
 *
 * @example gammaQuantile(0.975, 1) // ~3.67 (exactly 3.689)
 */
export function gammaQuantile(p: number, shape: number): number {
  if (!(shape > 0)) return 0;
  const base = 1 - 1 / (9 * shape) + normalQuantile(p) * Math.sqrt(1 / (9 * shape));
  return base > 0 ? shape * base ** 3 : 0;
}

/**
 * SQL for {@link gammaQuantile} at `p` with `shape` an SQL expression (0 for a shape not above 0,
 * NULL for NULL); only arithmetic, POWER, SQRT and CASE.
 *
 * @example gammaQuantileSql(0.975, "(k + 1)")
 */
export function gammaQuantileSql(p: number, shape: string): string {
  const base = `(1 - 1 / (9 * ${shape}) + ${normalQuantile(p)} * SQRT(1 / (9 * ${shape})))`;
  return `CASE WHEN ${shape} > 0 THEN CASE WHEN ${base} > 0 THEN ${shape} * POWER(${base}, 3) ELSE 0 END WHEN ${shape} <= 0 THEN 0 END`;
}

/**
 * A scaled-Poisson (Garwood) interval for a nonnegative total `total` with variance `variance`: the total
 * over its dispersion φ = variance / total is treated as a Poisson count k, and Garwood's exact bounds
 * (gamma quantiles at k and k + 1) are scaled back by φ. A zero total takes φ = 1 (the events' unit), so
 * it gets [0, 3.69] at 95%, not [0, 0]. `lowerShift` 0.5 takes Jeffreys' lower bound (gamma quantile
 * at k + 1/2) instead of Garwood's exact one: exact bounds over-cover on both sides, and with a few
 * events the two sides together hold far more than 95%; Jeffreys' side is near 2.5% on average while
 * the upper bound, the one a rare-event rate is judged by, stays exact.
 *
 * @example scaledPoissonInterval(1, 1, 0.95) // ~{ lower: 0.025, upper: 5.57 }
 * @example scaledPoissonInterval(7, 7, 0.95, 0.5).lower // ~3.13 (Garwood's: 2.81)
 */
export function scaledPoissonInterval(total: number, variance: number, level: number, lowerShift = 0): { lower: number; upper: number } {
  const phi = total > 0 && variance > 0 ? variance / total : 1;
  const k = total / phi;
  const tail = (1 - level) / 2;
  return { lower: phi * gammaQuantile(tail, k + lowerShift), upper: phi * gammaQuantile(1 - tail, k + 1) };
}

/**
 * SQL for the dispersion φ of {@link scaledPoissonInterval}: `variance` / `total`, or 1 for a total
 * or variance not above 0. A query computes it as a column once, and {@link scaledPoissonIntervalSql}
 * reads that column, so the gamma quantiles (which name their shape several times) stay short.
 *
 * @example dispersionSql("s", "ss") // "(CASE WHEN (s) > 0 AND (ss) > 0 THEN (ss) / (s) ELSE 1 END)"
 */
export const dispersionSql = (total: string, variance: string): string =>
  `(CASE WHEN (${total}) > 0 AND (${variance}) > 0 THEN (${variance}) / (${total}) ELSE 1 END)`;

/**
 * SQL for {@link scaledPoissonInterval}: `total` an SQL expression, `phi` a column holding its
 * {@link dispersionSql}.
 *
 * @example scaledPoissonIntervalSql("s", "phi", 0.95).upper
 */
export function scaledPoissonIntervalSql(total: string, phi: string, level: number, lowerShift = 0): { lower: string; upper: string } {
  const k = `${total} / ${phi}`;
  const tail = (1 - level) / 2;
  return {
    lower: `${phi} * (${gammaQuantileSql(tail, lowerShift ? `(${k} + ${lowerShift})` : `(${k})`)})`,
    upper: `${phi} * (${gammaQuantileSql(1 - tail, `(${k} + 1)`)})`,
  };
}
