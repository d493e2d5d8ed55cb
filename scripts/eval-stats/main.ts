// `npm run eval:stats`: how well opmon's statistics do, measured through its own SQL on DuckDB over
// simulated data with known truths, checked against the goals of issue 14. Seeds are fixed, so two runs
// print the same numbers. Exits 1 when a goal is missed; the last line says which.
import { demo, demoGraphs } from "../../test/sql/demo-graphs.js";
import { harnessGraph } from "../../test/stats/statistic-harness.js";
import { alertResults, alertRules, alertTable } from "./alert-table.js";
import { comparisonTable, coverageCells, coverageTable } from "./coverage-table.js";
import { DISTRIBUTIONS } from "./distributions.js";
import { formatTable, type Table } from "./table.js";

const HELP = `npm run eval:stats [-- options]

Coverage of opmon's 95% intervals by statistic, clients per branch and distribution, computed by the
project's own statistic SQL on DuckDB over simulated data sets, and the goals of issue 14.

Options:
  --quick            200 data sets per cell instead of 1000 (about ±3 points instead of ±1.4), and
                     10 simulated quarters per alert scenario instead of 30
  --replicates <k>   data sets per cell
  --sizes <list>     clients per branch, comma-separated (default 5,50,300)
  --only <table>     build only this table (coverage or alerts)
  --rules <text>     alert rules whose name or settings contain this text only (the default rule's
                     goals are checked only when it is among them)
  --cells <list>     coverage: only distributions or statistics whose names contain one of these
                     (comma-separated, e.g. "σ=1.5,total_ratio"); a quick way to iterate on a few cells
  --json             print the tables and goals as JSON instead of text
  --help             this text

Exit status: 0 when every goal is met, 1 when one is missed (the last line names it), 2 on bad options.`;

interface Options {
  readonly replicates: number;
  readonly sizes: readonly number[];
  readonly json: boolean;
  readonly quick: boolean;
  readonly only: string | undefined;
  readonly rules: string | undefined;
  readonly cells: readonly string[];
}

function parseOptions(args: readonly string[]): Options | string {
  let replicates = 1000;
  let sizes = [5, 50, 300];
  let json = false;
  let quick = false;
  let only: string | undefined;
  let rules: string | undefined;
  let cells: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => args[++i] ?? "";
    if (arg === "--help" || arg === "-h") return HELP;
    else if (arg === "--json") json = true;
    else if (arg === "--quick") {
      replicates = 200;
      quick = true;
    } else if (arg === "--only") only = value();
    else if (arg === "--rules") rules = value();
    else if (arg === "--replicates") replicates = Number(value());
    else if (arg === "--sizes") sizes = value().split(",").map(Number);
    else if (arg === "--cells") cells = value().split(",").filter(Boolean);
    else throw new UsageError(`unknown option ${arg}`);
  }
  if (!Number.isInteger(replicates) || replicates < 2) throw new UsageError("--replicates needs an integer of at least 2");
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new UsageError("--sizes needs positive integers");
  if (only !== undefined && !["coverage", "alerts"].includes(only)) throw new UsageError("--only needs coverage or alerts");
  if (rules !== undefined && !alertRules().some((r) => `${r.name} ${r.settings}`.includes(rules)))
    throw new UsageError(`--rules ${rules}: no alert rule's name or settings contain it`);
  return { replicates, sizes, json, quick, only, rules, cells };
}

class UsageError extends Error {}

/** The tables of the evaluation, in print order; the alert table plugs in here (a builder returning its tables with their goals). */
const TABLES: readonly {
  readonly name: string;
  readonly build: (options: Options, log: (line: string) => void) => Promise<readonly Table[]>;
}[] = [
  {
    name: "coverage",
    build: async (options, log) => {
      const graph = harnessGraph(demo(await demoGraphs(), "gc-tuning-experiment"));
      const cells = await coverageCells({
        graph,
        distributions: DISTRIBUTIONS,
        sizes: options.sizes,
        replicates: options.replicates,
        percentiles: [50, 90, 95, 99],
        cells: options.cells,
        log,
      });
      return [
        { ...coverageTable(cells, options.replicates), data: cells.filter((c) => !c.comparison) },
        { ...comparisonTable(cells, options.replicates), data: cells.filter((c) => c.comparison) },
      ];
    },
  },
  {
    name: "alerts",
    build: async (options, log) => {
      const base = demo(await demoGraphs(), "gc-tuning-experiment");
      const settings = { base, nullQuarters: options.quick ? 10 : 30, stepQuarters: options.quick ? 10 : 30, clients: 300, log };
      const rules = alertRules().filter((r) => !options.rules || `${r.name} ${r.settings}`.includes(options.rules));
      return [alertTable(await alertResults(settings, rules), settings)];
    },
  },
];

async function main(): Promise<number> {
  let options: Options;
  try {
    const parsed = parseOptions(process.argv.slice(2));
    if (typeof parsed === "string") {
      console.log(parsed);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`eval:stats: ${error.message}\n\n${HELP}`);
    return 2;
  }
  const started = performance.now();
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const tables: Table[] = [];
  for (const t of TABLES) if (!options.only || options.only === t.name) tables.push(...(await t.build(options, log)));
  const seconds = (performance.now() - started) / 1000;
  const goals = tables.flatMap((t) => t.goals.map((g) => ({ table: t.name, ...g })));
  const missed = goals.filter((g) => !g.passed);
  if (options.json) {
    console.log(JSON.stringify({ replicates: options.replicates, sizes: options.sizes, seconds, tables, goals }, null, 2));
  } else {
    for (const t of tables) console.log(`${formatTable(t)}\n`);
    console.log("Goals:");
    for (const g of goals) console.log(`  ${g.passed ? "met   " : "MISSED"} ${g.name}: ${g.detail}`);
    console.log(`\nRun time ${seconds.toFixed(0)} s (${options.replicates} data sets per cell).`);
  }
  // the last line says which goals were missed (on stderr with --json, so that stdout stays one JSON document)
  const verdict = missed.length ? `eval:stats: goals missed: ${missed.map((g) => g.name).join(" | ")}` : "eval:stats: every goal met";
  if (options.json) console.error(verdict);
  else console.log(verdict);
  return missed.length ? 1 : 0;
}

process.exitCode = await main();
