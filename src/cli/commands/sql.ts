import type { CAC } from "cac";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { didYouMean } from "../../config/issue.js";
import { dateArg } from "./project-selection.js";
import { out, printIssues, UsageError, UserError } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";

interface SqlCommandOptions extends ConfigDirOptions {
  readonly date?: string;
  readonly dialect: string;
  readonly out?: string;
}

/** `opmon sql SLUG --date D`: every query of one project and day, in run order. */
export function registerSql(cli: CAC): void {
  configDirOption(cli.command("sql <slug>", "Print (or write) every query of one project for one day, in run order"))
    .option("--date <date>", "The day to compute, YYYY-MM-DD (required)")
    .option("--dialect <dialect>", "bigquery or duckdb", { default: "bigquery" })
    .option("--out <dir>", "Write one file per query (<slug>-<nn>-<query>-<date>.sql) instead of printing")
    .example("opmon sql gc-tuning-experiment --date 2026-10-05 --dialect duckdb")
    .action(async (slug: string, options: SqlCommandOptions) => {
      const date = dateArg(options.date, "--date");
      const dialect = String(options.dialect);
      const { isDialectName } = await import("../../sql/dialects/index.js");
      if (!isDialectName(dialect)) throw new UsageError(`--dialect "${dialect}" is not one of bigquery, duckdb`);
      const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
      const { planDay } = await import("../../sql/plan-day.js");
      const { UntranslatableSqlError } = await import("../../sql/translate/untranslatable-sql-error.js");
      const { projects } = await resolveConfigDir(options.configDir);
      const project = projects.find((p) => p.slug === slug);
      if (!project) {
        const hint = didYouMean(
          slug,
          projects.map((p) => p.slug),
        );
        throw new UserError(`no project "${slug}" in ${options.configDir}${hint ? ` (${hint})` : ""}`);
      }
      if (!project.graph) {
        printIssues(project.issues);
        return 1;
      }
      let queries;
      try {
        queries = planDay(project.graph, date, { dialect });
      } catch (error) {
        if (error instanceof UntranslatableSqlError) throw new UserError(`${project.file}: ${error.message}`);
        throw error;
      }
      if (options.out) {
        mkdirSync(options.out, { recursive: true });
        queries.forEach((q, i) => {
          const file = join(options.out ?? ".", `${slug}-${String(i + 1).padStart(2, "0")}-${q.name}-${date}.sql`);
          writeFileSync(file, `${q.sql}\n`);
          out(file);
        });
        return 0;
      }
      for (const q of queries) {
        out(`-- ${q.name}${q.destination ? `: writes ${q.destination.table} for ${q.destination.date}` : ""}`);
        out(q.sql);
        out();
      }
      return 0;
    });
}
