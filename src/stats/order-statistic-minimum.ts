/**
 * The fewest independent values whose order statistics bound the p-quantile on both sides at
 * `level`: the largest value is below the true p-quantile with probability p^n (the smallest above
 * it with (1 − p)^n), so a two-sided bound needs max(p, 1 − p)^n <= (1 − level)/2. Below it no
 * interval holds that quantile whatever the distribution, without assuming a tail shape.
 *
 * @example orderStatisticMinimum(0.99) // 368
 * @example orderStatisticMinimum(0.5) // 6
 */
export const orderStatisticMinimum = (p: number, level = 0.95): number =>
  Math.ceil(Math.log((1 - level) / 2) / Math.log(Math.max(p, 1 - p)) - 1e-9);
