import { createHash } from "node:crypto";
import type { ProjectGraph } from "../graph/project-graph.js";
import { monitoredClients, sourcePass, type PassKey } from "./metrics-query.js";
import { checkTableWidth, type PlannedQuery } from "./plan-day.js";
import { populationCtes } from "./population-query.js";
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
}

/** The shared passes of one day, and what each project reads from them. */
export interface SharedSourcesPlan {
  readonly passes: readonly SharedPass[];
  /** By project slug, then data source name: where that project's aggregates of the source are. */
  readonly sources: Readonly<Record<string, Readonly<Record<string, SharedSource>>>>;
}

interface Reader {
  readonly slug: string;
  readonly dataSource: string;
  /** Probe name to its aggregate's SQL. */
  readonly probes: ReadonlyMap<string, string>;
  /** The SELECT of the reader's population's client ids. */
  readonly population: string;
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
 * out, so its error stays its own.
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
  const planned: SharedPass[] = [];
  const sources: Record<string, Record<string, SharedSource>> = {};
  for (const [key, pass] of passes) {
    if (new Set(pass.readers.map((r) => r.slug)).size < 2) continue;
    const { ctx } = pass;
    const { d } = ctx;
    const source = pass.readers[0]?.dataSource ?? "";
    const safeSource = source.replace(/\W/g, "_");
    const digest = hash(key);
    const tag = `${safeSource}_${digest}`;
    const name = `opmon_shared_${safeSource}_${date.replaceAll("-", "")}_${digest}${ctx.runId ? `_${ctx.runId}` : ""}`;
    const parts = d.scratchTable(d.tablesHaveProject ? [ctx.project, ctx.derivedDataset] : [ctx.derivedDataset], name);
    const expressions = [...new Set(pass.readers.flatMap((r) => [...r.probes.values()]))];
    // a pass wider than a table the engine writes would cost more than its readers alone
    if (expressions.length > ctx.maxTableColumns.limit) continue;
    const populations = [...new Set(pass.readers.map((r) => r.population))];
    const query = select({
      columns: [...pass.keys.map((k) => col(k.expr, k.sharedName)), ...expressions.map((e, i) => col(e, `probe_${i}`))],
      from: fromSql(pass.from),
      // the clients some reader monitors: a pass never aggregates more than its readers would alone
      where: [
        ...pass.where,
        `${pass.clientId} IN (${populations.map((p, i) => `SELECT client_id FROM (${p}) AS population_${i}`).join(" UNION ALL ")})`,
      ],
      groupBy: pass.keys.map((_, i) => String(i + 1)),
    });
    planned.push({
      source,
      create: { name: `pass_${tag}`, sql: formatSql(d.createScratch(parts, printQuery(query, d)), d, ctx.pretty) },
      drop: { name: `drop_pass_${tag}`, sql: formatSql([`DROP TABLE IF EXISTS ${d.table(parts)}`], d, ctx.pretty) },
      readers: [...new Set(pass.readers.map((r) => r.slug))],
    });
    for (const reader of pass.readers) {
      const columns = Object.fromEntries([...reader.probes].map(([probe, sql]) => [probe, `probe_${expressions.indexOf(sql)}`]));
      (sources[reader.slug] ??= {})[reader.dataSource] = Object.freeze({ table: d.table(parts), columns: Object.freeze(columns) });
    }
  }
  return Object.freeze({ passes: planned, sources });
}

/** The passes a project would read, by what makes them shareable; throws when its SQL cannot be planned. */
function readsOf(graph: ProjectGraph, date: string, options: SqlOptions): [string, Omit<Pass, "readers">, Reader][] {
  const ctx = sqlContext(graph, date, options);
  // a project too big to run is refused by its own plan: its probes must not reach a pass first
  checkTableWidth(ctx);
  const population = printQuery(withCtes(populationCtes(ctx), monitoredClients(ctx)), ctx.d);
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
        { slug: graph.slug, dataSource, probes, population },
      ],
    ];
  });
}

/** A short stable digest, so two passes over one source on one day get different tables. */
const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);
