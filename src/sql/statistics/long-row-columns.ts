import { col, type Column } from "../sql-node.js";
import { atLeast } from "./sql-math.js";
import type { StatisticInput } from "./statistic-builder.js";

/**
 * The long-row columns every statistic returns, in order; `clients` and `too_few_clients` come last,
 * after upstream's columns.
 */
export function longRowColumns(
  input: StatisticInput,
  statistic: string,
  values: {
    /** SQL giving the metric's name: by default the probe's, as a literal; a column where one query serves several probes. */
    metric?: string;
    /** SQL giving the statistic's name: by default `statistic`, as a literal; a column where one query serves several. */
    statistic?: string;
    /** The parameter as a value (a percentile's "50"), or as SQL (`{ sql: "parameter" }`: a column). */
    parameter?: string | { readonly sql: string };
    order?: number;
    point: string;
    lower: string;
    upper: string;
    /** The number of clients the statistic used. */
    clients: string;
    /** TRUE when there are too few clients for an interval (its bounds are then NULL). */
    tooFewClients: string;
  },
): readonly Column[] {
  const { d } = input.ctx;
  return [
    ...input.keys.map((k) => col(k)),
    col(values.metric ?? d.string(input.probe.name), "metric"),
    col(values.statistic ?? d.string(statistic), "statistic"),
    col(
      values.parameter === undefined
        ? d.fn.cast("NULL", "string")
        : typeof values.parameter === "string"
          ? d.string(values.parameter)
          : values.parameter.sql,
      "parameter",
    ),
    col(d.fn.cast(String(values.order ?? 0), "float"), "parameter_order"),
    col(d.fn.cast(values.point, "float"), "point"),
    col(d.fn.cast(values.lower, "float"), "lower"),
    col(d.fn.cast(values.upper, "float"), "upper"),
    col(d.fn.cast(values.clients, "int"), "clients"),
    col(d.fn.cast(values.tooFewClients, "bool"), "too_few_clients"),
  ];
}

/** `x` as a float column of the source. */
export const floatValue = (input: Pick<StatisticInput, "ctx" | "source">, column: string) =>
  input.ctx.d.fn.cast(`${input.source}.${input.ctx.d.ident(column)}`, "float");

/** The standard error of a mean from count `n`, sum `s` and sum of squares `ss` (NULL below 2 values). */
export const standardErrorOfMean = (n: string, s: string, ss: string) =>
  `CASE WHEN ${n} > 1 THEN SQRT(${atLeast(`(${ss} - ${s} * ${s} / ${n}) / (${n} - 1)`, "0")} / ${n}) END`;
