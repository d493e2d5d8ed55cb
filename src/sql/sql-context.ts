import type { ProjectGraph } from "../graph/project-graph.js";
import { zForConfidence } from "../stats/normal-quantile.js";
import { checkDate } from "./dialects/bare-identifier.js";
import type { Dialect, DialectName } from "./dialects/dialect.js";
import { DIALECTS } from "./dialects/index.js";

/** A data source's per-client aggregates, computed once for a day by a pass that several projects read. */
export interface SharedSource {
  /** The pass's table, as printed in the dialect. */
  readonly table: string;
  /** The column holding each probe's aggregate, by probe name. */
  readonly columns: Readonly<Record<string, string>>;
}

/** Options of SQL generation; every one has the upstream default. */
export interface SqlOptions {
  readonly dialect?: DialectName;
  /** BigQuery project of the output tables (ignored by DuckDB, whose tables have no project). */
  readonly project?: string;
  /** Dataset of the public views. */
  readonly dataset?: string;
  /** Dataset of the tables. */
  readonly derivedDataset?: string;
  /** Days of data (and of build ages) a build_id x-axis looks back. */
  readonly buildIdWindowDays?: number;
  /** At most this many probes per metrics query; more are split into parts joined at the end. */
  readonly maxProbesPerQuery?: number;
  /**
   * At most this many probes per statistics query; more are split into parts joined at the end (one
   * query over thousands of statistics makes the engine hold all their operators' state at once).
   */
  readonly maxProbesPerStatisticsQuery?: number;
  /** Refuse projects whose tables would be wider than this (default: the dialect's limit). */
  readonly maxTableColumns?: number;
  /** Confidence level of every interval; overrides the project's `confidenceLevel` (default 0.95). */
  readonly confidenceLevel?: number;
  /** Clients sending more pings than this on a day are left out of that day. */
  readonly spamPingsPerDay?: number;
  /** Lay the SQL out for reading (the default); a run that only executes it can skip that. */
  readonly pretty?: boolean;
  /** Data sources (by name) whose aggregates a shared pass has computed for the day: read them there. */
  readonly sharedSources?: Readonly<Record<string, SharedSource>>;
  /** The table (or parenthesised query) where a shared pass has written the project's population for the day: read it there. */
  readonly sharedPopulation?: string;
  /** Sets this run's scratch tables apart from another run's of the same day (letters and digits). */
  readonly runId?: string;
}

/** Everything a query builder needs: the project, the day, the dialect and the resolved options. */
export interface SqlContext {
  readonly graph: ProjectGraph;
  /** The day being computed, `YYYY-MM-DD`. */
  readonly date: string;
  readonly d: Dialect;
  readonly project: string;
  readonly dataset: string;
  readonly derivedDataset: string;
  readonly buildIdWindowDays: number;
  readonly maxProbesPerQuery: number;
  readonly maxProbesPerStatisticsQuery: number;
  /** The most columns of one output table, and why. */
  readonly maxTableColumns: { readonly limit: number; readonly why: string };
  /** The normal quantile of the confidence level (1.96 for 95%). */
  readonly z: number;
  readonly spamPingsPerDay: number;
  readonly pretty: boolean;
  readonly sharedSources: Readonly<Record<string, SharedSource>>;
  readonly sharedPopulation: string | undefined;
  readonly runId: string | undefined;
}

/**
 * Resolves options against their defaults and checks them.
 *
 * @example sqlContext(graph, "2026-10-02", { dialect: "duckdb" }).z // 1.959963...
 */
export function sqlContext(graph: ProjectGraph, date: string, options: SqlOptions = {}): SqlContext {
  const project = options.project ?? "moz-fx-data-shared-prod";
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(project)) throw new Error(`"${project}" is not a BigQuery project id`);
  const level = options.confidenceLevel ?? graph.confidenceLevel ?? 0.95;
  if (!(level > 0 && level < 1)) throw new Error(`confidence level ${level} is not between 0 and 1`);
  const positive = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
    return value;
  };
  return Object.freeze({
    graph,
    date: checkDate(date),
    d: DIALECTS[options.dialect ?? "bigquery"],
    project,
    dataset: options.dataset ?? "operational_monitoring",
    derivedDataset: options.derivedDataset ?? "operational_monitoring_derived",
    buildIdWindowDays: positive("buildIdWindowDays", options.buildIdWindowDays ?? 14),
    maxProbesPerQuery: positive("maxProbesPerQuery", options.maxProbesPerQuery ?? 40),
    maxProbesPerStatisticsQuery: positive("maxProbesPerStatisticsQuery", options.maxProbesPerStatisticsQuery ?? 40),
    maxTableColumns:
      options.maxTableColumns === undefined
        ? DIALECTS[options.dialect ?? "bigquery"].maxTableColumns
        : { limit: positive("maxTableColumns", options.maxTableColumns), why: "the limit set for this run" },
    z: zForConfidence(level),
    spamPingsPerDay: positive("spamPingsPerDay", options.spamPingsPerDay ?? 10000),
    pretty: options.pretty ?? true,
    sharedSources: options.sharedSources ?? {},
    sharedPopulation: options.sharedPopulation,
    runId: options.runId === undefined ? undefined : checkRunId(options.runId),
  });
}

/**
 * A run id, checked: it becomes part of table names.
 *
 * @example checkRunId("a1b2c3d4") // "a1b2c3d4"
 */
export function checkRunId(runId: string): string {
  if (!/^[a-z0-9]{1,16}$/.test(runId)) throw new Error(`run id "${runId}" must be 1 to 16 lowercase letters and digits`);
  return runId;
}
