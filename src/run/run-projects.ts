import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { firstLine } from "../config/load-config-dir.js";
import type { Engine } from "../engines/engine.js";
import type { ProjectGraph } from "../graph/project-graph.js";
import type { DayPlan } from "./day-plan.js";
import type { Skipped } from "./select-projects.js";

/** The outcome of one project over its dates. */
export interface ProjectOutcome {
  readonly slug: string;
  readonly status: "succeeded" | "failed";
  readonly dates: readonly string[];
  /** Dates that failed, with the first line of the error. */
  readonly failures: readonly { readonly date: string; readonly step: string; readonly error: string }[];
  readonly rows: number;
  readonly seconds: number;
}

/** What a run did: per project, plus the projects it left out. */
export interface RunSummary {
  readonly outcomes: readonly ProjectOutcome[];
  readonly skipped: readonly Skipped[];
  readonly seconds: number;
}

/** Receives progress; the CLI prints it. */
export interface RunReporter {
  readonly stepDone?: (slug: string, date: string, step: string, seconds: number) => void;
  readonly dayDone?: (slug: string, date: string, ok: boolean, done: number, total: number, error?: string) => void;
}

/** Options of {@link runProjects}. */
export interface RunOptions {
  readonly engine: Engine;
  readonly projects: readonly ProjectGraph[];
  /** The dates each project runs for, in order (a backfill runs several, sequentially). */
  readonly dates: (graph: ProjectGraph) => readonly string[];
  readonly plan: (graph: ProjectGraph, date: string) => DayPlan;
  /** Projects run at the same time, at most. */
  readonly parallelism?: number;
  /** Writes every executed query to `<slug>-<step>-<date>.sql` here. */
  readonly sqlOutputDir?: string;
  readonly reporter?: RunReporter;
  readonly skipped?: readonly Skipped[];
}

/**
 * Runs projects in parallel (bounded) and each project's dates in order. A failing day stops that
 * project's later days (they build on it) but never another project; every failure ends up in the summary.
 *
 * @example const summary = await runProjects({ engine, projects, dates: () => ["2026-11-27"], plan });
 */
export async function runProjects(options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const { engine, projects, reporter = {} } = options;
  const total = projects.reduce((n, g) => n + options.dates(g).length, 0);
  let done = 0;
  const runOne = async (graph: ProjectGraph): Promise<ProjectOutcome> => {
    const t0 = performance.now();
    const dates = options.dates(graph);
    const failures: { date: string; step: string; error: string }[] = [];
    let rows = 0;
    for (const date of dates) {
      let step = "plan";
      try {
        const plan = options.plan(graph, date);
        for (const s of plan.steps) {
          step = s.label;
          const t = performance.now();
          if (options.sqlOutputDir) saveSql(options.sqlOutputDir, graph.slug, date, s.label, s.kind === "write" ? s.select : s.sql);
          if (s.kind === "write") {
            const [dataset = "", table = ""] = s.table.slice(-2);
            rows += (await engine.writePartition({ dataset, table }, date, s.select, s.label)).rows ?? 0;
          } else {
            await engine.execute(s.sql, s.label);
          }
          reporter.stepDone?.(graph.slug, date, s.label, (performance.now() - t) / 1000);
        }
        reporter.dayDone?.(graph.slug, date, true, ++done, total);
      } catch (error) {
        const message = firstLine(error);
        failures.push({ date, step, error: message });
        reporter.dayDone?.(graph.slug, date, false, ++done, total, `${step}: ${message}`);
        done += dates.length - dates.indexOf(date) - 1;
        break;
      }
    }
    return {
      slug: graph.slug,
      status: failures.length ? "failed" : "succeeded",
      dates,
      failures,
      rows,
      seconds: (performance.now() - t0) / 1000,
    };
  };
  const outcomes = await pool(projects, Math.max(1, options.parallelism ?? 4), runOne);
  return { outcomes, skipped: options.skipped ?? [], seconds: (performance.now() - started) / 1000 };
}

/** Maps `items` with at most `size` calls in flight, keeping the input order. */
async function pool<T, R>(items: readonly T[], size: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, items.length) }, worker));
  return results;
}

/** Upstream's `--sql-output-dir` naming: `<slug>-<step>-<date>.sql`. */
function saveSql(dir: string, slug: string, date: string, step: string, sql: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${slug}-${step}-${date}.sql`), `${sql.trimEnd()}\n`);
}
