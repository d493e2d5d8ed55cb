import type { CAC } from "cac";
import type { AlertCliOptions } from "../../alerts/deliver-alerts.js";
import { WEBHOOK_ENV } from "../../alerts/webhook-sink.js";
import { selectProjects } from "../../run/select-projects.js";
import { formatIssue } from "../../config/issue.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { engineOptions, openEngine, runSqlOptions, type EngineOptions } from "./engine-options.js";
import { experimenterOptions } from "./experimenter-options.js";
import { refuseRejectedSql } from "./validate.js";
import { dateArg, projectsForRun, requireDataFor, yesterday, type SelectionOptions } from "./project-selection.js";
import { printSummary, progressReporter } from "./run-report.js";
import { err, out, UsageError, UserError } from "../output.js";

interface RunOptions extends ConfigDirOptions, EngineOptions, SelectionOptions, AlertCliOptions {
  readonly date?: string;
  readonly slug?: string;
  readonly parallelism: number | string;
  readonly sqlOutputDir?: string;
  readonly json?: boolean;
  readonly check?: boolean;
}

/** The alert sinks of the options; a bad webhook URL is a usage error, before anything runs. */
export async function sinksOrUsage(options: AlertCliOptions, console: boolean) {
  // loaded by the commands that deliver alerts, not by every start of the CLI
  const { alertSinks } = await import("../../alerts/deliver-alerts.js");
  try {
    return alertSinks(options, console, process.env);
  } catch (error) {
    throw new UserError(error instanceof Error ? error.message : String(error));
  }
}

/** `opmon run`: every active project for one day (yesterday by default), in parallel. */
export function registerRun(cli: CAC): void {
  experimenterOptions(engineOptions(configDirOption(cli.command("run", "Run every active project for one day and write its tables"))))
    .option("--date <date>", "The day to compute, YYYY-MM-DD (default: yesterday, UTC; when no source has data for it yet, nothing runs and the last day with data is named)")
    .option("--slug <slug>", "Only this project")
    .option("--no-type-check", "Run projects without type-checking their modules first (a project with type errors fails by default)")
    .option("--parallelism <n>", "Projects run at the same time", { default: 4 })
    .option("--sql-output-dir <dir>", "Also write every executed query to <slug>-<step>-<date>.sql here")
    .option("--no-experimenter", "Do not consult Experimenter (no automatic rollout monitoring)")
    .option("--check", "Prove the day's SQL first, as opmon validate does; stop with its errors before running anything")
    .option("--json", "Print the summary as JSON")
    .option("--alerts-json <file>", "Also write the alerts of the run to this JSON file")
    .option("--alerts-webhook <url>", `POST the alerts of the run to this URL, Slack-compatible (default: $${WEBHOOK_ENV})`)
    .example("opmon run --date 2026-11-27")
    .example("opmon run --date 2026-11-27 --engine bigquery --project-id my-project --maximum-bytes-billed 5000000000000")
    .action(async (options: RunOptions) => {
      const date = dateArg(options.date ?? yesterday(), "--date");
      const parallelism = Number(options.parallelism);
      if (!Number.isInteger(parallelism) || parallelism < 1)
        throw new UsageError(`--parallelism must be a whole number above 0, not "${options.parallelism}"`);
      const sinks = await sinksOrUsage(options, !options.json);
      const { runProjects } = await import("../../run/run-projects.js");
      const { daySteps, metadataStep, sharedDay } = await import("../../run/day-steps.js");
      const { sharedErrors } = await import("../../graph/resolve-config-dir.js");
      const sql = runSqlOptions(options);
      // missing credentials or a busy warehouse are said before Experimenter is asked anything
      const engine = await openEngine(options);
      try {
        const resolved = await projectsForRun(options, options.slug, { typeCheck: options.typeCheck !== false });
        const { projects, notes } = resolved;
        const selection = selectProjects(projects, date, options.slug);
        if (options.check) await refuseRejectedSql(options.configDir, projects, selection.run, date);
        if (options.date === undefined) await requireDataFor(engine, sql.dialect ?? "duckdb", selection.run, date);
        // a broken shared module fails the run by name, even when no project could be loaded to say so
        const shared =
          options.slug === undefined ? sharedErrors(resolved).map((i) => ({ slug: i.file ?? "", reason: formatIssue(i) })) : [];
        const summary = await runProjects({
          engine,
          projects: selection.run,
          dates: () => [date],
          plan: (graph, day) => daySteps(graph, day, sql),
          share: (graphs, day) => sharedDay(graphs, day, sql),
          metadata: (graphs) => metadataStep(graphs, date, sql),
          parallelism,
          reporter: progressReporter(),
          skipped: selection.skipped,
          invalid: [...shared, ...selection.invalid],
          ...(options.sqlOutputDir ? { sqlOutputDir: options.sqlOutputDir } : {}),
        });
        const code = printSummary(summary, Boolean(options.json), notes);
        const { deliverAlerts, succeeded } = await import("../../alerts/deliver-alerts.js");
        await deliverAlerts(engine, succeeded(summary.outcomes, selection.run), [date], sql, sinks, { info: out, warn: err });
        return code;
      } finally {
        await engine.close();
      }
    });
}
