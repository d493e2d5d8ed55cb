import type { CAC } from "cac";
import { runProjects } from "../../run/run-projects.js";
import { daySteps } from "../../run/day-steps.js";
import { selectProjects } from "../../run/select-projects.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { engineName, engineOptions, openEngine, type EngineOptions } from "./engine-options.js";
import { experimenterOptions } from "./experimenter-options.js";
import { dateArg, projectsForRun, yesterday, type SelectionOptions } from "./project-selection.js";
import { printSummary, progressReporter } from "./run-report.js";

interface RunOptions extends ConfigDirOptions, EngineOptions, SelectionOptions {
  readonly date?: string;
  readonly slug?: string;
  readonly parallelism: number | string;
  readonly sqlOutputDir?: string;
  readonly json?: boolean;
}

/** `opmon run`: every active project for one day (yesterday by default), in parallel. */
export function registerRun(cli: CAC): void {
  experimenterOptions(engineOptions(configDirOption(cli.command("run", "Run every active project for one day and write its tables"))))
    .option("--date <date>", "The day to compute, YYYY-MM-DD (default: yesterday, UTC)")
    .option("--slug <slug>", "Only this project")
    .option("--parallelism <n>", "Projects run at the same time", { default: 4 })
    .option("--sql-output-dir <dir>", "Also write every executed query to <slug>-<step>-<date>.sql here")
    .option("--no-experimenter", "Do not consult Experimenter (no automatic rollout monitoring)")
    .option("--json", "Print the summary as JSON")
    .example("opmon run --date 2026-11-27")
    .example("opmon run --date 2026-11-27 --engine bigquery --project-id my-project --maximum-bytes-billed 5000000000000")
    .action(async (options: RunOptions) => {
      const date = dateArg(options.date ?? yesterday(), "--date");
      const parallelism = Number(options.parallelism);
      const dialect = engineName(options);
      const { projects, notes } = await projectsForRun(options, options.slug);
      const selection = selectProjects(projects, date, options.slug);
      const engine = await openEngine(options);
      try {
        const summary = await runProjects({
          engine,
          projects: selection.run,
          dates: () => [date],
          plan: (graph, day) => daySteps(graph, day, { dialect, ...(options.projectId ? { project: options.projectId } : {}) }),
          parallelism: Number.isInteger(parallelism) && parallelism > 0 ? parallelism : 4,
          reporter: progressReporter(),
          skipped: selection.skipped,
          ...(options.sqlOutputDir ? { sqlOutputDir: options.sqlOutputDir } : {}),
        });
        return printSummary(summary, Boolean(options.json), notes);
      } finally {
        await engine.close();
      }
    });
}
