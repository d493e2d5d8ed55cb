import type { ProjectGraph } from "../../graph/project-graph.js";
import { GENERATED_HEADER, lookmlNames, type LookmlOptions } from "./lookml-names.js";

const BUILD_DATE = "PARSE_DATE('%Y%m%d', CAST(${TABLE}.build_id AS STRING))";

// lookml-generator caches each field's suggestions for a day (its DEFAULT_MAX_SUGGEST_PERSIST_FOR)
const dimension = (name: string, type: string) =>
  `  dimension: ${name} {\n    sql: \${TABLE}.${name} ;;\n    type: ${type}\n    suggest_persist_for: "24 hours"\n  }\n`;
const dateDimension = (name: string, sql: string, hidden = false) =>
  `  dimension: ${name} {\n    type: date\n${hidden ? "    hidden: yes\n" : ""}    sql: ${sql} ;;\n    datatype: date\n    convert_tz: no\n  }\n`;

/**
 * The view over a project's `<slug>_statistics` view, as lookml-generator's
 * `operational_monitoring_view`: the x-axis as a date dimension (a build id parsed to its date),
 * `branch`, `metric`, `statistic`, `parameter` and the project's dimensions in name order, and `point`,
 * `upper`, `lower` as sum measures.
 *
 * @example writeFileSync("gc.view.lkml", lookmlView(graph));
 */
export function lookmlView(graph: ProjectGraph, options: LookmlOptions = {}): string {
  const n = lookmlNames(graph, options);
  const fields: [string, string][] = [
    ["branch", "string"],
    ["metric", "string"],
    ["parameter", "number"],
    ["statistic", "string"],
    ...graph.population.dimensions.map((d): [string, string] => [d.name, "string"]),
  ];
  fields.sort(([a], [b]) => a.localeCompare(b));
  const x =
    graph.xaxis === "build_id" ? dateDimension("build_id", BUILD_DATE) : dateDimension("submission_date", "${TABLE}.submission_date");
  const measures = ["point", "upper", "lower"].map((m) => `  measure: ${m} {\n    type: sum\n    sql: \${TABLE}.${m} ;;\n  }\n`);
  return `${GENERATED_HEADER}\nview: ${n.explore} {\n  sql_table_name: \`${n.statisticsTable}\` ;;\n\n${[x, ...fields.map(([name, type]) => dimension(name, type)), ...measures].join("\n")}}\n`;
}

/**
 * The view over a project's `<slug>_alerts` view (lookml-generator's
 * `operational_monitoring_alerting_view`): every column, `submission_date` as a date, a hidden
 * `build_id_date`, and `errors` counting rows.
 *
 * @example writeFileSync("gc_alerts.view.lkml", lookmlAlertsView(graph));
 */
export function lookmlAlertsView(graph: ProjectGraph, options: LookmlOptions = {}): string {
  const n = lookmlNames(graph, options);
  const fields: [string, string][] = [
    ["branch", "string"],
    ["build_id", "string"],
    ["message", "string"],
    ["metric", "string"],
    ["parameter", "number"],
    ["statistic", "string"],
    ...graph.population.dimensions.map((d): [string, string] => [d.name, "string"]),
  ];
  fields.sort(([a], [b]) => a.localeCompare(b));
  const body = [
    ...fields.map(([name, type]) => dimension(name, type)),
    dateDimension("submission_date", "${TABLE}.submission_date"),
    dateDimension("build_id_date", BUILD_DATE, true),
    "  measure: errors {\n    type: number\n    sql: COUNT(*) ;;\n  }\n",
  ];
  return `${GENERATED_HEADER}\nview: ${n.alertsExplore} {\n  sql_table_name: \`${n.alertsTable}\` ;;\n\n${body.join("\n")}}\n`;
}
