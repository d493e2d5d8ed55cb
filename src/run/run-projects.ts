import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { firstLine } from "../util/first-line.js";
import type { Engine, StepRunner } from "../engines/engine.js";
import type { ProjectGraph } from "../graph/project-graph.js";
import type { DayPlan, Step } from "./day-plan.js";
import type { Skipped } from "./select-projects.js";
import { pool } from "../util/pool.js";

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
  /** Work shared by the projects of a day failed; they ran on their own instead. */
  readonly sharedFailed?: (date: string, step: string, error: string) => void;
}

/** Work the projects of one day share, run before them, and the plans that read its results. */
export interface SharedDay {
  /**
   * Each pass: its step, the step dropping what it wrote (a failure there is ignored), the slugs reading
   * it, whether later passes read what it writes for those slugs (spam clients, populations), and its
   * stage: passes of one stage run side by side, after those of every lower stage (none: stage 0).
   */
  readonly passes: readonly {
    readonly step: Step;
    readonly cleanup: Step;
    readonly readers: readonly string[];
    readonly feedsLater?: boolean;
    readonly stage?: number;
  }[];
  /** A project's plan for the day, reading what the passes computed. */
  readonly plan: (graph: ProjectGraph) => DayPlan;
}

/** Options of {@link runProjects}. */
export interface RunOptions {
  readonly engine: Engine;
  readonly projects: readonly ProjectGraph[];
  /** The dates each project runs for, in order (a backfill runs several, sequentially). */
  readonly dates: (graph: ProjectGraph) => readonly string[];
  readonly plan: (graph: ProjectGraph, date: string) => DayPlan;
  /**
   * Work shared by the projects running a day (one pass over a data source for several of them). When
   * a pass fails, its readers run on their own plans from then on, so one project's bad SQL never fails
   * another.
   */
  readonly share?: (graphs: readonly ProjectGraph[], date: string) => SharedDay;
  /**
   * The run's `projects_v1` write, once after every project's days (see `metadataStep`): one
   * transaction per run, as upstream, never one per project-day racing on the table.
   */
  readonly metadata?: (graphs: readonly ProjectGraph[]) => Step | undefined;
  /** Projects run at the same time, at most. */
  readonly parallelism?: number;
  /** Writes every executed query to `<slug>-<step>-<date>.sql` here. */
  readonly sqlOutputDir?: string;
  readonly reporter?: RunReporter;
  readonly skipped?: readonly Skipped[];
  /** Projects (or shared modules) whose config cannot run: failed outcomes, with the reason as their error. */
  readonly invalid?: readonly Skipped[];
}

/**
 * Runs the projects day by day, in date order: each day, the shared work first, then the day of every
 * project running it, in parallel (bounded). A failing day stops that project's later days (they build
 * on it) but never another project; every failure ends up in the summary.
 *
 * @example const summary = await runProjects({ engine, projects, dates: () => ["2026-11-27"], plan });
 */
export async function runProjects(options: RunOptions): Promise<RunSummary> {
  const started = performance.now();
  const { engine, projects, reporter = {} } = options;
  const datesOf = new Map(projects.map((g) => [g.slug, options.dates(g)]));
  const total = projects.reduce((n, g) => n + (datesOf.get(g.slug)?.length ?? 0), 0);
  let done = 0;
  const state = new Map(projects.map((g) => [g.slug, { failures: [] as ProjectOutcome["failures"][number][], rows: 0, seconds: 0 }]));
  const runStep = async (slug: string, date: string, s: Step, runner: StepRunner = engine) => {
    const t = performance.now();
    if (options.sqlOutputDir) saveSql(options.sqlOutputDir, slug, date, s.label, s.kind === "write" ? s.select : s.sql);
    let rows = 0;
    if (s.kind === "write") {
      const [dataset = "", table = ""] = s.table.slice(-2);
      const expiry = s.partitionExpirationDays ? { partitionExpirationDays: s.partitionExpirationDays } : {};
      rows = (await runner.writePartition({ dataset, table, ...expiry }, date, s.select, s.label)).rows ?? 0;
    } else {
      await runner.execute(s.sql, s.label);
    }
    reporter.stepDone?.(slug, date, s.label, (performance.now() - t) / 1000);
    return rows;
  };
  const runDay = async (graph: ProjectGraph, date: string, plan: (graph: ProjectGraph) => DayPlan) => {
    const own = state.get(graph.slug);
    if (!own) return;
    const t0 = performance.now();
    let step = "plan";
    try {
      const steps = plan(graph).steps;
      const runAll = async (runner: StepRunner) => {
        let rows = 0;
        for (const s of steps) {
          step = s.label;
          rows += await runStep(graph.slug, date, s, runner);
        }
        return rows;
      };
      if (engine.atomically) {
        // a project's day as one unit: it lands whole, with one commit, timed as a step of its own
        let committed = 0;
        const writes = steps.flatMap((s) => (s.kind === "write" ? [s.select] : []));
        own.rows += await engine.atomically(
          async (runner) => {
            const rows = await runAll(runner);
            // a COMMIT that fails (a full disk) is the day's commit's failure, not its last step's
            step = "commit";
            committed = performance.now();
            return rows;
          },
          { writes },
        );
        reporter.stepDone?.(graph.slug, date, "commit", (performance.now() - committed) / 1000);
      } else own.rows += await runAll(engine);
      reporter.dayDone?.(graph.slug, date, true, ++done, total);
    } catch (error) {
      const message = firstLine(error);
      own.failures.push({ date, step, error: message });
      const later = datesOf.get(graph.slug) ?? [];
      reporter.dayDone?.(graph.slug, date, false, ++done, total, `${step}: ${message}`);
      done += later.length - later.indexOf(date) - 1;
    }
    own.seconds += (performance.now() - t0) / 1000;
  };
  const allDates = [...new Set([...datesOf.values()].flat())].sort();
  // projects that read a pass that failed: they read their sources on their own for the rest of the run
  const alone = new Set<string>();
  for (const date of allDates) {
    const running = projects.filter((g) => datesOf.get(g.slug)?.includes(date) && state.get(g.slug)?.failures.length === 0);
    const shared = await runShared(
      running.filter((g) => !alone.has(g.slug)),
      date,
    );
    const planOf = (graph: ProjectGraph) => (shared && !alone.has(graph.slug) ? shared.plan(graph) : options.plan(graph, date));
    await pool(running, Math.max(1, options.parallelism ?? 4), (graph) => runDay(graph, date, planOf));
    for (const pass of shared?.passes ?? []) await runStep("shared", date, pass.cleanup).catch(() => undefined);
  }
  const metadata = await writeMetadata(allDates.at(-1) ?? "");
  const outcomes = projects.map((graph): ProjectOutcome => {
    const own = state.get(graph.slug) ?? { failures: [], rows: 0, seconds: 0 };
    return {
      slug: graph.slug,
      status: own.failures.length ? "failed" : "succeeded",
      dates: datesOf.get(graph.slug) ?? [],
      failures: own.failures,
      rows: own.rows,
      seconds: own.seconds,
    };
  });
  const invalid = (options.invalid ?? []).map(
    (s): ProjectOutcome => ({ slug: s.slug, status: "failed", dates: [], failures: [{ date: "", step: "config", error: s.reason }], rows: 0, seconds: 0 }),
  );
  return { outcomes: [...outcomes, ...metadata, ...invalid], skipped: options.skipped ?? [], seconds: (performance.now() - started) / 1000 };

  /** Writes the run's metadata; a failure is the run's, reported as the `projects_v1` outcome. */
  async function writeMetadata(date: string): Promise<ProjectOutcome[]> {
    const step = options.metadata?.(projects);
    if (!step) return [];
    try {
      await runStep("projects_v1", date, step);
      return [];
    } catch (error) {
      return [{ slug: "projects_v1", status: "failed", dates: [], failures: [{ date, step: step.label, error: firstLine(error) }], rows: 0, seconds: 0 }];
    }
  }

  /** Runs the day's shared passes; a failed one sends its readers to their own plans. */
  async function runShared(graphs: readonly ProjectGraph[], date: string): Promise<SharedDay | undefined> {
    if (!options.share || graphs.length < 2) return undefined;
    let day: SharedDay;
    try {
      day = options.share(graphs, date);
    } catch (error) {
      reporter.sharedFailed?.(date, "planning", firstLine(error));
      return undefined;
    }
    // readers whose spam clients or population could not be written: a later pass reading them could
    // only fail on the missing table, so it is skipped and its readers go their own way
    const unfed = new Set<string>();
    const stages = [...new Set(day.passes.map((p) => p.stage ?? 0))].sort((a, b) => a - b);
    for (const stage of stages) {
      const passes = day.passes.filter((p) => (p.stage ?? 0) === stage);
      // side by side: on DuckDB each on a connection of its own, as project days run
      const failed = await Promise.all(
        passes.map(async (pass) => {
          const without = pass.readers.find((slug) => unfed.has(slug));
          if (without !== undefined) {
            reporter.sharedFailed?.(date, pass.step.label, `skipped: the shared work of ${without} failed before it`);
            return true;
          }
          try {
            const run = (runner: StepRunner = engine) => runStep("shared", date, pass.step, runner);
            await (engine.atomically ? engine.atomically(run, { createsSchemas: false }) : run());
            return false;
          } catch (error) {
            reporter.sharedFailed?.(date, pass.step.label, firstLine(error));
            return true;
          }
        }),
      );
      passes.forEach((pass, i) => {
        if (!failed[i]) return;
        for (const slug of pass.readers) alone.add(slug);
        if (pass.feedsLater) for (const slug of pass.readers) unfed.add(slug);
      });
    }
    return day;
  }
}

/** Upstream's `--sql-output-dir` naming: `<slug>-<step>-<date>.sql`. */
function saveSql(dir: string, slug: string, date: string, step: string, sql: string) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${slug}-${step}-${date}.sql`), `${sql.trimEnd()}\n`);
}
