import type { CAC } from "cac";
import pc from "picocolors";
import { analyzeBigQuery } from "../../analyze/analyze-bigquery.js";
import { configSchemas } from "../../analyze/schema-roots.js";
import { ZETASQL_MISSING_HINT, ZetaSqlServer } from "../../analyze/zetasql-server.js";
import type { Issue } from "../../config/issue.js";
import { resolveConfigDir } from "../../graph/resolve-config-dir.js";
import { err, out, printIssues, printJson } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { experimenterOptions, loadExperiments, type ExperimenterOptions } from "./experimenter-options.js";
import { dateArg } from "./project-selection.js";

interface ValidateOptions extends ConfigDirOptions, ExperimenterOptions {
  readonly json?: boolean;
  readonly date?: string;
  readonly schemas?: string | string[];
  readonly sql?: boolean;
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
      const experiments = await loadExperiments(options);
      const { projects, issues: configIssues } = await resolveConfigDir(options.configDir, {
        typeCheck: true,
        ...(experiments ? { experiments, requireExperiment: true } : {}),
      });
      const issues: Issue[] = [...configIssues];
      const checks = ["types", "config"];
      let sqlSummary: string | undefined;
      if (options.sql !== false && projects.some((p) => p.graph && !p.graph.skip)) {
        const server = await ZetaSqlServer.start();
        if (!server) err(pc.yellow(ZETASQL_MISSING_HINT));
        else {
          try {
            const extra = options.schemas === undefined ? [] : [options.schemas].flat();
            const analysis = await analyzeBigQuery(server, {
              configDir: options.configDir,
              projects,
              schemas: configSchemas(options.configDir, extra),
              ...(date ? { date } : {}),
            });
            issues.push(...analysis.issues);
            checks.push("BigQuery SQL (ZetaSQL)");
            sqlSummary =
              `BigQuery SQL: ${analysis.statements} statement(s) analyzed` +
              (analysis.skipped ? `, ${analysis.skipped} skipped for ${analysis.tablesWithoutSchema.length} table(s) without a schema` : "");
          } finally {
            server.stop();
          }
        }
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
        if (sqlSummary) out(sqlSummary);
        const warnings = issues.length - errors;
        const summary = `${projects.length} project(s) checked (${checks.join(", ")}): ${errors} error(s), ${warnings} warning(s)`;
        out(errors ? pc.red(summary) : pc.green(summary));
      }
      return errors ? 1 : 0;
    });
}
