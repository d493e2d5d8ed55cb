/** Statistics computed directly in TypeScript, independently of the SQL, to check it against. */

import {
  histogramPercentile as histogram,
  meanInterval as mean,
  scalarPercentile as withFlag,
  sumInterval as sum,
} from "../stats/independent.js";

/** Hall's skewness-corrected t interval of the mean, widened by the scaled-Poisson one (the harness's reference). */
export const meanInterval = (values: readonly number[]) => mean(values);
/** n times Hall's mean interval, widened by the compound-Poisson sum's scaled Garwood interval. */
export const sumInterval = (values: readonly number[]) => sum(values);

/** Order-statistic quantile and its binomial interval (NULL bounds where no rank qualifies), as the view shows it. */
export function scalarPercentile(values: readonly number[], percent: number) {
  const { point, lower, upper } = withFlag(values, percent);
  return { point, lower, upper };
}

/** The client-level Woodruff interval of a histogram percentile (the harness's reference), from records. */
export function histogramPercentile(clients: readonly Readonly<Record<number, number>>[], percent: number) {
  const { point, lower, upper } = histogram(
    clients.map((h) => new Map(Object.entries(h).map(([k, v]) => [Number(k), v]))),
    percent,
  );
  return { point, lower, upper };
}
