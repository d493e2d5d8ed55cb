import type { GraphProbe } from "../graph/project-graph.js";
import { dataSourceSql } from "./population-query.js";
import { printQuery } from "./print-sql.js";
import { col, fromSql, select, unionAll, withCtes, type Cte, type Join, type Query } from "./sql-node.js";
import type { SqlContext } from "./sql-context.js";

/** The columns that identify a row of the metrics table, in table order. */
export const metricsKeyColumns = (ctx: SqlContext): readonly string[] => [
  "submission_date",
  "client_id",
  "build_id",
  ...ctx.graph.population.dimensions.map((dim) => dim.name),
  "branch",
];

/** The condition keeping the population rows of the project's branches (none for a whole population). */
const monitoredBranches = (ctx: SqlContext): readonly string[] =>
  ctx.graph.population.branching.mode === "entire_population"
    ? []
    : [`population.branch IN (${ctx.graph.population.branches.map(ctx.d.string).join(", ")})`];

/**
 * The client ids the project monitors on the day, from the `population` CTE: only their pings need
 * aggregating.
 *
 * @example printQuery(monitoredClients(ctx), ctx.d) // "SELECT client_id FROM population WHERE population.branch IN ('enabled', 'disabled')"
 */
export const monitoredClients = (ctx: SqlContext): Query =>
  select({ columns: [col("client_id")], from: fromSql("population"), where: monitoredBranches(ctx) });

/** A key of a data source's per-client pass: its SQL, its name in the project, its name in a shared pass. */
export interface PassKey {
  readonly expr: string;
  readonly name: string;
  readonly sharedName: "client_id" | "build_id" | "submission_day" | "group_by_value";
}

/**
 * What a data source's per-client pass reads, filters and groups by for a project's day: the same
 * for every project that reads the source with the same x-axis, window and group-by dimension SQL.
 *
 * @example sourcePass(ctx, "main").keys.map((k) => k.name) // ["client_id"] (and build_id, the group-by dimension)
 */
export function sourcePass(ctx: SqlContext, dataSource: string) {
  const { d, graph } = ctx;
  const src = dataSourceSql(ctx, dataSource);
  const gbd = graph.population.dimensions.find((dim) => dim.name === graph.population.groupByDimension);
  const clientId = src.clientId === undefined ? undefined : d.fn.cast(src.clientId, "string");
  const keys: PassKey[] = [
    ...(clientId === undefined ? [] : [{ expr: clientId, name: "client_id", sharedName: "client_id" as const }]),
    // build-id mode keeps a row per client, day and build over the window, as upstream
    ...(graph.xaxis === "build_id"
      ? [
          { expr: src.build, name: "build_id", sharedName: "build_id" as const },
          { expr: src.day, name: "submission_date", sharedName: "submission_day" as const },
        ]
      : []),
    ...(gbd
      ? [
          {
            expr: d.fn.cast(d.configSql(gbd.select, `dimension ${gbd.name} (in data source ${dataSource})`), "string"),
            name: gbd.name,
            sharedName: "group_by_value" as const,
          },
        ]
      : []),
  ];
  const where = graph.xaxis === "build_id" ? [src.dateFilter, src.buildFilter] : [src.dateFilter];
  return { from: src.from, clientId, keys, where };
}

/** Each probe's aggregate, named after the probe, as a pass over its data source selects it. */
const aggregates = (ctx: SqlContext, probes: readonly GraphProbe[]) =>
  probes.map((p) => col(ctx.d.configSql(p.select, `probe ${p.name}`), p.name));

/** The column of the population-carrying pass counting each client's pings, where it finds the spam clients. */
const PINGS = "opmon_pings";

/** The population as its source's pass joins it: its columns prefixed, so that no probe's SQL naming a column of the source finds one of them. */
const CARRIED = "opmon_population";
const carried = (key: string) => `opmon_${key}`;

/**
 * The data source whose pass in the project's own query carries the population, where the dialect
 * lets it (its `countsSpamInPass`): the population's own source, read for the day alone. Its pass
 * joins each population row to its client's pings and aggregates per row, so no join of the population
 * to the aggregates follows, and it counts the pings the spam filter counts, so no spam pass precedes
 * and the day reads the source once less. At 40,000 clients one project's day took 0.86 of the time
 * it took with both (A/B of 31 rounds).
 *
 * @example populationCarrier(ctx, ctx.graph.probes) // "main", for a rollout on desktop's main ping
 */
export function populationCarrier(ctx: SqlContext, probes: readonly GraphProbe[]): string | undefined {
  const { graph } = ctx;
  const source = graph.population.dataSource;
  const carries =
    ctx.d.countsSpamInPass &&
    ctx.sharedPopulation === undefined &&
    ctx.sharedSources[source] === undefined &&
    graph.xaxis === "submission_date" &&
    !graph.population.dimensions.some((dim) => dim.name === graph.population.groupByDimension) &&
    probes.some((p) => p.dataSource === source) &&
    !probes.some((p) => p.name === PINGS) &&
    dataSourceSql(ctx, source).clientId !== undefined;
  return carries ? source : undefined;
}

/**
 * The pass over the population's source carrying the population ({@link populationCarrier}): one row
 * per population row with a client id (the row's keys, its client's aggregates over the day and its
 * client's pings), as the population joined to a per-client pass would give. A client with several
 * population rows (pings with several dimension values) has its day's pings aggregated for each.
 */
function carrierCte(ctx: SqlContext, dataSource: string, probes: readonly GraphProbe[]): Cte {
  const { d } = ctx;
  const pass = sourcePass(ctx, dataSource);
  const keys = metricsKeyColumns(ctx);
  const population = select({
    columns: keys.map((k) => col(`population.${d.ident(k)}`, carried(k))),
    from: fromSql("population"),
    where: [...monitoredBranches(ctx), "population.client_id IS NOT NULL"],
  });
  const query = select({
    columns: [...keys.map((k) => col(`${CARRIED}.${d.ident(carried(k))}`, k)), ...aggregates(ctx, probes), col("COUNT(*)", PINGS)],
    from: fromSql(pass.from),
    joins: [
      {
        type: "INNER",
        item: { kind: "query", query: population, alias: CARRIED },
        on: [`${CARRIED}.${carried("client_id")} = ${pass.clientId}`],
      },
    ],
    where: pass.where,
    groupBy: keys.map((_, i) => String(i + 1)),
  });
  return { name: `metrics_${dataSource}`, query };
}

/** One CTE per data source: each client's aggregates over the day (or per build over the window). */
function dataSourceCte(ctx: SqlContext, dataSource: string, probes: readonly GraphProbe[]): Cte {
  const { d } = ctx;
  const pass = sourcePass(ctx, dataSource);
  const name = `metrics_${dataSource}`;
  const shared = ctx.sharedSources[dataSource];
  if (shared) {
    const column = (probe: string) => {
      const c = shared.columns[probe];
      if (c === undefined) throw new Error(`the shared pass over data source ${dataSource} lacks probe ${probe}`);
      return c;
    };
    const columns = [
      ...pass.keys.map((k) => col(d.ident(k.sharedName), k.name)),
      ...probes.map((p) => col(d.ident(column(p.name)), p.name)),
    ];
    return { name, query: select({ columns, from: fromSql(shared.table) }) };
  }
  // aggregate only the population's clients: the join drops the others anyway, after paying for them
  const where = pass.clientId === undefined ? pass.where : [...pass.where, `${pass.clientId} IN (${printQuery(monitoredClients(ctx), d)})`];
  const query = select({
    columns: [...pass.keys.map((k) => col(k.expr, k.name)), ...aggregates(ctx, probes)],
    from: fromSql(pass.from),
    where,
    ...(pass.keys.length ? { groupBy: pass.keys.map((_, i) => String(i + 1)) } : {}),
  });
  return { name, query };
}

/**
 * The per-client metrics of one day for some probes: the population joined with one aggregate CTE
 * per data source, restricted to the project's branches. With every probe, this is the day's
 * partition of `<slug>_v1`. Build-id rows are each client's per day of the window and build, stamped
 * with the run's day; with `pingDays`, they keep the day of their pings instead (parts of a split
 * query join on it). With a `carrier` ({@link populationCarrier}), `population` keeps the spam clients,
 * and that source's pass carries the population's rows and counts their pings to drop them.
 *
 * @example printQuery(metricsQuery(ctx, ctx.graph.probes, populationCtes(ctx)), ctx.d)
 */
export function metricsQuery(
  ctx: SqlContext,
  probes: readonly GraphProbe[],
  population: readonly Cte[],
  options: { readonly pingDays?: boolean; readonly carrier?: string } = {},
): Query {
  const { d, graph } = ctx;
  const { carrier } = options;
  const sources = [...new Set(probes.map((p) => p.dataSource))];
  const ctes = sources.map((s) => {
    const own = probes.filter((p) => p.dataSource === s);
    return s === carrier ? carrierCte(ctx, s, own) : dataSourceCte(ctx, s, own);
  });
  const base = carrier === undefined ? "population" : d.ident(`metrics_${carrier}`);
  const gbd = graph.population.groupByDimension;
  const joins: Join[] = sources
    .filter((s) => s !== carrier)
    .map((s) => {
      const cte = d.ident(`metrics_${s}`);
      const on = [];
      if (dataSourceSql(ctx, s).clientId !== undefined) on.push(`${cte}.client_id = ${base}.client_id`);
      if (graph.xaxis === "build_id") on.push(`${cte}.build_id = ${base}.build_id`, `${cte}.submission_date = ${base}.submission_date`);
      if (gbd) on.push(`${cte}.${d.ident(gbd)} = ${base}.${d.ident(gbd)}`);
      return { type: "LEFT", item: fromSql(cte), on };
    });
  const stamped = graph.xaxis === "build_id" && !options.pingDays;
  const keys = metricsKeyColumns(ctx);
  const columns = [
    ...keys.map((k) => col(stamped && k === "submission_date" ? d.date(ctx.date) : `${base}.${d.ident(k)}`, k)),
    ...probes.map((p) => col(`${d.ident(`metrics_${p.dataSource}`)}.${d.ident(p.name)}`, p.name)),
  ];
  if (carrier === undefined)
    return withCtes([...population, ...ctes], select({ columns, from: fromSql("population"), joins, where: monitoredBranches(ctx) }));
  const rows = select({ columns, from: fromSql(base), joins, where: [`${base}.${PINGS} <= ${ctx.spamPingsPerDay}`] });
  // population rows without a client id match no ping (as a join on client id would leave them)
  const withoutClient = select({
    columns: [...keys.map((k) => col(`population.${d.ident(k)}`, k)), ...probes.map((p) => col("NULL", p.name))],
    from: fromSql("population"),
    where: [...monitoredBranches(ctx), "population.client_id IS NULL"],
  });
  return withCtes([...population, ...ctes], unionAll([rows, withoutClient]));
}
