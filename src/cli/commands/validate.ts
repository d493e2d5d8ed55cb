import type { CAC } from "cac";
import pc from "picocolors";
import type { Issue } from "../../config/issue.js";
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
        const { ZETASQL_MISSING_HINT, ZetaSqlServer } = await import("../../analyze/zetasql-server.js");
        const { analyzeBigQuery } = await import("../../analyze/analyze-bigquery.js");
        const server = await ZetaSqlServer.start();
        if (!server) err(pc.yellow(ZETASQL_MISSING_HINT));
        else {
          try {
            const analysis = await analyzeBigQuery(server, { configDir: options.configDir, projects, schemas, ...(date ? { date } : {}) });
            issues.push(...analysis.issues);
            checks.push("BigQuery SQL (ZetaSQL)");
            summaries.push(
              `BigQuery SQL: ${analysis.statements} statement(s) analyzed` +
                (analysis.skipped ? `, ${analysis.skipped} skipped for ${analysis.tablesWithoutSchema.length} table(s) without a schema` : ""),
            );
          } finally {
            server.stop();
          }
        }
        // a project whose BigQuery SQL is wrong would fail on DuckDB too: its error is said once
        const failed = new Set(issues.flatMap((i) => ("project" in i && i.severity === "error" && typeof i.project === "string" ? [i.project] : [])));
        const { prepareDuckDb } = await import("../../analyze/prepare-duckdb.js");
        const duck = await prepareDuckDb({ configDir: options.configDir, projects, schemas, skip: failed, ...(date ? { date } : {}) });
        issues.push(...duck.issues);
        checks.push("DuckDB SQL");
        summaries.push(`DuckDB SQL: ${duck.statements} step(s) run on empty tables${duck.skipped ? `, ${duck.skipped} project(s) skipped for tables without a schema` : ""}`);
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
