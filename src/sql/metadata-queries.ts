import type { ProjectGraph } from "../graph/project-graph.js";
import type { Dialect, TypeSpec } from "./dialects/dialect.js";

/** The columns of `projects_v1`: upstream's, then ours (`friendly_name`). */
const COLUMNS: readonly (readonly [string, TypeSpec])[] = [
  ["slug", "string"],
  ["name", "string"],
  ["xaxis", "string"],
  ["branches", { kind: "array", of: "string" }],
  ["dimensions", { kind: "array", of: "string" }],
  [
    "summaries",
    {
      kind: "array",
      of: { kind: "struct", fields: [["statistic", "string"], ["metric", "string"], ["metric_groups", { kind: "array", of: "string" }]] },
    },
  ],
  ["start_date", "date"],
  ["end_date", "date"],
  ["group_by_dimension", "string"],
  ["alerting", "bool"],
  ["compact_visualization", "bool"],
  ["friendly_name", "string"],
];

/** Our columns, added to a table upstream (or an older opmon) created. */
const ADDED = COLUMNS.slice(COLUMNS.findIndex(([name]) => name === "friendly_name"));

/** One `projects_v1` row of a project, as SQL values in column order. */
function row(graph: ProjectGraph, d: Dialect): string {
  const strings = (items: readonly string[]) => d.fn.array(items.map(d.string), "string");
  const nullable = (value: string | undefined, literal: (v: string) => string, type: TypeSpec) => (value === undefined ? d.fn.cast("NULL", type) : literal(value));
  const summaries = graph.probes.flatMap((probe) =>
    probe.statistics.map((statistic) =>
      d.fn.struct([
        ["statistic", d.string(statistic.name)],
        ["metric", d.string(probe.name)],
        ["metric_groups", strings(graph.metricGroups.filter((g) => g.probes.includes(probe.name)).map((g) => g.name))],
      ]),
    ),
  );
  const summaryType = COLUMNS[5]?.[1] ?? "string";
  // upstream's `name` is the configured (or Experimenter's) name; ours falls back to the slug for titles
  const configured = graph.name === graph.slug ? undefined : graph.name;
  return [
    d.string(graph.slug),
    nullable(configured, d.string, "string"),
    d.string(graph.xaxis),
    strings(graph.population.branches),
    strings(graph.population.dimensions.map((dim) => dim.name)),
    summaries.length ? `[${summaries.join(", ")}]` : d.fn.cast("[]", summaryType),
    nullable(graph.startDate, d.date, "date"),
    nullable(graph.endDate, d.date, "date"),
    nullable(graph.population.groupByDimension, d.string, "string"),
    graph.alerts.length > 0 ? "TRUE" : "FALSE",
    graph.compactVisualization ? "TRUE" : "FALSE",
    d.string(graph.name),
  ].join(", ");
}

/**
 * The statements that record projects in `projects_v1` (created if missing, our columns added to a
 * table upstream created, each project's row replaced in one transaction) and expose it as the
 * `projects` view. `name` is upstream's (the configured or Experimenter's name; NULL where upstream
 * wrote "None"), `friendly_name` the name dashboards show (the slug when none is set). Projects ending
 * before they start are left out, as upstream does; with none left there is nothing to write.
 *
 * @example metadataStatements([graph], duckdb, tables.projects, tables.projectsView)
 */
export function metadataStatements(
  graphs: readonly ProjectGraph[],
  d: Dialect,
  table: readonly string[],
  view: readonly string[],
): { readonly create: string; readonly alter: readonly string[]; readonly write: readonly string[]; readonly view: string } {
  const kept = graphs.filter((g) => !(g.endDate !== undefined && g.startDate !== undefined && g.endDate <= g.startDate));
  const t = d.table(table);
  const columns = COLUMNS.map(([name, type]) => `  ${d.ident(name)} ${d.typeName(type)}`).join(",\n");
  const write = kept.length
    ? [
        "BEGIN TRANSACTION",
        `DELETE FROM ${t} WHERE slug IN (${kept.map((g) => d.string(g.slug)).join(", ")})`,
        `INSERT INTO ${t} (${COLUMNS.map(([name]) => d.ident(name)).join(", ")}) VALUES ${kept.map((g) => `(${row(g, d)})`).join(", ")}`,
        d.commit,
      ]
    : [];
  return {
    create: `CREATE TABLE IF NOT EXISTS ${t} (\n${columns}\n)`,
    alter: ADDED.map(([name, type]) => `ALTER TABLE ${t} ADD COLUMN IF NOT EXISTS ${d.ident(name)} ${d.typeName(type)}`),
    write,
    view: `CREATE OR REPLACE VIEW ${d.table(view)} AS SELECT * FROM ${t}`,
  };
}
