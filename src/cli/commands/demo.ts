import type { CAC } from "cac";
import type { AlertCliOptions } from "../../alerts/deliver-alerts.js";
import { WEBHOOK_ENV } from "../../alerts/webhook-sink.js";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_WAREHOUSE } from "../../engines/duckdb/default-warehouse.js";
import type { DuckDbEngine } from "../../engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../graph/project-graph.js";
import { datesBetween } from "../../run/select-projects.js";
import { err, out, UsageError, UserError } from "../output.js";
import { dateArg } from "./project-selection.js";
import { printSummary, progressReporter } from "./run-report.js";
import { sinksOrUsage } from "./run.js";

/** The demo projects ship with opmon, beside `src/`. */
const DEMO_CONFIG = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
/** The demo's last day: fixed, so the demo projects' dates always cover it. */
const DEMO_END = "2026-11-27";

interface DemoOptions extends AlertCliOptions {
  readonly clients: number | string;
  readonly days: number | string;
  readonly endDate: string;
  readonly warehouse: string;
  readonly seed: number | string;
  readonly out: string;
  readonly json?: boolean;
}

const positive = (value: number | string, flag: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number above 0, not "${value}"`);
  return n;
};

/** `opmon demo`: synthetic telemetry in a DuckDB warehouse, every demo project run over it. */
export function registerDemo(cli: CAC): void {
  cli
    .command("demo", "Fill a DuckDB warehouse with synthetic telemetry and run the demo projects over it")
    .option("--clients <n>", "Synthetic clients", { default: 1500 })
    .option("--days <n>", "Days of telemetry, ending on --end-date", { default: 21 })
    .option("--end-date <date>", "The last day", { default: DEMO_END })
    .option("--seed <n>", "Seed of the synthetic data", { default: 1 })
    .option("--warehouse <path>", "DuckDB warehouse file (its telemetry tables are replaced)", { default: DEFAULT_WAREHOUSE })
    .option("--out <dir>", "Where to write the dashboard site", { default: ".opmon/site" })
    .option("--json", "Print the run summary as JSON")
    .option("--alerts-json <file>", "Also write the alerts of the demo's last day to this JSON file")
    .option("--alerts-webhook <url>", `POST the alerts of the demo's last day to this URL, Slack-compatible (default: $${WEBHOOK_ENV})`)
    .example("opmon demo --clients 5000 --days 28")
    .action(async (options: DemoOptions) => {
      const clients = positive(options.clients, "--clients");
      const days = positive(options.days, "--days");
      const end = dateArg(options.endDate, "--end-date");
      const sinks = await sinksOrUsage(options, !options.json);
      const start = new Date(Date.parse(end) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
      const { DuckDbEngine } = await import("../../engines/duckdb/duckdb-engine.js");
      const { WarehouseBusyError } = await import("../../engines/duckdb/warehouse-lock.js");
      const { syntheticTelemetrySql } = await import("../../demo/synthetic-telemetry.js");
      const { runProjects } = await import("../../run/run-projects.js");
      const { daySteps, metadataStep, sharedDay } = await import("../../run/day-steps.js");
      const { planDay } = await import("../../sql/plan-day.js");
      const { writeSite } = await import("../../report/write-site.js");
      const { projects } = await resolveConfigDir(DEMO_CONFIG);
      const graphs = projects.flatMap((p) => (p.graph && !p.graph.skip ? [p.graph] : []));
      let engine: DuckDbEngine;
      try {
        engine = await DuckDbEngine.open(options.warehouse);
      } catch (error) {
        if (error instanceof WarehouseBusyError) throw new UserError(error.message);
        throw error;
      }
      try {
        const t0 = performance.now();
        for (const sql of syntheticTelemetrySql({ clients, startDate: start, endDate: end, seed: positive(options.seed, "--seed") })) {
          await engine.execute(sql, "demo_data");
        }
        const [pings] = await engine.query("SELECT count(*) AS n FROM telemetry.main");
        if (!options.json) {
          out(
            `Synthetic telemetry: ${String(pings?.["n"])} main pings from ${clients} clients, ${start} to ${end} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
          );
        }
        const summary = await runProjects({
          engine,
          projects: graphs,
          dates: (g) =>
            datesBetween(g.startDate && g.startDate > start ? g.startDate : start, g.endDate && g.endDate < end ? g.endDate : end),
          plan: (graph, day) => daySteps(graph, day, { dialect: "duckdb", pretty: false }),
          share: (graphs, day) => sharedDay(graphs, day, { dialect: "duckdb", pretty: false }),
          metadata: (graphs) => metadataStep(graphs, end, { dialect: "duckdb", pretty: false }),
          parallelism: 3,
          reporter: progressReporter(),
        });
        const code = printSummary(summary, Boolean(options.json));
        // the last day's alerts, as a nightly run would report them
        const { deliverAlerts, succeeded } = await import("../../alerts/deliver-alerts.js");
        await deliverAlerts(engine, succeeded(summary.outcomes, graphs), [end], { dialect: "duckdb" }, sinks, { info: out, warn: err });
        const lastDay = (g: ProjectGraph) => (g.endDate && g.endDate < end ? g.endDate : end);
        const queries = Object.fromEntries(
          graphs.map((g) => [g.slug, Object.fromEntries(planDay(g, lastDay(g), { dialect: "duckdb" }).map((q) => [q.name, q.sql]))]),
        );
        const { index } = await writeSite((sql) => engine.query(sql), graphs, {
          out: options.out,
          queries,
          generatedAt: new Date().toISOString().slice(0, 16).replace("T", " "),
        });
        if (!options.json) {
          out(`Warehouse: ${options.warehouse} (any DuckDB client reads it: operational_monitoring.<project>_statistics)`);
          out(`Dashboard: ${index}`);
        }
        return code;
      } finally {
        await engine.close();
      }
    });
}
