import { createHash } from "node:crypto";
import type { ProjectGraph } from "../graph/project-graph.js";
import { monitoredClients, sourcePass, type PassKey } from "./metrics-query.js";
import { checkTableWidth, type PlannedQuery } from "./plan-day.js";
import { branchSql, populationCtes, populationFrom, populationQuery, populationsQuery, spamClientsQuery } from "./population-query.js";
import { formatSql, printQuery } from "./print-sql.js";
import { col, fromSql, select, withCtes } from "./sql-node.js";
import { checkRunId, sqlContext, type SharedSource, type SqlContext, type SqlOptions } from "./sql-context.js";

/** One aggregation pass over a data source, shared by several projects on a day. */
export interface SharedPass {
  /** The data source's name, as its readers call it. */
  readonly source: string;
  /** Creates the pass's scratch table. */
  readonly create: PlannedQuery;
  /** Drops it once the day's projects are done. */
  readonly drop: PlannedQuery;
  /** The slugs of the projects reading it. */
  readonly readers: readonly string[];
  /**
   * When it can run: after every pass of a lower stage, beside those of its own (they read nothing of
   * each other). Spam clients are stage 0, populations 1, aggregation passes 2.
   */
  readonly stage: number;
}

/** The shared passes of one day, and what each project reads from them. */
export interface SharedSourcesPlan {
  /**
   * Created before the passes, dropped with them: the spam clients of each population source, once,
   * then each reader's population (one pass for readers whose populations differ in their branch
   * alone), which its pass and its own queries read instead of the source.
   */
  readonly scratch: readonly SharedPass[];
  readonly passes: readonly SharedPass[];
  /** By project slug, then data source name: where that project's aggregates of the source are. */
  readonly sources: Readonly<Record<string, Readonly<Record<string, SharedSource>>>>;
  /** By project slug: the table (or parenthesised query) holding that project's population of the day. */
  readonly populations: Readonly<Record<string, string>>;
}

interface Reader {
  readonly slug: string;
  readonly dataSource: string;
  /** Probe name to its aggregate's SQL. */
  readonly probes: ReadonlyMap<string, string>;
  readonly ctx: SqlContext;
}

interface Pass {
  /** The context of the first project reading it: dialect and output datasets are the run's. */
  readonly ctx: SqlContext;
  readonly from: string;
  readonly clientId: string;
  readonly keys: readonly PassKey[];
  readonly where: readonly string[];
  readonly readers: Reader[];
}

/**
 * Scan sharing: projects that read a data source the same way on a day (same table and filters, same
 * x-axis window and group-by dimension) get one aggregation pass over it, holding the union of their
 * probes for the union of their populations' clients, instead of one pass each. A source read by a
 * single project is left to that project's own query. A project whose SQL cannot be planned is left
 * out, so its error stays its own. The readers' populations are written once each, from spam clients
 * found once per population source, so neither the pass nor a reader's own queries recompute them.
 *
 * @example const shared = planSharedSources(graphs, "2026-11-27", { dialect: "duckdb" });
 */
export function planSharedSources(graphs: readonly ProjectGraph[], date: string, options: SqlOptions = {}): SharedSourcesPlan {
  // run-wide options are checked here: a per-project failure below only leaves that project out
  if (options.runId !== undefined) checkRunId(options.runId);
  const passes = new Map<string, Pass>();
  for (const graph of graphs) {
    let found: [string, Omit<Pass, "readers">, Reader][];
    try {
      found = readsOf(graph, date, options);
    } catch {
      continue;
    }
    for (const [key, pass, reader] of found) {
      const entry = passes.get(key) ?? { ...pass, readers: [] };
      entry.readers.push(reader);
      passes.set(key, entry);
    }
  }
  // a pass wider than a table the engine writes would cost more than its readers alone
  const sharing = [...passes].filter(
    ([, pass]) =>
      new Set(pass.readers.map((r) => r.slug)).size >= 2 &&
      new Set(pass.readers.flatMap((r) => [...r.probes.values()])).size <= pass.ctx.maxTableColumns.limit,
  );
  const readers = new Map(sharing.flatMap(([, pass]) => pass.readers.map((r) => [r.slug, r.ctx] as const)));
  const { scratch, populations } = planPopulations([...readers.values()], date);
  const planned: SharedPass[] = [];
  const sources: Record<string, Record<string, SharedSource>> = {};
  for (const [key, pass] of sharing) {
    const { ctx } = pass;
    const { d } = ctx;
    const source = pass.readers[0]?.dataSource ?? "";
    const safeSource = source.replace(/\W/g, "_");
    const digest = hash(key);
    const tag = `${safeSource}_${digest}`;
    const table = scratchTable(ctx, `opmon_shared_${safeSource}_${date.replaceAll("-", "")}_${digest}`);
    const expressions = [...new Set(pass.readers.flatMap((r) => [...r.probes.values()]))];
    // the clients some reader monitors: a pass never aggregates more than its readers would alone
    const monitored = [...new Set(pass.readers.map((r) => monitoredPopulation(r.ctx, populations[r.slug] ?? "")))];
    const query = select({
      columns: [...pass.keys.map((k) => col(k.expr, k.sharedName)), ...expressions.map((e, i) => col(e, `probe_${i}`))],
      from: fromSql(pass.from),
      where: [
        ...pass.where,
        `${pass.clientId} IN (${monitored.map((p, i) => `SELECT client_id FROM (${p}) AS population_${i}`).join(" UNION ALL ")})`,
      ],
      groupBy: pass.keys.map((_, i) => String(i + 1)),
    });
    planned.push({
      source,
      ...scratchSteps(ctx, `pass_${tag}`, table, printQuery(query, d)),
      readers: [...new Set(pass.readers.map((r) => r.slug))],
      stage: 2,
    });
    for (const reader of pass.readers) {
      const columns = Object.fromEntries([...reader.probes].map(([probe, sql]) => [probe, `probe_${expressions.indexOf(sql)}`]));
      (sources[reader.slug] ??= {})[reader.dataSource] = Object.freeze({ table: d.table(table), columns: Object.freeze(columns) });
    }
  }
  return Object.freeze({ scratch, passes: planned, sources, populations });
}

/**
 * The readers' populations of the day, each in a scratch table (one for readers whose populations are
 * the same), reading the spam clients of their population source from a scratch table written once
 * for every reader of that source. Populations that differ in their branch alone (a rollout's pref, an
 * experiment's slug) come from one pass over the source holding every such reader's branch, each
 * reader's population its distinct rows with its branch: ten of them took ten passes of 18-30 ms each
 * at 40,000 clients.
 */
function planPopulations(readers: readonly SqlContext[], date: string) {
  const day = date.replaceAll("-", "");
  const tables = new Map<string, { ctx: SqlContext; name: string; table: readonly string[]; readers: string[]; stage: number }>();
  /** The table of `sql`'s rows, named `prefix` and the SQL's digest, with `slug` among its readers. */
  const share = (ctx: SqlContext, prefix: string, sql: string, stage: number) => {
    const name = `${prefix}_${hash(sql)}`;
    const entry = tables.get(sql) ?? { ctx, name, table: scratchTable(ctx, `opmon_shared_${prefix}_${day}_${hash(sql)}`), readers: [], stage };
    entry.readers.push(ctx.graph.slug);
    tables.set(sql, entry);
    return ctx.d.table(entry.table);
  };
  const populations: Record<string, string> = {};
  // readers whose populations differ in their branch alone: one pass over the source holds them all
  const shapes = new Map<string, { spamFrom: string; source: string; members: SqlContext[] }>();
  for (const ctx of readers) {
    const source = ctx.graph.population.dataSource.replace(/\W/g, "_");
    const spam = spamClientsQuery(ctx);
    const spamFrom = spam ? share(ctx, `spam_clients_${source}`, printQuery(spam, ctx.d), 0) : "spam_clients";
    const shape = printQuery(populationsQuery(ctx, spamFrom, []), ctx.d);
    const entry = shapes.get(shape) ?? { spamFrom, source, members: [] };
    entry.members.push(ctx);
    shapes.set(shape, entry);
  }
  for (const { spamFrom, source, members } of shapes.values()) {
    const branches = [...new Set(members.map(branchSql))];
    const [first] = members;
    if (branches.length < 2 || !first) {
      for (const ctx of members) populations[ctx.graph.slug] = share(ctx, `population_${source}`, printQuery(populationQuery(ctx, spamFrom), ctx.d), 1);
      continue;
    }
    const column = (branch: string) => `opmon_branch_${branches.indexOf(branch)}`;
    const pass = printQuery(populationsQuery(first, spamFrom, branches.map((branch) => [branch, column(branch)])), first.d);
    for (const ctx of members) {
      const all = share(ctx, `populations_${source}`, pass, 1);
      // read where it is used: a table of its own took a statement of 18-30 ms for each reader
      populations[ctx.graph.slug] = `(${printQuery(populationFrom(ctx, all, column(branchSql(ctx))), ctx.d)})`;
    }
  }
  // a map keeps insertion order: each spam table before the populations reading it
  const scratch = [...tables].map(([sql, { ctx, name, table, readers: slugs, stage }]) => ({
    source: ctx.graph.population.dataSource,
    ...scratchSteps(ctx, name, table, sql),
    readers: slugs,
    stage,
  }));
  return { scratch, populations };
}

/** The client ids a reader monitors, read from the table holding its population. */
const monitoredPopulation = (ctx: SqlContext, population: string) =>
  printQuery(withCtes(populationCtes({ ...ctx, sharedPopulation: population }), monitoredClients(ctx)), ctx.d);

/** A scratch table of the run's day in the run's derived dataset (named apart per run id). */
const scratchTable = (ctx: SqlContext, name: string) =>
  ctx.d.scratchTable(
    ctx.d.tablesHaveProject ? [ctx.project, ctx.derivedDataset] : [ctx.derivedDataset],
    `${name}${ctx.runId ? `_${ctx.runId}` : ""}`,
    "run",
  );

/** The steps creating a scratch table from a SELECT and dropping it. */
const scratchSteps = (ctx: SqlContext, name: string, table: readonly string[], selectSql: string) => ({
  create: { name, sql: formatSql(ctx.d.createScratch(table, selectSql), ctx.d, ctx.pretty) },
  drop: { name: `drop_${name}`, sql: formatSql([`DROP TABLE IF EXISTS ${ctx.d.table(table)}`], ctx.d, ctx.pretty) },
});

/** The passes a project would read, by what makes them shareable; throws when its SQL cannot be planned. */
function readsOf(graph: ProjectGraph, date: string, options: SqlOptions): [string, Omit<Pass, "readers">, Reader][] {
  const ctx = sqlContext(graph, date, options);
  // a project too big to run is refused by its own plan: its probes must not reach a pass first
  checkTableWidth(ctx);
  return [...new Set(graph.probes.map((p) => p.dataSource))].flatMap((dataSource): [string, Omit<Pass, "readers">, Reader][] => {
    const pass = sourcePass(ctx, dataSource);
    if (pass.clientId === undefined) return [];
    const key = JSON.stringify([pass.from, pass.where, pass.keys.map((k) => [k.sharedName, k.expr])]);
    const probes = new Map(
      graph.probes.filter((p) => p.dataSource === dataSource).map((p) => [p.name, ctx.d.configSql(p.select, `probe ${p.name}`)]),
    );
    return [
      [
        key,
        { ctx, from: pass.from, clientId: pass.clientId, keys: pass.keys, where: pass.where },
        { slug: graph.slug, dataSource, probes, ctx },
      ],
    ];
  });
}

/** A short stable digest, so two passes over one source on one day get different tables. */
const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);
