// `npm run bench`: opmon's costs as ratios measured in one run on this machine (absolute times on shared
// machines are noise). Medians of several runs after a warm-up. Prints a table and writes JSON.
// BENCH_SIZES=S,M,L,XL picks sizes; BENCH_RUNS=n sets the runs per measurement. Warehouses of L and
// XL are generated once and kept in .opmon/bench-cache/ (delete it to regenerate). BENCH_SKIP=cli,ten,history,corpus,proof
// leaves sections out while iterating.
import { cpus } from "node:os";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { analyzeCorpus } from "./analyze-corpus.js";
import { benchRun, forgetDay } from "./bench-run.js";
import { formatTable, type BenchContext } from "./bench-table.js";
import { benchWarehouse } from "./bench-warehouse.js";
import { cliStart } from "./cli-start.js";
import { corpusCompile } from "./corpus-compile.js";
import { dayVsFloor } from "./day-vs-floor.js";
import { history } from "./history.js";
import { log, measure } from "./measure.js";
import { peakRssOfRun } from "./peak-rss.js";
import { scaleRows, type ScalePoint } from "./scale-curve.js";
import { tenProjects } from "./ten-projects.js";

if (process.argv.includes("--help")) {
  process.stdout.write(`Usage: npm run bench

Prints opmon's costs as ratios measured in one run on this machine (medians after a warm-up) and
writes them to .opmon/bench.json. Environment:
  BENCH_SIZES=S,M,L,XL   the warehouse sizes to run (5,000 to 1,000,000 clients; L and XL are
                         generated once and kept in .opmon/bench-cache/)
  BENCH_RUNS=3           runs per measurement (ratios measured in turns: eight
                         times as many rounds)
  BENCH_SKIP=cli,ten,history,corpus,proof
                         sections to leave out while iterating
`);
  process.exit(0);
}

const ROOT = resolve(import.meta.dirname, "../..");
const CLIENTS: Record<string, number> = { S: 5_000, M: 40_000, L: 200_000, XL: 1_000_000 };
const sizes = (process.env["BENCH_SIZES"] ?? "S,M,L,XL").split(",").filter((s) => s in CLIENTS);
const skip = new Set((process.env["BENCH_SKIP"] ?? "").split(","));
const cache = join(ROOT, ".opmon/bench-cache");
const work = mkdtempSync(join(tmpdir(), "opmon-bench-"));

const { projects } = await resolveConfigDir(ROOT);
const graph = projects.find((p) => p.slug === "tab-unloading-rollout")?.graph;
if (!graph) throw new Error("the demo project tab-unloading-rollout does not resolve");
const ctx: BenchContext = {
  runs: Number(process.env["BENCH_RUNS"] ?? 3),
  rounds: 8 * Number(process.env["BENCH_RUNS"] ?? 3),
  graph,
  rows: [],
  results: { machine: { cpus: cpus().length, node: process.version } },
};
ctx.results["runs"] = ctx.runs;
ctx.results["rounds"] = ctx.rounds;

try {
  log(`opmon bench: ${ctx.runs} run(s) per measurement after a warm-up; working in a temporary directory`);
  // how fast the CLI answers, as a user starts it
  if (!skip.has("cli")) {
    const start = cliStart(ctx.runs);
    ctx.rows.push(...start.rows);
    ctx.results["cli_start"] = start.results;
  }
  const points: ScalePoint[] = [];
  for (const size of sizes) {
    const clients = CLIENTS[size] ?? 0;
    // XL holds its one day only: generating a second would take as long again
    const days = size === "XL" ? 1 : 2;
    const path = await benchWarehouse({ name: size, clients, days, dir: work, cache });
    // the run alone, before this process opens the warehouse
    const child = size === "XL" ? undefined : await peakRssOfRun(path, graph.slug);
    const engine = await DuckDbEngine.open(path);
    try {
      // at XL only the curve's point: the floors' ratios are the smaller sizes'
      const project =
        size === "XL" ? await measure(1, () => benchRun(engine, [graph]), () => forgetDay(engine, [graph])) : (await dayVsFloor(ctx, engine, size, clients)).project;
      points.push({ size, clients, seconds: project, ...(child ? { peakMb: child.peakMb } : {}) });
      if (!skip.has("ten") && size === (sizes.includes("M") ? "M" : sizes[0])) await tenProjects(ctx, engine, size, project);
    } finally {
      await engine.close();
      rmSync(path, { force: true });
      rmSync(`${path}.tmp`, { recursive: true, force: true });
    }
  }
  scaleRows(ctx, points);
  if (!skip.has("history")) await history(ctx, work, cache);
  if (!skip.has("corpus")) await corpusCompile(ctx);
  if (!skip.has("proof")) await analyzeCorpus(ctx);
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log(formatTable(ctx.rows));
mkdirSync(join(ROOT, ".opmon"), { recursive: true });
writeFileSync(join(ROOT, ".opmon/bench.json"), `${JSON.stringify({ ...ctx.results, table: ctx.rows }, null, 2)}\n`);
console.log("JSON: .opmon/bench.json");
