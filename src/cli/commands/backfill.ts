import type { CAC } from "cac";
import type { AlertCliOptions } from "../../alerts/deliver-alerts.js";
import { WEBHOOK_ENV } from "../../alerts/webhook-sink.js";
import { datesBetween, invalidReason } from "../../run/select-projects.js";
import { err, out, UsageError, UserError } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { engineOptions, openEngine, runSqlOptions, type EngineOptions } from "./engine-options.js";
import { experimenterOptions } from "./experimenter-options.js";
import { dateArg, projectsForRun, type SelectionOptions } from "./project-selection.js";
import { printSummary, progressReporter } from "./run-report.js";
import { sinksOrUsage } from "./run.js";

interface BackfillOptions extends ConfigDirOptions, EngineOptions, SelectionOptions, AlertCliOptions {
  readonly slug?: string;
  readonly startDate?: string;
  readonly endDate?: string;
  readonly sqlOutputDir?: string;
  readonly json?: boolean;
}

/** `opmon backfill`: one project over a range of days, in order, clipped to its own dates. */
export function registerBackfill(cli: CAC): void {
  experimenterOptions(engineOptions(configDirOption(cli.command("backfill", "Run one project for every day of a range, in order"))))
    .option("--slug <slug>", "The project (required)")
    .option("--start-date <date>", "First day, YYYY-MM-DD (required)")
    .option("--end-date <date>", "Last day, YYYY-MM-DD, inclusive (required)")
    .option("--no-type-check", "Run the project without type-checking its module first (type errors fail it by default)")
    .option("--sql-output-dir <dir>", "Also write every executed query to <slug>-<step>-<date>.sql here")
    .option("--no-experimenter", "Do not consult Experimenter")
    .option("--json", "Print the summary as JSON")
    .option("--alerts-json <file>", "Also write the alerts of the run to this JSON file")
    .option("--alerts-webhook <url>", `POST the alerts of the run to this URL, Slack-compatible (default: $${WEBHOOK_ENV})`)
    .example("opmon backfill --slug gc-tuning-experiment --start-date 2026-11-01 --end-date 2026-11-27")
    .action(async (options: BackfillOptions) => {
      if (!options.slug) throw new UsageError("--slug is required");
      const start = dateArg(options.startDate, "--start-date");
      const end = dateArg(options.endDate, "--end-date");
      if (start > end) throw new UsageError(`--start-date ${start} is after --end-date ${end}`);
      const sinks = await sinksOrUsage(options, !options.json);
      const sql = runSqlOptions(options);
      const { runProjects } = await import("../../run/run-projects.js");
      const { daySteps, metadataStep } = await import("../../run/day-steps.js");
      // missing credentials or a busy warehouse are said before Experimenter is asked anything
      const engine = await openEngine(options);
      try {
        const { projects, notes } = await projectsForRun(options, options.slug, { typeCheck: options.typeCheck !== false });
        const project = projects.find((p) => p.slug === options.slug);
        const graph = project?.graph;
        if (!graph)
          throw new UserError(`project "${options.slug}" cannot run: ${invalidReason(project?.issues ?? [], project?.file ?? "")}`);
        if (graph.skip) throw new UserError(`project "${options.slug}" sets skip`);
        const from = graph.startDate && graph.startDate > start ? graph.startDate : start;
        const to = graph.endDate && graph.endDate < end ? graph.endDate : end;
        const dates = datesBetween(from, to);
        if (dates.length === 0)
          throw new UserError(
            `no day of ${start}..${end} lies within the project's dates (${graph.startDate ?? "?"}..${graph.endDate ?? "open"})`,
          );
        const summary = await runProjects({
          engine,
          projects: [graph],
          dates: () => dates,
          plan: (g, day) => daySteps(g, day, sql),
          metadata: (graphs) => metadataStep(graphs, end, sql),
          reporter: progressReporter(),
          ...(options.sqlOutputDir ? { sqlOutputDir: options.sqlOutputDir } : {}),
        });
        const code = printSummary(summary, Boolean(options.json), notes);
        const { deliverAlerts, succeeded } = await import("../../alerts/deliver-alerts.js");
        await deliverAlerts(engine, succeeded(summary.outcomes, [graph]), dates, sql, sinks, { info: out, warn: err });
        return code;
      } finally {
        await engine.close();
      }
    });
}
