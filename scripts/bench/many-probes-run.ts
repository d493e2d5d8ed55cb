// `tsx scripts/bench/many-probes-run.ts <warehouse.duckdb> <probes>`: one day of a project with that
// many probes on a warehouse `opmon demo --days 1` filled (use a copy: the run writes into it), step
// by step: seconds and this process's RSS after each step, and the peak. Finds the step that grows.
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { daySteps } from "../../src/run/day-steps.js";
import { manyProbesConfig } from "./many-probes-project.js";

const ROOT = resolve(import.meta.dirname, "../..");
const [warehouse, probes = "200", perStatisticsQuery] = process.argv.slice(2);
if (!warehouse) throw new Error("usage: many-probes-run.ts <warehouse.duckdb> <probes> [probes per statistics query]");
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

const dir = manyProbesConfig(join(ROOT, ".opmon"), Number(probes));
try {
  const { projects } = await resolveConfigDir(dir);
  const graph = projects[0]?.graph;
  if (!graph) throw new Error(JSON.stringify(projects[0]?.issues));
  const plan = daySteps(graph, "2026-11-27", {
    dialect: "duckdb",
    pretty: false,
    ...(perStatisticsQuery ? { maxProbesPerStatisticsQuery: Number(perStatisticsQuery) } : {}),
  });
  const engine = await DuckDbEngine.open(warehouse);
  try {
    // BENCH_SETTINGS="SET memory_limit = '1GB'": try engine settings before making them the default
    if (process.env["BENCH_SETTINGS"]) await engine.execute(process.env["BENCH_SETTINGS"]);
    const started = performance.now();
    for (const step of plan.steps) {
      const t = performance.now();
      if (step.kind === "write") {
        const [dataset = "", table = ""] = step.table.slice(-2);
        await engine.writePartition({ dataset, table }, plan.date, step.select, step.label);
      } else await engine.execute(step.sql, step.label);
      const seconds = (performance.now() - t) / 1000;
      const tags = await engine.query("SELECT tag, memory_usage_bytes AS bytes FROM duckdb_memory() WHERE memory_usage_bytes > 2 ** 20");
      const duckdb = tags.map((t) => `${String(t["tag"])} ${mb(Number(t["bytes"]))}`).join(", ");
      console.log(`${step.label}: ${seconds.toFixed(1)} s, RSS ${mb(process.memoryUsage().rss)} (DuckDB: ${duckdb})`);
    }
    console.log(`${probes} probes: ${((performance.now() - started) / 1000).toFixed(1)} s, peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
  } finally {
    await engine.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
