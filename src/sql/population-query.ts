import type { Branching, GraphDataSource } from "../graph/project-graph.js";
import { col, fromSql, select, type Cte, type Query } from "./sql-node.js";
import type { SqlContext } from "./sql-context.js";

/** Whether a data source aggregates over all clients (`client_id_column = "NULL"`). */
export const hasNoClientId = (ds: GraphDataSource) => ds.clientIdColumn.trim().toUpperCase() === "NULL";

/** A data source's columns and table, translated for the dialect, with where they came from. */
export function dataSourceSql(ctx: SqlContext, name: string) {
  const ds = ctx.graph.dataSources[name];
  if (!ds) throw new Error(`project ${ctx.graph.slug} reads data source "${name}", which its graph does not hold`);
  const where = (field: string) => `data source ${ds.name} (${field})`;
  const day = ctx.d.fn.toDate(ctx.d.configSql(ds.submissionDateColumn, where("submission date column")));
  const build = ctx.d.fn.cast(ctx.d.configSql(ds.buildIdColumn, where("build id column")), "string");
  return {
    ds,
    from: ctx.d.configSql(ds.from, where("from")),
    day,
    clientId: hasNoClientId(ds) ? undefined : ctx.d.configSql(ds.clientIdColumn, where("client id column")),
    build,
    /** Rows of the day, or of the build-id window ending on the day. */
    dateFilter:
      ctx.graph.xaxis === "submission_date"
        ? `${day} = ${ctx.d.date(ctx.date)}`
        : `${day} BETWEEN ${ctx.d.fn.dateSubDays(ctx.d.date(ctx.date), ctx.buildIdWindowDays)} AND ${ctx.d.date(ctx.date)}`,
    /** Builds young enough for the build-id window. */
    buildFilter: `${ctx.d.fn.parseBuildDate(build)} >= ${ctx.d.fn.dateSubDays(ctx.d.date(ctx.date), ctx.buildIdWindowDays)}`,
  };
}

function branchExpression(ctx: SqlContext, branching: Branching): string {
  const { d } = ctx;
  const experiments = ctx.graph.platform.glean ? "ping_info.experiments" : "environment.experiments";
  switch (branching.mode) {
    case "branches":
      return d.fn.experimentBranch(experiments, d.string(branching.slug));
    case "boolean_pref": {
      const pref = d.fn.safeCast(d.configSql(branching.expression, "population (boolean pref)"), "bool");
      return `CASE WHEN ${pref} THEN 'enabled' WHEN NOT ${pref} THEN 'disabled' END`;
    }
    case "entire_population":
      return "'active'";
    case "enrollment":
      return `CASE WHEN ${d.fn.experimentBranch(experiments, d.string(branching.slug))} IS NULL THEN 'disabled' ELSE 'enabled' END`;
    default:
      return branching satisfies never;
  }
}

/**
 * The clients sending more than the spam limit of pings on a day of the population's window, as
 * `spam_client_id` and `spam_submission_date`; undefined when the population's source has no client id.
 *
 * @example printQuery(spamClientsQuery(ctx)!, ctx.d) // "SELECT ... GROUP BY 1, 2 HAVING COUNT(*) > 10000"
 */
export function spamClientsQuery(ctx: SqlContext): Query | undefined {
  const src = dataSourceSql(ctx, ctx.graph.population.dataSource);
  if (src.clientId === undefined) return undefined;
  return select({
    columns: [col(ctx.d.fn.cast(src.clientId, "string"), "spam_client_id"), col(src.day, "spam_submission_date")],
    from: fromSql(src.from),
    where: [src.dateFilter, `${src.clientId} IS NOT NULL`],
    groupBy: ["1", "2"],
    having: [`COUNT(*) > ${ctx.spamPingsPerDay}`],
  });
}

/**
 * The population of the day: one row per client, dimension values and branch, stamped with the day; in
 * build-id mode, as upstream, one per client, day of the window and build, with the day the pings came.
 * Clients listed in `spamClients` (a table or CTE of {@link spamClientsQuery}'s rows) are left out of
 * that day; without it, spam clients stay in, for the metrics query to drop (metrics-query.ts's `populationCarrier`).
 *
 * @example printQuery(populationQuery(ctx, "spam_clients"), ctx.d)
 */
export const populationQuery = (ctx: SqlContext, spamClients: string | undefined): Query =>
  populationsQuery(ctx, spamClients, [[branchExpression(ctx, ctx.graph.population.branching), "branch"]]);

/** The columns of a population row before its dimensions and branch. */
const POPULATION_KEYS = ["submission_date", "client_id", "build_id"] as const;

/**
 * The populations of projects that differ only in their branch (same source, filters, window and
 * dimensions), in one pass: {@link populationQuery}'s rows with one column per entry of `branches`
 * (each project's branch, under the alias given). With no branches it is the population's shape,
 * which tells which projects' populations one pass can hold.
 *
 * @example printQuery(populationsQuery(ctx, "spam", [[branchSql(a), "branch_0"], [branchSql(b), "branch_1"]]), ctx.d)
 */
export function populationsQuery(ctx: SqlContext, spamClients: string | undefined, branches: readonly (readonly [sql: string, alias: string])[]): Query {
  const { d, graph } = ctx;
  const src = dataSourceSql(ctx, graph.population.dataSource);
  const byBuild = graph.xaxis === "build_id";
  const clientId = src.clientId === undefined ? "CAST(NULL AS STRING)" : d.fn.cast(src.clientId, "string");
  const columns = [
    col(byBuild ? src.day : d.date(ctx.date), "submission_date"),
    col(src.clientId === undefined ? d.fn.cast("NULL", "string") : clientId, "client_id"),
    // NULL in submission-date mode, typed INT64 as in the tables upstream created
    col(byBuild ? src.build : d.fn.cast("NULL", "int"), "build_id"),
    ...graph.population.dimensions.map((dim) => col(d.fn.cast(d.configSql(dim.select, `dimension ${dim.name}`), "string"), dim.name)),
    ...branches.map(([sql, alias]) => col(sql, alias)),
  ];
  const where = [src.dateFilter];
  const spam = src.clientId === undefined ? undefined : spamClients;
  if (spam !== undefined) where.push("spam_clients.spam_client_id IS NULL");
  if (graph.population.channel) where.push(`normalized_channel = ${d.string(graph.population.channel)}`);
  if (byBuild) where.push(src.buildFilter);
  return select({
    columns,
    from: fromSql(src.from),
    ...(spam === undefined
      ? {}
      : {
          joins: [
            {
              type: "LEFT",
              // the CTE's own name needs no alias (and keeps the SQL as it was before the table existed)
              item: spam === "spam_clients" ? fromSql(spam) : fromSql(spam, "spam_clients"),
              on: [`spam_clients.spam_client_id = ${clientId}`, `spam_clients.spam_submission_date = ${src.day}`],
            },
          ],
        }),
    where,
    groupBy: columns.map((_, i) => String(i + 1)),
  });
}

/** A project's branch of the day, as its population computes it. */
export const branchSql = (ctx: SqlContext): string => branchExpression(ctx, ctx.graph.population.branching);

/**
 * One project's population read from a pass of {@link populationsQuery} (`table`), its branch the
 * column `branch`: the distinct rows of its own columns, as its own pass would group them.
 *
 * @example printQuery(populationFrom(ctx, "populations", "branch_1"), ctx.d)
 */
export function populationFrom(ctx: SqlContext, table: string, branch: string): Query {
  const keys = [...POPULATION_KEYS, ...ctx.graph.population.dimensions.map((dim) => dim.name)].map((k) => col(ctx.d.ident(k), k));
  return select({ distinct: true, columns: [...keys, col(ctx.d.ident(branch), "branch")], from: fromSql(table) });
}

/**
 * The `population` CTE, with the `spam_clients` CTE it reads ({@link populationQuery}); when a shared
 * pass has written the project's population for the day (`ctx.sharedPopulation`), one CTE reading it.
 * With `spamCounted`, the metrics query counts the spam clients' pings itself (metrics-query.ts's `populationCarrier`):
 * the population keeps them, and no CTE finds them.
 *
 * @example withCtes(populationCtes(ctx), select({ columns: [col("COUNT(*)")], from: fromSql("population") }))
 */
export function populationCtes(ctx: SqlContext, spamCounted = false): readonly Cte[] {
  if (ctx.sharedPopulation !== undefined)
    return [{ name: "population", query: select({ columns: [col("*")], from: fromSql(ctx.sharedPopulation) }) }];
  if (spamCounted) return [{ name: "population", query: populationQuery(ctx, undefined) }];
  const spam = spamClientsQuery(ctx);
  const population = populationQuery(ctx, "spam_clients");
  return spam ? [{ name: "spam_clients", query: spam }, { name: "population", query: population }] : [{ name: "population", query: population }];
}
