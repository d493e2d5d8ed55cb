// `npm run bench`: opmon's costs as ratios measured in one run on this machine (absolute times on shared
// machines are noise). Medians of several runs after a warm-up. Prints a table and writes JSON.
// BENCH_SIZES=S,M,L picks sizes; BENCH_RUNS=n sets the runs per measurement.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { daySteps, sharedDay } from "../../src/run/day-steps.js";
import { runProjects } from "../../src/run/run-projects.js";
import { planDay } from "../../src/sql/plan-day.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";
import { cliStart } from "./cli-start.js";
import { floorQuery } from "./floor-query.js";

const ROOT = resolve(import.meta.dirname, "../..");
const DAY = "2026-11-27";
const CLIENTS: Record<string, number> = { S: 5_000, M: 40_000, L: 200_000 };
const sizes = (process.env["BENCH_SIZES"] ?? "S,M,L").split(",").filter((s) => s in CLIENTS);
const runs = Number(process.env["BENCH_RUNS"] ?? 3);
const work = mkdtempSync(join(tmpdir(), "opmon-bench-"));
const rows: { measure: string; value: string; target: string; detail: string }[] = [];
const results: Record<string, unknown> = { machine: { cpus: (await import("node:os")).cpus().length, node: process.version }, runs };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return (performance.now() - t) / 1000;
}
/** Median seconds of `runs` calls after one warm-up. */
async function measure(f: () => Promise<unknown>): Promise<number> {
  await f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await timed(f));
  return median(times);
}
const log = (text: string) => process.stderr.write(`${text}\n`);
const ratio = (a: number, b: number) => a / b;
const fmt = (x: number) => x.toFixed(2);

async function warehouse(name: string, clients: number, days: number): Promise<DuckDbEngine> {
  const engine = await DuckDbEngine.open(join(work, `${name}.duckdb`));
  const start = new Date(Date.parse(DAY) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const t = await timed(async () => {
    for (const sql of syntheticTelemetrySql({ clients, startDate: start, endDate: DAY })) await engine.execute(sql, "bench_data");
  });
  const [count] = await engine.query("SELECT count(*) AS n FROM telemetry.main");
  log(`  ${name}: ${String(count?.["n"])} pings from ${clients} clients over ${days} day(s), generated in ${t.toFixed(1)} s`);
  return engine;
}

const run = (engine: DuckDbEngine, graphs: readonly ProjectGraph[], dates: readonly string[] = [DAY], share = true) =>
  runProjects({
    engine,
    projects: graphs,
    dates: () => dates,
    plan: (g, d) => daySteps(g, d, { dialect: "duckdb", pretty: false }),
    ...(share ? { share: (gs: readonly ProjectGraph[], d: string) => sharedDay(gs, d, { dialect: "duckdb", pretty: false }) } : {}),
    parallelism: 4,
  }).then((s) => {
    const failed = s.outcomes.filter((o) => o.status === "failed");
    if (failed.length) throw new Error(`bench run failed: ${JSON.stringify(failed[0]?.failures)}`);
    return s;
  });

const { projects } = await resolveConfigDir(ROOT);
const graph = projects.find((p) => p.slug === "tab-unloading-rollout")?.graph;
if (!graph) throw new Error("the demo project tab-unloading-rollout does not resolve");
const copies = (n: number) => Array.from({ length: n }, (_, i) => ({ ...graph, slug: `bench-${i}`, tableSlug: `bench_${i}` }));

try {
  log(`opmon bench: ${runs} run(s) per measurement after a warm-up; working in a temporary directory`);
  // 0. how fast the CLI answers, as a user starts it
  const start = cliStart(runs);
  rows.push(...start.rows);
  results["cli_start"] = start.results;
  // 1. the nightly run of one project for one day against the hand-written floor, per size
  for (const size of sizes) {
    const clients = CLIENTS[size] ?? 0;
    const engine = await warehouse(size, clients, 2);
    const project = await measure(() => run(engine, [graph]));
    // the floor keeps its rows in the warehouse, as a nightly job must; the in-memory time is shown too
    const floor = await measure(() =>
      engine.execute(`CREATE SCHEMA IF NOT EXISTS bench; CREATE OR REPLACE TABLE bench.floor AS ${floorQuery(DAY)}`, "floor"),
    );
    const floorInMemory = await measure(() => engine.execute(`CREATE OR REPLACE TEMP TABLE bench_floor AS ${floorQuery(DAY)}`, "floor"));
    const metricsOnly = await measure(() => {
      const write = daySteps(graph, DAY, { dialect: "duckdb", pretty: false }).steps.find((s) => s.kind === "write");
      return write?.kind === "write"
        ? engine.writePartition({ dataset: "bench", table: "metrics_only" }, DAY, write.select)
        : Promise.resolve();
    });
    results[`run_${size}`] = { clients, project, floor, floorInMemory, metricsOnly };
    rows.push({
      measure: `run / floor, ${size} (${clients} clients)`,
      value: fmt(ratio(project, floor)),
      target: size === "S" ? "-" : "<= 1.50",
      detail: `whole day ${fmt(project)} s (metrics step ${fmt(metricsOnly)} s) vs floor ${fmt(floor)} s (${fmt(floorInMemory)} s into memory)`,
    });
    // 2. scan sharing: ten projects on the same data source against one, at M
    if (size === (sizes.includes("M") ? "M" : sizes[0])) {
      const ten = await measure(() => run(engine, copies(10)));
      const tenAlone = await measure(() => run(engine, copies(10), [DAY], false));
      results["ten_projects"] = { size, one: project, ten, tenWithoutSharing: tenAlone };
      rows.push({
        measure: `10 projects / 1 project, ${size}`,
        value: fmt(ratio(ten, project)),
        target: "<= 3.00",
        detail: `${fmt(ten)} s vs ${fmt(project)} s (without shared passes: ${fmt(tenAlone)} s, ${fmt(ratio(tenAlone, project))}x)`,
      });
    }
    if (size === "L") {
      const rss = process.resourceUsage().maxRSS / 1024;
      results["peak_rss_mb"] = rss;
      rows.push({
        measure: "peak RSS through L",
        value: `${rss.toFixed(0)} MB`,
        target: "-",
        detail: "this process: generation and runs included",
      });
    }
    await engine.close();
  }

  // 3. incremental cost: day 60 against day 1 of the same project
  {
    const engine = await warehouse("history", 3_000, 60);
    const first = new Date(Date.parse(DAY) - 59 * 86_400_000).toISOString().slice(0, 10);
    const all = Array.from({ length: 60 }, (_, i) => new Date(Date.parse(first) + i * 86_400_000).toISOString().slice(0, 10));
    const backfill = await timed(() => run(engine, [graph], all));
    const day1 = await measure(() => run(engine, [graph], [first]));
    const day60 = await measure(() => run(engine, [graph], [DAY]));
    results["history"] = { backfill, day1, day60 };
    rows.push({
      measure: "day 60 / day 1",
      value: fmt(ratio(day60, day1)),
      target: "<= 1.20",
      detail: `${fmt(day60)} s vs ${fmt(day1)} s (60-day backfill ${fmt(backfill)} s)`,
    });
    await engine.close();
  }

  // 4. the whole corpus: import, resolve, and compile every project for both dialects
  {
    const corpus = resolve(ROOT, "../shared/corpus/metric-hub");
    // inside the repository, so the imported modules' `import "opmon"` resolves to this package
    mkdirSync(join(ROOT, ".opmon"), { recursive: true });
    const out = mkdtempSync(join(ROOT, ".opmon", "bench-corpus-"));
    let modules = 0;
    const importing = await timed(async () => {
      const result = await importToml(corpus);
      modules = result.modules.length;
      mkdirSync(out, { recursive: true });
      writeModules(out, result.modules);
    });
    let graphs: ProjectGraph[] = [];
    const resolving = await timed(async () => {
      graphs = (await resolveConfigDir(out)).projects.flatMap((p) => (p.graph && !p.graph.skip ? [p.graph] : []));
    });
    let queries = 0;
    const compile = (pretty: boolean) =>
      measure(async () => {
        queries = 0;
        for (const g of graphs)
          for (const dialect of ["bigquery", "duckdb"] as const) queries += planDay(g, g.startDate ?? DAY, { dialect, pretty }).length;
      });
    const compiling = await compile(true);
    // what a DuckDB run plans: the same SQL without the formatter's layout
    const compilingCompact = await compile(false);
    rmSync(out, { recursive: true, force: true });
    results["corpus"] = { modules, projects: graphs.length, queries, importing, resolving, compiling, compilingCompact };
    rows.push({
      measure: "corpus compile / resolve",
      value: fmt(ratio(compiling, resolving)),
      target: "-",
      detail: `${modules} modules imported in ${fmt(importing)} s, ${graphs.length} projects resolved in ${fmt(resolving)} s, ${queries} queries (2 dialects) in ${fmt(compiling)} s (${fmt((compiling / Math.max(1, queries)) * 1000)} ms each; ${fmt(compilingCompact)} s without layout)`,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const widths = (["measure", "value", "target"] as const).map((k) => Math.max(k.length, ...rows.map((r) => r[k].length)));
const line = (r: (typeof rows)[number]) =>
  [r.measure.padEnd(widths[0] ?? 0), r.value.padStart(widths[1] ?? 0), r.target.padEnd(widths[2] ?? 0), r.detail].join("  ");
console.log(line({ measure: "measure", value: "value", target: "target", detail: "detail" }));
for (const r of rows) console.log(line(r));
mkdirSync(join(ROOT, ".opmon"), { recursive: true });
writeFileSync(join(ROOT, ".opmon/bench.json"), `${JSON.stringify({ ...results, table: rows }, null, 2)}\n`);
console.log("JSON: .opmon/bench.json");
