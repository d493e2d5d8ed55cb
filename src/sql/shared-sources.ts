import { createHash } from "node:crypto";
import type { ProjectGraph } from "../graph/project-graph.js";
import { sourcePass, type PassKey } from "./metrics-query.js";
import type { PlannedQuery } from "./plan-day.js";
import { formatSql, printQuery } from "./print-sql.js";
import { col, fromSql, select } from "./sql-node.js";
import { checkRunId, sqlContext, type SharedSource, type SqlContext, type SqlOptions } from "./sql-context.js";

/** The shared passes of one day: statements to run before the projects and after them, and what each project reads. */
export interface SharedSourcesPlan {
  /** One query per pass, creating its scratch table. */
  readonly create: readonly PlannedQuery[];
  /** Drops every pass's table once the projects are done. */
  readonly drop: readonly PlannedQuery[];
  /** By project slug, then data source name: where that project's aggregates of the source are. */
  readonly sources: Readonly<Record<string, Readonly<Record<string, SharedSource>>>>;
}

interface Reader {
  readonly slug: string;
  readonly dataSource: string;
  /** Probe name to its aggregate's SQL. */
  readonly probes: ReadonlyMap<string, string>;
}

interface Pass {
  /** The context of the first project reading it: dialect and output datasets are the run's. */
  readonly ctx: SqlContext;
  readonly from: string;
  readonly keys: readonly PassKey[];
  readonly where: readonly string[];
  readonly readers: Reader[];
}

/**
 * Scan sharing: projects that read a data source the same way on a day (same table and filters, same
 * x-axis window and group-by dimension) get one aggregation pass over it, holding the union of their
 * probes per client, instead of one pass each. A source read by a single project is left to that
 * project's own query (which only aggregates its population's clients). A project whose SQL cannot
 * be planned is left out, so its error stays its own.
 *
 * @example const shared = planSharedSources(graphs, "2026-11-27", { dialect: "duckdb" });
 */
export function planSharedSources(graphs: readonly ProjectGraph[], date: string, options: SqlOptions = {}): SharedSourcesPlan {
  // run-wide options are checked here: a per-project failure below only leaves that project out
  if (options.runId !== undefined) checkRunId(options.runId);
  const passes = new Map<string, Pass>();
  for (const graph of graphs) {
    try {
      const ctx = sqlContext(graph, date, options);
      for (const dataSource of new Set(graph.probes.map((p) => p.dataSource))) {
        const pass = sourcePass(ctx, dataSource);
        if (pass.clientId === undefined) continue;
        const key = JSON.stringify([pass.from, pass.where, pass.keys.map((k) => [k.sharedName, k.expr])]);
        const probes = new Map(
          graph.probes.filter((p) => p.dataSource === dataSource).map((p) => [p.name, ctx.d.configSql(p.select, `probe ${p.name}`)]),
        );
        const entry = passes.get(key) ?? { ctx, from: pass.from, keys: pass.keys, where: pass.where, readers: [] };
        entry.readers.push({ slug: graph.slug, dataSource, probes });
        passes.set(key, entry);
      }
    } catch {
      continue;
    }
  }
  const create: PlannedQuery[] = [];
  const drop: PlannedQuery[] = [];
  const sources: Record<string, Record<string, SharedSource>> = {};
  for (const [key, pass] of passes) {
    if (new Set(pass.readers.map((r) => r.slug)).size < 2) continue;
    const { ctx } = pass;
    const { d } = ctx;
    const expressions = [...new Set(pass.readers.flatMap((r) => [...r.probes.values()]))];
    const label = `pass_${pass.readers[0]?.dataSource.replace(/\W/g, "_")}_${hash(key)}`;
    const name = `opmon_shared_${pass.readers[0]?.dataSource.replace(/\W/g, "_")}_${date.replaceAll("-", "")}_${hash(key)}${ctx.runId ? `_${ctx.runId}` : ""}`;
    const parts = d.scratchTable(d.tablesHaveProject ? [ctx.project, ctx.derivedDataset] : [ctx.derivedDataset], name);
    const query = select({
      columns: [...pass.keys.map((k) => col(k.expr, k.sharedName)), ...expressions.map((e, i) => col(e, `probe_${i}`))],
      from: fromSql(pass.from),
      where: pass.where,
      groupBy: pass.keys.map((_, i) => String(i + 1)),
    });
    create.push({ name: label, sql: formatSql(d.createScratch(parts, printQuery(query, d)), d, ctx.pretty) });
    drop.push({ name: `drop_${label}`, sql: formatSql([`DROP TABLE IF EXISTS ${d.table(parts)}`], d, ctx.pretty) });
    for (const reader of pass.readers) {
      const columns = Object.fromEntries([...reader.probes].map(([probe, sql]) => [probe, `probe_${expressions.indexOf(sql)}`]));
      (sources[reader.slug] ??= {})[reader.dataSource] = Object.freeze({ table: d.table(parts), columns: Object.freeze(columns) });
    }
  }
  return Object.freeze({ create, drop, sources });
}

/** A short stable digest, so two passes over one source on one day get different tables. */
const hash = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 10);
