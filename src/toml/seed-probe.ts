import { toTree, type SqlNode } from "../sql/translate/sql-tree.js";
import { tokenizeBigQuery } from "../sql/translate/tokenize-bigquery.js";
import type { TomlTable } from "./read-toml.js";

/** BigQuery's aggregate functions that seed-era expressions used (and the others a config might). */
const AGGREGATES = new Set([
  "ANY_VALUE",
  "APPROX_COUNT_DISTINCT",
  "APPROX_QUANTILES",
  "APPROX_TOP_COUNT",
  "APPROX_TOP_SUM",
  "ARRAY_AGG",
  "ARRAY_CONCAT_AGG",
  "AVG",
  "BIT_AND",
  "BIT_OR",
  "BIT_XOR",
  "COUNT",
  "COUNTIF",
  "HLL_COUNT.INIT",
  "LOGICAL_AND",
  "LOGICAL_OR",
  "MAX",
  "MAX_BY",
  "MIN",
  "MIN_BY",
  "STDDEV",
  "STDDEV_POP",
  "STDDEV_SAMP",
  "STRING_AGG",
  "SUM",
  "VARIANCE",
  "VAR_POP",
  "VAR_SAMP",
]);

/**
 * Whether a select expression aggregates rows itself: an aggregate call outside any subquery
 * (`(SELECT SUM(v) FROM UNNEST(xs))` is still per row).
 *
 * @example isAggregate("SUM(IF(x, 1, 0))") // true
 * @example isAggregate("payload.histograms.gc_ms") // false
 */
export function isAggregate(expression: string): boolean {
  let nodes: readonly SqlNode[];
  try {
    nodes = toTree(tokenizeBigQuery(expression, "select_expression"), "select_expression");
  } catch {
    // text the tokenizer refuses (a Jinja template, say): read the leading call
    return AGGREGATES.has(/^\s*([A-Za-z_.]+)\s*\(/.exec(expression)?.[1]?.toUpperCase() ?? "");
  }
  const visit = (level: readonly SqlNode[]): boolean =>
    level.some((node, i) => {
      if (node.kind === "group") {
        const first = node.children.find((c) => !(c.kind === "token" && (c.token.kind === "space" || c.token.kind === "comment")));
        const subquery = first?.kind === "token" && first.token.kind === "word" && /^(SELECT|WITH)$/i.test(first.token.text);
        return !subquery && visit(node.children);
      }
      if (node.token.kind !== "word" || !AGGREGATES.has(node.token.text.toUpperCase())) return false;
      const next = level.slice(i + 1).find((n) => !(n.kind === "token" && n.token.kind === "space"));
      return next?.kind === "group" && next.open === "(";
    });
  return visit(nodes);
}

/**
 * A seed-era `[probes.<name>]` table as a metric. Two shapes existed: until late August 2022 the
 * expression was per row and upstream aggregated it (histograms merged per client, scalars summed),
 * so the aggregate is made explicit; from then until the rename to `[metrics]` the expression carried
 * its own aggregate and upstream used it as written, so it is kept. Statistics did not exist then:
 * percentiles, the only summary, unless the table gives some.
 *
 * @example seedProbe({ select_expression: "payload.histograms.gc_ms", type: "histogram" }, console.log)
 * // select_expression: "ARRAY_AGG(mozfun.hist.extract(payload.histograms.gc_ms) IGNORE NULLS)"
 */
export function seedProbe(raw: TomlTable, notice: (text: string) => void): TomlTable {
  const expression = raw["select_expression"];
  if (typeof expression !== "string") return raw;
  const statistics = raw["statistics"] ? "" : ", statistics percentile";
  if (isAggregate(expression)) {
    notice(`seed-era probe mapped to a metric: its select already aggregates, kept as written${statistics}`);
    return { ...raw, ...(raw["statistics"] ? {} : { statistics: { percentile: {} } }) };
  }
  const histogram = raw["type"] === "histogram";
  const select = histogram ? `ARRAY_AGG(mozfun.hist.extract(${expression}) IGNORE NULLS)` : `SUM(${expression})`;
  notice(`seed-era probe mapped to a metric: select ${select}${statistics}`);
  return { ...raw, select_expression: select, ...(raw["statistics"] ? {} : { statistics: { percentile: {} } }) };
}
