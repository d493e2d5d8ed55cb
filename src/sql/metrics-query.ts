import type { GraphProbe } from "../graph/project-graph.js";
import { dataSourceSql } from "./population-query.js";
import { printQuery } from "./print-sql.js";
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

/** The column of a per-client pass counting each client's pings, where it finds the spam clients. */
const PINGS = "opmon_pings";

/**
 * The data source whose per-client pass in the project's own query counts exactly the pings the spam
 * filter counts, where the dialect lets it (its `countsSpamInPass`): the population's source,
 * read for the day alone, one row per client. That count then drops the spam clients after
 * aggregating, and the day reads the source once less: at 40,000 clients the spam pass's scan,
 * grouping and join were about a tenth of the metrics query's time.
 *
 * @example spamCountingSource(ctx, ctx.graph.probes) // "main", for a rollout on desktop's main ping
 */
export function spamCountingSource(ctx: SqlContext, probes: readonly GraphProbe[]): string | undefined {
  const { graph } = ctx;
  const source = graph.population.dataSource;
  const counts =
    ctx.d.countsSpamInPass &&
    ctx.sharedPopulation === undefined &&
    ctx.sharedSources[source] === undefined &&
    graph.xaxis === "submission_date" &&
    !graph.population.dimensions.some((dim) => dim.name === graph.population.groupByDimension) &&
    probes.some((p) => p.dataSource === source) &&
    !probes.some((p) => p.name === PINGS) &&
    dataSourceSql(ctx, source).clientId !== undefined;
  return counts ? source : undefined;
}

/**
 * One CTE per data source: each client's aggregates over the day (or per build over the window), and
 * with `countPings` each client's pings.
 */
function dataSourceCte(ctx: SqlContext, dataSource: string, probes: readonly GraphProbe[], countPings: boolean): Cte {
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
    columns: [
      ...pass.keys.map((k) => col(k.expr, k.name)),
      ...probes.map((p) => col(d.configSql(p.select, `probe ${p.name}`), p.name)),
      ...(countPings ? [col("COUNT(*)", PINGS)] : []),
    ],
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
 * query join on it). With `spamCountedBy` ({@link spamCountingSource}), `population` keeps the spam
 * clients, and that source's pass counts their pings to drop them.
 *
 * @example printQuery(metricsQuery(ctx, ctx.graph.probes, populationCtes(ctx)), ctx.d)
 */
export function metricsQuery(
  ctx: SqlContext,
  probes: readonly GraphProbe[],
  population: readonly Cte[],
  options: { readonly pingDays?: boolean; readonly spamCountedBy?: string } = {},
): Query {
  const { d, graph } = ctx;
  const sources = [...new Set(probes.map((p) => p.dataSource))];
  const ctes = sources.map((s) =>
    dataSourceCte(
      ctx,
      s,
      probes.filter((p) => p.dataSource === s),
      s === options.spamCountedBy,
    ),
  );
  const gbd = graph.population.groupByDimension;
  const joins: Join[] = sources.map((s) => {
    const cte = d.ident(`metrics_${s}`);
    const on = [];
    if (dataSourceSql(ctx, s).clientId !== undefined) on.push(`${cte}.client_id = population.client_id`);
    if (graph.xaxis === "build_id") on.push(`${cte}.build_id = population.build_id`, `${cte}.submission_date = population.submission_date`);
    if (gbd) on.push(`${cte}.${d.ident(gbd)} = population.${d.ident(gbd)}`);
    return { type: "LEFT", item: fromSql(cte), on };
  });
  const stamped = graph.xaxis === "build_id" && !options.pingDays;
  const columns = [
    ...metricsKeyColumns(ctx).map((k) => col(stamped && k === "submission_date" ? d.date(ctx.date) : `population.${d.ident(k)}`, k)),
    ...probes.map((p) => col(`${d.ident(`metrics_${p.dataSource}`)}.${d.ident(p.name)}`, p.name)),
  ];
  const where = [...monitoredBranches(ctx)];
  // a population row no ping of the source matched (a NULL client id) is not a spam client's
  if (options.spamCountedBy !== undefined)
    where.push(`COALESCE(${d.ident(`metrics_${options.spamCountedBy}`)}.${PINGS}, 0) <= ${ctx.spamPingsPerDay}`);
  return withCtes([...population, ...ctes], select({ columns, from: fromSql("population"), joins, where }));
}
