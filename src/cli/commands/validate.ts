import { join } from "node:path";
import type { CAC } from "cac";
import pc from "picocolors";
import type { Issue } from "../../config/issue.js";
import type { ProjectGraph } from "../../graph/project-graph.js";
import type { ResolvedProject } from "../../graph/resolve-config-dir.js";
import { err, out, printIssues, printJson, UserError } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { experimenterOptions, loadExperiments, type ExperimenterOptions } from "./experimenter-options.js";
import { dateArg } from "./project-selection.js";

interface ValidateOptions extends ConfigDirOptions, ExperimenterOptions {
  readonly json?: boolean;
  readonly date?: string;
  readonly schemas?: string | string[];
  readonly sql?: boolean;
}

/**
 * `--check` of `plan` and `run`: proves the SQL of the projects about to run for `date`, as `validate`
 * does, and stops with the mapped errors (exit 1) before anything is executed.
 *
 * @example await refuseRejectedSql(options.configDir, resolved.projects, selection.run, date);
 */
export async function refuseRejectedSql(configDir: string, projects: readonly ResolvedProject[], run: readonly ProjectGraph[], date: string): Promise<void> {
  const { configSchemas } = await import("../../analyze/schema-roots.js");
  const { checkSql } = await import("../../analyze/check-sql.js");
  const schemas = configSchemas(configDir);
  if (!schemas.present)
    throw new UserError(`--check needs the BigQuery schemas of the tables the configs read: add ${join(configDir, "schemas")}/<project>/<dataset>/<table>.json, or run opmon schemas pull`);
  const running = new Set(run);
  const sql = await checkSql({ configDir, projects: projects.filter((p) => p.graph && running.has(p.graph)), schemas, date });
  if (sql.hint) err(pc.yellow(sql.hint));
  const errors = sql.issues.filter((i) => i.severity === "error");
  printIssues(sql.issues);
  if (errors.length) throw new UserError(`--check: ${errors.length} rejected SQL statement(s) for ${date}; nothing was run`);
  err(`--check: ${sql.summaries.join("; ")}`);
}

/** `opmon validate`: tsc diagnostics, runtime checks and SQL analysis of every project, all listed at once. */
export function registerValidate(cli: CAC): void {
  experimenterOptions(configDirOption(cli.command("validate", "Type-check and validate every definition, default and project, and analyze their SQL")))
    .option("--date <date>", "The day whose queries are analyzed, YYYY-MM-DD (default: each project's last active day)")
    .option("--schemas <dir>", "A folder of BigQuery JSON schemas, <project>/<dataset>/<table>.json (before <config-dir>/schemas)")
    .option("--no-sql", "Skip the SQL analysis")
    .option("--json", "Print the issues as JSON")
    .example("opmon validate --config-dir ./monitoring")
    .example("opmon validate --date 2026-11-01 --schemas ./bq-schemas")
    .action(async (options: ValidateOptions) => {
      const date = options.date === undefined ? undefined : dateArg(options.date, "--date");
      // the TypeScript compiler, DuckDB and the analyzer load only when validate runs, so --help answers at once
      const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
      const { configSchemas } = await import("../../analyze/schema-roots.js");
      const experiments = await loadExperiments(options);
      const { projects, issues: configIssues } = await resolveConfigDir(options.configDir, {
        typeCheck: true,
        ...(experiments ? { experiments, requireExperiment: true } : {}),
      });
      const issues: Issue[] = [...configIssues];
      const checks = ["types", "config"];
      const summaries: string[] = [];
      const extra = options.schemas === undefined ? [] : [options.schemas].flat();
      const schemas = configSchemas(options.configDir, extra);
      // without any schema folder nothing can be analyzed: one note, rather than a warning per table
      if (options.sql !== false && !schemas.present)
        summaries.push("SQL not analyzed: no BigQuery schemas (add schemas/<project>/<dataset>/<table>.json, or give --schemas DIR)");
      else if (options.sql !== false && projects.some((p) => p.graph && !p.graph.skip)) {
        const { checkSql } = await import("../../analyze/check-sql.js");
        const sql = await checkSql({ configDir: options.configDir, projects, schemas, ...(date ? { date } : {}) });
        if (sql.hint) err(pc.yellow(sql.hint));
        issues.push(...sql.issues);
        checks.push(...sql.checks);
        summaries.push(...sql.summaries);
      }
      const errors = issues.filter((i) => i.severity === "error").length;
      if (options.json) {
        printJson({
          projects: projects.map((p) => ({ slug: p.slug, file: p.file, valid: p.graph !== undefined && !issues.some((i) => i.severity === "error" && i.file === p.file) })),
          checks,
          issues,
        });
      } else {
        printIssues(issues);
        for (const line of summaries) out(line);
        out(`checks: ${checks.join(", ")}`);
        const warnings = issues.length - errors;
        const summary = `${projects.length} project(s) checked: ${errors} error(s), ${warnings} warning(s)`;
        out(errors ? pc.red(summary) : pc.green(summary));
      }
      return errors ? 1 : 0;
    });
}
