import type { CAC } from "cac";
import { firstLine } from "../../util/first-line.js";
import { selectProjects } from "../../run/select-projects.js";
import { out, printJson, table } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { engineOptions, openEngine, runSqlOptions, type EngineOptions } from "./engine-options.js";
import { experimenterOptions } from "./experimenter-options.js";
import { refuseRejectedSql } from "./validate.js";
import { dateArg, projectsForRun, yesterday, type SelectionOptions } from "./project-selection.js";

interface PlanOptions extends ConfigDirOptions, EngineOptions, SelectionOptions {
  readonly date?: string;
  readonly slug?: string;
  readonly json?: boolean;
  readonly check?: boolean;
}

const bytes = (n: number) => {
  const units = ["B", "KB", "MB", "GB", "TB", "PB"];
  const i = Math.min(units.length - 1, Math.floor(Math.log(Math.max(n, 1)) / Math.log(1024)));
  return `${(n / 1024 ** i).toFixed(i ? 1 : 0)} ${units[i]}`;
};

/**
 * Why a step could not be estimated. A step that reads the project's own tables (statistics read the
 * metrics) cannot be estimated before the project's first run: said so, not as a missing-table error.
 */
function notRunYet(tableSlug: string, error: unknown): string {
  const reason = firstLine(error);
  return /does not exist|not found/i.test(reason) && reason.includes(tableSlug)
    ? "not run yet (reads tables its first run writes)"
    : reason;
}

/** `opmon plan`: what a run would do and read, without writing anything. */
export function registerPlan(cli: CAC): void {
  experimenterOptions(
    engineOptions(configDirOption(cli.command("plan", "Show what a run would do: projects, queries, bytes or rows they read"))),
  )
    .option("--date <date>", "The day, YYYY-MM-DD (default: yesterday, UTC)")
    .option("--slug <slug>", "Only this project")
    .option("--no-experimenter", "Do not consult Experimenter")
    .option("--check", "Prove the day's SQL first, as opmon validate does; stop with its errors before running anything")
    .option("--json", "Print the plan as JSON")
    .example("opmon plan --date 2026-11-27 --engine bigquery --project-id my-project")
    .action(async (options: PlanOptions) => {
      const date = dateArg(options.date ?? yesterday(), "--date");
      const sql = runSqlOptions(options);
      const { daySteps } = await import("../../run/day-steps.js");
      const { planSharedSources } = await import("../../sql/shared-sources.js");
      // missing credentials or a busy warehouse are said before Experimenter is asked anything
      const engine = await openEngine(options);
      const planned = [];
      let selection: ReturnType<typeof selectProjects>;
      let shared: { source: string; projects: readonly string[] }[];
      let notes: string[];
      try {
        const resolved = await projectsForRun(options, options.slug);
        notes = resolved.notes;
        selection = selectProjects(resolved.projects, date, options.slug);
        if (options.check) await refuseRejectedSql(options.configDir, resolved.projects, selection.run, date);
        // a run reads these once for all their readers; each project's estimate below reads the source itself
        shared = planSharedSources(selection.run, date, sql).passes.map((p) => ({ source: p.source, projects: p.readers }));
        for (const graph of selection.run) {
          const plan = daySteps(graph, date, sql);
          const steps = [];
          for (const step of plan.steps) {
            // only writes read source data; their estimate fails for tables this run has not written yet
            const estimate =
              step.kind === "write"
                ? await engine.estimate(step.select).catch((error: unknown) => ({ error: notRunYet(graph.tableSlug, error) }))
                : {};
            steps.push({ step: step.label, kind: step.kind, ...estimate });
          }
          planned.push({ slug: graph.slug, date, steps });
        }
      } finally {
        await engine.close();
      }
      const code = selection.invalid.length ? 1 : 0;
      if (options.json)
        return (
          printJson({
            engine: engine.name,
            date,
            projects: planned,
            shared,
            skipped: selection.skipped,
            invalid: selection.invalid,
            notes,
          }),
          code
        );
      const rows = planned.flatMap((p) =>
        p.steps.map((s) => [
          p.slug,
          s.step,
          "bytes" in s && s.bytes !== undefined ? bytes(s.bytes) : "rows" in s && s.rows !== undefined ? `${s.rows} rows` : "",
          "error" in s ? `not estimated: ${s.error}` : "",
        ]),
      );
      out(table([["PROJECT", "STEP", engine.name === "bigquery" ? "BYTES" : "READS", ""], ...rows]));
      for (const s of selection.skipped) out(`skipped ${s.slug}: ${s.reason}`);
      for (const s of selection.invalid) out(`cannot run ${s.slug}: ${s.reason}`);
      for (const p of shared) out(`shared: one pass over ${p.source} for ${p.projects.join(", ")} (their estimates each count it)`);
      for (const note of notes) out(note);
      const total = planned
        .flatMap((p) => p.steps)
        .reduce((n, s) => n + ("bytes" in s ? (s.bytes ?? 0) : "rows" in s ? (s.rows ?? 0) : 0), 0);
      out(
        `${planned.length} project(s) for ${date}: ${engine.name === "bigquery" ? bytes(total) : `${total} rows`} read by the steps estimated`,
      );
      return code;
    });
}
