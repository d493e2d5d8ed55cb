import type { DimensionOptions, StatRow } from "./report-data.js";
import { titleCase } from "./title-case.js";

/** How many values a dimension filter offers, as lookml-generator. */
export const DIMENSION_OPTION_LIMIT = 10;

/**
 * The SQL for a dimension's filter, as lookml-generator's: its values in the statistics view, most
 * common first, the top ten. Only rows with a value count: every value gets a row per day, branch and
 * summary, so counting all rows (as upstream) ties and the default falls to the alphabet.
 *
 * @example dimensionOptionsSql("operational_monitoring.gc_statistics", "os")
 */
export function dimensionOptionsSql(statisticsView: string, dimension: string): string {
  return `SELECT ${dimension} AS option, COUNT(*) AS count FROM ${statisticsView} WHERE ${dimension} IS NOT NULL AND point IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ${DIMENSION_OPTION_LIMIT}`;
}

/**
 * Filter options from counted values (`[{ option, count }]`, any order): most common first, ties by
 * value, so the default is stable between runs.
 *
 * @example fromCounts("os", [{ option: "Linux", count: 3 }, { option: "Windows", count: 9 }]).default // "Windows"
 */
export function fromCounts(
  name: string,
  counts: readonly { readonly option: unknown; readonly count: unknown }[],
  limit?: number,
): DimensionOptions {
  const sorted = counts
    .map((c) => ({ option: String(c.option), count: Number(c.count) }))
    .sort((a, b) => b.count - a.count || a.option.localeCompare(b.option));
  const options = (limit === undefined ? sorted : sorted.slice(0, limit)).map((c) => c.option);
  return { name, title: titleCase(name), default: options[0] ?? null, options };
}

/**
 * Every dimension's options counted over statistics rows with a value (all values: the static site
 * can offer more than ten because it filters in the browser).
 *
 * @example dimensionOptions(rows, ["os", "arch"])[0]?.default // "Windows"
 */
export function dimensionOptions(rows: readonly StatRow[], dimensions: readonly string[], limit?: number): DimensionOptions[] {
  return dimensions.map((name) => {
    const counts = new Map<string, number>();
    for (const row of rows) {
      const value = row.dims[name];
      if (value !== null && value !== undefined && row.point !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return fromCounts(
      name,
      [...counts].map(([option, count]) => ({ option, count })),
      limit,
    );
  });
}
