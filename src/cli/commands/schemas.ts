import type { CAC } from "cac";
import pc from "picocolors";
import type { BigQueryEngine } from "../../engines/bigquery/bigquery-engine.js";
import { DEFAULT_PROJECT } from "../../schemas/schema-catalog.js";
import { err, out, printJson, UsageError } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { openEngine } from "./engine-options.js";

interface SchemasOptions extends ConfigDirOptions {
  readonly projectId?: string;
  readonly requestTimeout?: string;
  readonly json?: boolean;
}

/** `opmon schemas pull`: the BigQuery schema of every table the configs read, cached for `validate`. */
export function registerSchemas(cli: CAC): void {
  configDirOption(cli.command("schemas <action>", "Fetch the BigQuery schema of every table the configs read (action: pull) into .opmon/schemas/"))
    .option("--project-id <id>", `BigQuery: the project the requests are made for (or GOOGLE_CLOUD_PROJECT; default ${DEFAULT_PROJECT})`)
    .option("--request-timeout <duration>", "BigQuery: give up on a request unanswered after this long (e.g. 30s, 10m; default 10m)")
    .option("--json", "Print the tables cached and missing as JSON")
    .example("opmon schemas pull --config-dir ./monitoring")
    .action(async (action: string, options: SchemasOptions) => {
      if (action !== "pull") throw new UsageError(`opmon schemas: unknown action "${action}" (the action is pull)`);
      const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
      const { tablesRead } = await import("../../analyze/tables-read.js");
      const { schemaCache } = await import("../../analyze/schema-roots.js");
      const { pullSchemas } = await import("../../schemas/pull-schemas.js");
      const { projects } = await resolveConfigDir(options.configDir);
      const unresolved = projects.filter((p) => p.graph === undefined).map((p) => p.file);
      const tables = tablesRead(projects.flatMap((p) => (p.graph && !p.graph.skip ? [p.graph] : [])));
      // tables.get bills nothing: any project the credentials may use will do
      const projectId = options.projectId ?? process.env["GOOGLE_CLOUD_PROJECT"] ?? DEFAULT_PROJECT;
      const engine = await openEngine({ engine: "bigquery", warehouse: "", projectId, ...(options.requestTimeout ? { requestTimeout: options.requestTimeout } : {}) });
      const root = schemaCache(options.configDir);
      const pulled = await pullSchemas(tables, root, (project, dataset, table) => (engine as BigQueryEngine).tableSchema(project, dataset, table));
      await engine.close();
      if (options.json) printJson({ tables: tables.length, cached: pulled.cached, missing: pulled.missing, unresolved });
      else {
        for (const m of pulled.missing) err(`${pc.red("missing")} ${m.table}: ${m.reason}`);
        for (const file of unresolved) err(`${pc.yellow("not read")} ${file}: the project does not resolve (opmon validate says why)`);
        const summary = `${pulled.cached.length} of ${tables.length} table schema(s) cached in ${root}` + (pulled.missing.length ? `, ${pulled.missing.length} missing` : "");
        out(pulled.missing.length ? pc.red(summary) : pc.green(summary));
      }
      return pulled.missing.length ? 1 : 0;
    });
}
