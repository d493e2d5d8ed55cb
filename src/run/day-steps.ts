import type { ProjectGraph } from "../graph/project-graph.js";
import { planDay, planMetadata, type PlannedQuery } from "../sql/plan-day.js";
import { planSharedSources } from "../sql/shared-sources.js";
import type { SqlOptions } from "../sql/sql-context.js";
import type { DayPlan, Step } from "./day-plan.js";
import type { SharedDay } from "./run-projects.js";

/**
 * A day's queries as engine steps: partition writes hand the engine their SELECT and target (each
 * engine writes atomically its own way); everything else runs as written. The `projects_v1` metadata
 * is the run's, not the day's (see {@link metadataStep}).
 *
 * @example const plan = daySteps(graph, "2026-11-27", { dialect: "duckdb" });
 */
export function daySteps(graph: ProjectGraph, date: string, options: SqlOptions): DayPlan {
  const steps = planDay(graph, date, options)
    .filter((q) => q.name !== "projects")
    .map((q) =>
      q.destination
        ? {
            kind: "write" as const,
            label: q.name,
            table: q.destination.parts,
            select: q.destination.select,
            ...(q.destination.partitionExpirationDays ? { partitionExpirationDays: q.destination.partitionExpirationDays } : {}),
          }
        : { kind: "execute" as const, label: q.name, sql: q.sql },
    );
  return { slug: graph.slug, date, steps };
}

/**
 * The run's one `projects_v1` write, for every project it ran (as upstream: one transaction per run).
 *
 * @example await runProjects({ ...options, metadata: (graphs) => metadataStep(graphs, "2026-11-27", { dialect: "duckdb" }) });
 */
export function metadataStep(graphs: readonly ProjectGraph[], date: string, options: SqlOptions): Step | undefined {
  const q = planMetadata(graphs, date, options);
  return q && { kind: "execute", label: q.name, sql: q.sql };
}

/**
 * The work the projects of a day share on an engine: the spam clients of each population source and
 * each reader's population, then one pass per data source that several of them read (see
 * {@link planSharedSources}), and each project's steps reading them.
 *
 * @example await runProjects({ ...options, share: (graphs, day) => sharedDay(graphs, day, { dialect: "duckdb" }) });
 */
export function sharedDay(graphs: readonly ProjectGraph[], date: string, options: SqlOptions): SharedDay {
  const shared = planSharedSources(graphs, date, options);
  const execute = (q: PlannedQuery): Step => ({ kind: "execute", label: q.name, sql: q.sql });
  return {
    passes: [
      ...shared.scratch.map((p) => ({ step: execute(p.create), cleanup: execute(p.drop), readers: p.readers, stage: p.stage, feedsLater: true })),
      ...shared.passes.map((p) => ({ step: execute(p.create), cleanup: execute(p.drop), readers: p.readers, stage: p.stage })),
    ],
    plan: (graph) => {
      const sources = shared.sources[graph.slug];
      const population = shared.populations[graph.slug];
      return daySteps(graph, date, sources && population ? { ...options, sharedSources: sources, sharedPopulation: population } : options);
    },
  };
}
