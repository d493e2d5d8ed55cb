import { col, type Column } from "../sql-node.js";
import { tQuantileSql } from "../../stats/t-quantile.js";
import { cubeRoot } from "./sql-math.js";

/**
 * The fewest clients a sum, mean or total_ratio of measured values (not event counts) gives an
 * interval for. Below it a heavy tail is mostly unseen: lognormal σ = 1.5 means covered 83% at 5
 * clients and 89% at 10; at 20 every statistic of the evaluation covers 91.8-95.4%
 * (`npm run eval:stats -- --sizes 10,15,20`), so fewer clients give too_few_clients.
 */
export const MINIMUM_CLIENTS = 20;

/**
 * The columns Hall's interval reads, from `n` values' central moments `m2`, `m3`, `m4` (SQL over one
 * group, divided by n): `skew`, the bias-adjusted sample skewness (0 below 3 values or without
 * spread), and `df`, the t quantile's degrees of freedom: n − 1, or fewer, ⌊n / (κ − 1)⌋ with κ the
 * sample kurtosis m4/m2², where the tails are heavy. s² varies like (κ − 1)/n·σ⁴ (a normal sample's:
 * 2/(n − 1)), so a heavy tail makes the standard error itself uncertain; the evaluation chose half
 * of Satterthwaite's 2n/(κ − 1), since a sample's kurtosis underestimates a heavy tail's.
 *
 * @example hallTermColumns("n", "m2", "m3", "m4") // [skew, df]
 */
export function hallTermColumns(n: string, m2: string, m3: string, m4: string): Column[] {
  const kurtosis = `${m4} / (${m2} * ${m2})`;
  return [
    col(`CASE WHEN ${n} > 2 AND ${m2} > 0 THEN ${m3} / POWER(${m2}, 1.5) * SQRT(${n} * (${n} - 1)) / (${n} - 2) ELSE 0 END`, "skew"),
    col(
      `CASE WHEN ${n} < 2 THEN NULL WHEN NOT ${m2} > 0 OR (${kurtosis} - 1) * (${n} - 1) <= ${n} THEN ${n} - 1 ` +
        `WHEN ${kurtosis} - 1 >= ${n} THEN 1 ELSE FLOOR(${n} / (${kurtosis} - 1)) END`,
      "df",
    ),
  ];
}

/**
 * The columns {@link hallBounds} reads besides `skew`, from `n`, `skew` and `df` of
 * {@link hallTermColumns}: `t`, the t quantile at `q`, and Hall's `a` = γ/(3√n) and `b` = γ/(6√n).
 * A layer of their own, so the bounds name each once rather than spell the quantile's series four times.
 *
 * @example select({ columns: [col("*"), ...hallStepColumns(0.975)], from: terms })
 */
export function hallStepColumns(q: number): Column[] {
  return [col(`(${tQuantileSql(q, "df")})`, "t"), col("skew / (3 * SQRT(n))", "a"), col("skew / (6 * SQRT(n))", "b")];
}

/**
 * Hall's (1992) skewness-corrected Student interval around `center` with standard error `se` (SQL),
 * reading columns `skew`, `t`, `a` and `b` ({@link hallStepColumns}). With T the t statistic and γ the
 * skewness, g(T) = T + aT² + a²T³/3 + b is near N(0, 1) to O(1/n) and monotone, so it inverts in
 * closed form: g⁻¹(y) = ((1 + 3a(y − b))^(1/3) − 1) / a, or y − b without skew. A mean's estimate falls
 * within [μ + g⁻¹(−t)·se, μ + g⁻¹(t)·se] with the interval's level, so the interval is the means whose
 * range holds `center`. A right skew (timings) stretches the upper bound, where a symmetric interval under-covers.
 *
 * @example hallBounds("(s / n)", "se") // { lower: "...", upper: "..." }
 */
export function hallBounds(center: string, se: string): { lower: string; upper: string } {
  const inverse = (y: string) => `(CASE WHEN skew = 0 THEN ${y} - b ELSE (${cubeRoot(`1 + 3 * a * (${y} - b)`)} - 1) / a END)`;
  return { lower: `${center} - ${inverse("t")} * ${se}`, upper: `${center} - ${inverse("-t")} * ${se}` };
}
