import { normalQuantile } from "./normal-quantile.js";

/**
 * Student's t quantile for df degrees of freedom: exact for 1 and 2, else the Cornish-Fisher series in
 * 1/df (Abramowitz and Stegun 26.7.5; error below 1e-3 from df = 3). {@link tQuantileSql} spells the
 * same in SQL.
 *
 * @example tQuantile(0.975, 10) // ~2.228
 */
export function tQuantile(q: number, df: number): number {
  if (df === 1) return Math.tan(Math.PI * (q - 0.5));
  if (df === 2) return (2 * q - 1) / Math.sqrt(2 * q * (1 - q));
  return tSeries(q).reduce((acc, g, i) => acc + g / df ** i, 0);
}

/** The coefficients g0..g4 of t ≈ Σ g_i / df^i. */
function tSeries(q: number): number[] {
  const x = normalQuantile(q);
  return [
    x,
    (x ** 3 + x) / 4,
    (5 * x ** 5 + 16 * x ** 3 + 3 * x) / 96,
    (3 * x ** 7 + 19 * x ** 5 + 17 * x ** 3 - 15 * x) / 384,
    (79 * x ** 9 + 776 * x ** 7 + 1482 * x ** 5 - 1920 * x ** 3 - 945 * x) / 92160,
  ];
}

/**
 * SQL for the t quantile at `q` with `df` (an SQL expression, at least 1) degrees of freedom.
 *
 * @example tQuantileSql(0.975, "(n - 1)")
 */
export function tQuantileSql(q: number, df: string): string {
  const [g0, ...rest] = tSeries(q);
  const series = rest.map((g, i) => `${g} / POWER(${df}, ${i + 1})`).join(" + ");
  return `CASE WHEN ${df} = 1 THEN ${tQuantile(q, 1)} WHEN ${df} = 2 THEN ${tQuantile(q, 2)} ELSE ${g0} + ${series} END`;
}
