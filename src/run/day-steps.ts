import type { ProjectGraph } from "../graph/project-graph.js";
import { planDay } from "../sql/plan-day.js";
import type { SqlOptions } from "../sql/sql-context.js";
import type { DayPlan } from "./day-plan.js";

/**
 * A day's queries as engine steps: partition writes hand the engine their SELECT and target (each
 * engine writes atomically its own way); everything else runs as written.
 *
 * @example const plan = daySteps(graph, "2026-11-27", { dialect: "duckdb" });
 */
export function daySteps(graph: ProjectGraph, date: string, options: SqlOptions): DayPlan {
  const steps = planDay(graph, date, options).map((q) =>
    q.destination
      ? { kind: "write" as const, label: q.name, table: q.destination.parts, select: q.destination.select }
      : { kind: "execute" as const, label: q.name, sql: q.sql },
  );
  return { slug: graph.slug, date, steps };
}
