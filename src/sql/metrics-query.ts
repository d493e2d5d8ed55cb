import type { GraphProbe } from "../graph/project-graph.js";
import { dataSourceSql } from "./population-query.js";
import { col, fromSql, select, withCtes, type Cte, type Join, type Query } from "./sql-node.js";
import type { SqlContext } from "./sql-context.js";

/** The columns that identify a row of the metrics table, in table order. */
export const metricsKeyColumns = (ctx: SqlContext): readonly string[] => [
  "submission_date",
  "client_id",
  "build_id",
  ...ctx.graph.population.dimensions.map((dim) => dim.name),
  "branch",
];

/** One CTE per data source: each client's aggregates over the day (or per build over the window). */
function dataSourceCte(ctx: SqlContext, dataSource: string, probes: readonly GraphProbe[]): Cte {
  const { d, graph } = ctx;
  const src = dataSourceSql(ctx, dataSource);
  const gbd = graph.population.dimensions.find((dim) => dim.name === graph.population.groupByDimension);
  const keys = [
    ...(src.clientId === undefined ? [] : [col(d.fn.cast(src.clientId, "string"), "client_id")]),
    ...(graph.xaxis === "build_id" ? [col(src.build, "build_id")] : []),
    ...(gbd ? [col(d.fn.cast(d.configSql(gbd.select, `dimension ${gbd.name} (in data source ${dataSource})`), "string"), gbd.name)] : []),
  ];
  const where = graph.xaxis === "build_id" ? [src.dateFilter, src.buildFilter] : [src.dateFilter];
  // aggregate only the population's clients: the join drops the others anyway, after paying for them
  if (src.clientId !== undefined) where.push(`${d.fn.cast(src.clientId, "string")} IN (SELECT client_id FROM population)`);
  const query = select({
    columns: [...keys, ...probes.map((p) => col(d.configSql(p.select, `probe ${p.name}`), p.name))],
    from: fromSql(src.from),
    where,
    ...(keys.length ? { groupBy: keys.map((_, i) => String(i + 1)) } : {}),
  });
  return { name: `metrics_${dataSource}`, query };
}

/**
 * The per-client metrics of one day for some probes: the population joined with one aggregate CTE
 * per data source, restricted to the project's branches. With every probe, this is the day's
 * partition of `<slug>_v1`.
 *
 * @example printQuery(metricsQuery(ctx, ctx.graph.probes), ctx.d)
 */
export function metricsQuery(ctx: SqlContext, probes: readonly GraphProbe[], population: readonly Cte[]): Query {
  const { d, graph } = ctx;
  const sources = [...new Set(probes.map((p) => p.dataSource))];
  const ctes = sources.map((s) =>
    dataSourceCte(
      ctx,
      s,
      probes.filter((p) => p.dataSource === s),
    ),
  );
  const gbd = graph.population.groupByDimension;
  const joins: Join[] = sources.map((s) => {
    const cte = d.ident(`metrics_${s}`);
    const on = [];
    if (dataSourceSql(ctx, s).clientId !== undefined) on.push(`${cte}.client_id = population.client_id`);
    if (graph.xaxis === "build_id") on.push(`${cte}.build_id = population.build_id`);
    if (gbd) on.push(`${cte}.${d.ident(gbd)} = population.${d.ident(gbd)}`);
    return { type: "LEFT", item: fromSql(cte), on };
  });
  const columns = [
    ...metricsKeyColumns(ctx).map((k) => col(`population.${d.ident(k)}`, k)),
    ...probes.map((p) => col(`${d.ident(`metrics_${p.dataSource}`)}.${d.ident(p.name)}`, p.name)),
  ];
  const where =
    graph.population.branching.mode === "entire_population"
      ? []
      : [`population.branch IN (${graph.population.branches.map(d.string).join(", ")})`];
  return withCtes([...population, ...ctes], select({ columns, from: fromSql("population"), joins, where }));
}
