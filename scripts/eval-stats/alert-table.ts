import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import type { GraphAlert, GraphProbe, GraphStatistic, ProjectGraph } from "../../src/graph/project-graph.js";
import { AVG_DIFF_DEFAULTS, CHANGE_POINT_DEFAULTS } from "../../src/dsl/alert.js";
import { alertsQuery } from "../../src/sql/alerts-query.js";
import { duckdbMacroStatements } from "../../src/sql/duckdb-macros.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { col, fromSql, select } from "../../src/sql/sql-node.js";
import { comparisonValues, COMPARISONS } from "../../src/sql/views.js";
import { harnessGraph, loadClients, type SimClient } from "../../test/stats/statistic-harness.js";
import { lognormal, multiSampleHistograms, type HistogramDistribution, type ScalarDistribution } from "./distributions.js";
import { sampler, type Sampler } from "./sampler.js";
import { evalStatisticRows } from "./statistic-rows.js";
import type { Goal, Table } from "./table.js";

// The alert table: how often each alert rule fires on a monitored project where nothing changes, and how
// soon it finds a real step. Statistic rows are drawn from a pool the project's own statistics SQL
// computed over simulated clients (so noise and interval widths are the project's), scaled to each
// series' level with weekly seasonality; comparison rows come from the views' SQL; the alerts are the
// project's own SQL, run on DuckDB day by day.

/** What to simulate. */
export interface AlertTableOptions {
  /** A resolved project to borrow settings from (reference branch, confidence level). */
  readonly base: ProjectGraph;
  /** Quarters without any change, for false alerts. */
  readonly nullQuarters: number;
  /** Quarters per step scenario, for detection. */
  readonly stepQuarters: number;
  /** Expected clients per branch, per OS and day. */
  readonly clients: number;
  readonly log?: (line: string) => void;
}

/** A rule as the table lists it: one or more alerts of the project (names `<rule>__<i>`). */
export interface AlertRule {
  readonly name: string;
  /** Where its settings come from. */
  readonly settings: string;
  readonly alerts: readonly Omit<GraphAlert, "name">[];
  /** The rule new projects get: the goals are checked on it. */
  readonly isDefault?: boolean;
}

/** A step in the treatment branch of one statistic, on every OS. */
interface StepScenario {
  readonly label: string;
  readonly metric: string;
  readonly statistic: "percentile" | "mean";
  readonly parameter: number | null;
  readonly size: number;
  /** The goal's delay in days (the step's day counts as day 1). */
  readonly within: number;
  /** The least share of quarters that must find the step within `within` days (issue 14 sets goals on p90 steps only). */
  readonly goal?: number;
}

const WARM_UP = 30;
const QUARTER = 90;
/** Days a step scenario evaluates from the step on. */
const STEP_DAYS = 7;
const PERCENTILES = [50, 90, 99] as const;
const OS = [
  ["Windows", 1],
  ["Linux", 0.9],
  ["Darwin", 0.8],
] as const;
const BRANCHES = ["control", "treatment"] as const;
/** Weekly pattern, Monday first: timings rise at the weekend (other hardware, other use). */
const WEEKLY = [0, -0.3, -0.4, -0.3, 0, 0.7, 1] as const;
/** Day-to-day drift of the population that both branches share (releases, news): log-sd. */
const SHARED_DAILY_SD = 0.01;

interface SimProbe {
  readonly name: string;
  readonly level: number;
  /** Amplitude of the weekly pattern. */
  readonly weekly: number;
  readonly distribution: HistogramDistribution | ScalarDistribution;
}

/** The 66-series project: 3 histograms × 3 percentiles + 2 means, × 3 OS values × 2 branches. */
const PROBES: readonly SimProbe[] = [
  { name: "gc_ms", level: 40, weekly: 0.06, distribution: multiSampleHistograms() },
  { name: "paint_ms", level: 300, weekly: 0.04, distribution: multiSampleHistograms() },
  { name: "input_ms", level: 15, weekly: 0.08, distribution: multiSampleHistograms() },
  { name: "memory_mb", level: 900, weekly: 0.03, distribution: lognormal(1) },
  { name: "startup_ms", level: 1200, weekly: 0.05, distribution: lognormal(1.5) },
];

export const STEPS: readonly StepScenario[] = [
  { label: "p90 +5%", metric: "gc_ms", statistic: "percentile", parameter: 90, size: 0.05, within: 7, goal: 0.5 },
  { label: "p90 +10%", metric: "gc_ms", statistic: "percentile", parameter: 90, size: 0.1, within: 3, goal: 0.8 },
  // informative: a lognormal (σ = 1) mean at 300 clients has a 7.6% standard error a day, so a 5-10% step
  // is under 1.5 standard errors of a day's relative difference on each OS
  { label: "mean +5%", metric: "memory_mb", statistic: "mean", parameter: null, size: 0.05, within: 7 },
  { label: "mean +10%", metric: "memory_mb", statistic: "mean", parameter: null, size: 0.1, within: 3 },
];

const histogramProbes = PROBES.filter((p) => p.distribution.kind === "histogram").map((p) => p.name);
const allProbes = PROBES.map((p) => p.name);

/** Each probe's peak truth over OS values and weekdays, for threshold bounds. */
const peak = (p: SimProbe, ratio = 1) => 1.2 * p.level * ratio * (1 + p.weekly * Math.max(...WEEKLY));

/**
 * The rules compared: the existing types as the corpus (metric-hub's opmon configs) and the demo
 * projects set them, on every probe of the project.
 */
export function alertRules(): AlertRule[] {
  const histogram = multiSampleHistograms();
  return [
    {
      name: "threshold",
      settings: "max 20% above the peak weekly level",
      alerts: PROBES.map((p) =>
        p.distribution.kind === "histogram"
          ? {
              type: "threshold",
              probes: [p.name],
              parameters: [...PERCENTILES],
              max: PERCENTILES.map((q) => peak(p, histogram.quantile(q / 100) / histogram.quantile(0.5))),
            }
          : { type: "threshold", probes: [p.name], statistics: ["mean"], max: [peak(p)] },
      ),
    },
    { name: "ci_overlap", settings: "demo (tab-unloading)", alerts: [{ type: "ci_overlap", probes: allProbes }] },
    {
      name: "avg_diff",
      settings: "corpus: window 7, 25%, no noise term",
      alerts: [{ type: "avg_diff", probes: allProbes, windowSize: 7, maxRelativeChange: 0.25, noiseThreshold: 0 }],
    },
    {
      name: "avg_diff",
      settings: `corpus: window 7, 25%, noise ${AVG_DIFF_DEFAULTS.noiseThreshold}`,
      alerts: [{ type: "avg_diff", probes: allProbes, windowSize: 7, maxRelativeChange: 0.25 }],
    },
    {
      name: "avg_diff",
      settings: "demo: window 3, 10%, for 2, no noise term",
      alerts: [{ type: "avg_diff", probes: allProbes, windowSize: 3, maxRelativeChange: 0.1, for: 2, noiseThreshold: 0 }],
    },
    {
      name: "avg_diff",
      settings: `demo: window 3, 10%, for 2, noise ${AVG_DIFF_DEFAULTS.noiseThreshold}`,
      alerts: [{ type: "avg_diff", probes: allProbes, windowSize: 3, maxRelativeChange: 0.1, for: 2 }],
    },
    {
      name: "change_point",
      settings: "Perfherder: 12/12, t 7, 2%",
      alerts: [{ type: "change_point", probes: allProbes, backWindow: 12, foreWindow: 12, tThreshold: 7, minRelativeChange: 0.02 }],
    },
    {
      name: "change_point",
      settings: "old demo: 5/3, t 7, 2%",
      alerts: [{ type: "change_point", probes: allProbes, backWindow: 5, foreWindow: 3, tThreshold: 7, minRelativeChange: 0.02 }],
    },
    {
      name: "change_point",
      settings: `defaults: ${CHANGE_POINT_DEFAULTS.backWindow}/${CHANGE_POINT_DEFAULTS.foreWindow}, noise ${CHANGE_POINT_DEFAULTS.noiseThreshold}, 2%`,
      alerts: [{ type: "change_point", probes: allProbes }],
    },
    {
      name: "branch_difference",
      settings: "defaults: BH 2%, 3-day pool, 2%",
      alerts: [{ type: "branch_difference", probes: allProbes }],
      isDefault: true,
    },
  ];
}

/** One statistic row of the pool, relative to the true value (so it scales to any level). */
interface Relative {
  readonly point: number;
  readonly lower: number | null;
  readonly upper: number | null;
}
/** One branch-day of one probe: its statistics by label (`p50`, `p90`, `p99`, `mean`). */
type Replicate = ReadonlyMap<string, Relative>;

const labelOf = (statistic: string, parameter: string | null) => (statistic === "percentile" ? `p${Number(parameter)}` : statistic);

/**
 * Branch-days of one distribution as the project's statistics SQL sees them: `sims` data sets of
 * Poisson(`clients`) clients per branch, each row divided by its true value.
 */
async function replicatePool(graph: ProjectGraph, distribution: SimProbe["distribution"], clients: number, sims: number, seed: number): Promise<Replicate[]> {
  const s = sampler(seed);
  const data: SimClient[] = [];
  for (let sim = 0; sim < sims; sim++) {
    for (const branch of BRANCHES) {
      const size = s.poisson(clients);
      for (let c = 0; c < size; c++) {
        data.push(
          distribution.kind === "histogram"
            ? { sim, branch, client: `c${c}`, h: distribution.draw(s) }
            : { sim, branch, client: `c${c}`, x: distribution.draw(s), y: null },
        );
      }
    }
  }
  const connection = await loadClients(data);
  for (const sql of duckdbMacroStatements()) await connection.run(sql);
  const statistic: GraphStatistic =
    distribution.kind === "histogram" ? { name: "percentile", percentiles: [...PERCENTILES], removeNulls: false } : { name: "mean" };
  const rows = await evalStatisticRows(connection, graph, distribution.kind === "histogram" ? "h" : "x", statistic);
  connection.closeSync();
  const truth = (label: string) =>
    label === "mean" ? (distribution as ScalarDistribution).mean : distribution.quantile!(Number(label.slice(1)) / 100);
  const byReplicate = new Map<string, Map<string, Relative>>();
  for (const r of rows) {
    if (r.point === null) continue;
    const label = labelOf(statistic.name, r.parameter);
    const t = truth(label);
    const key = `${r.sim}/${r.branch}`;
    const replicate = byReplicate.get(key) ?? new Map<string, Relative>();
    byReplicate.set(key, replicate);
    replicate.set(label, { point: r.point / t, lower: r.lower === null ? null : r.lower / t, upper: r.upper === null ? null : r.upper / t });
  }
  return [...byReplicate.values()];
}

const day = (i: number) => new Date(Date.UTC(2026, 0, 5) + i * 86_400_000).toISOString().slice(0, 10);
const STATISTICS = ["operational_monitoring"];

/** A quarter's step: which series step, by how much, from which day. */
interface Step {
  readonly scenario: StepScenario;
  readonly day: number;
}

/**
 * Writes a quarter's statistics view rows (branches' own rows, then the views' comparison rows) into
 * table `table`: `WARM_UP + QUARTER` days, each series a pooled replicate scaled to its level, its OS,
 * its weekday and the shared drift of the day.
 */
async function writeQuarter(
  connection: DuckDBConnection,
  table: string,
  pools: ReadonlyMap<string, readonly Replicate[]>,
  s: Sampler,
  step: Step | undefined,
): Promise<void> {
  const name = `${STATISTICS[0]}.${table}`;
  await connection.run(`CREATE TABLE ${name} (submission_date DATE, submission_timestamp TIMESTAMP, build_id VARCHAR, os VARCHAR,
    branch VARCHAR, metric VARCHAR, statistic VARCHAR, point DOUBLE, lower DOUBLE, upper DOUBLE, parameter DOUBLE, comparison VARCHAR)`);
  const a = await connection.createAppender(table, STATISTICS[0]);
  const histogram = multiSampleHistograms();
  for (let i = 0; i < WARM_UP + QUARTER; i++) {
    const date = day(i);
    // 2026-01-05 is a Monday
    const weekday = WEEKLY[i % 7]!;
    for (const probe of PROBES) {
      const pool = pools.get(probe.name)!;
      for (const [os, osLevel] of OS) {
        const shared = Math.exp(SHARED_DAILY_SD * s.normal());
        const level = probe.level * osLevel * (1 + probe.weekly * weekday) * shared;
        for (const branch of BRANCHES) {
          const replicate = pool[Math.floor(s.uniform() * pool.length)]!;
          for (const [label, r] of replicate) {
            const parameter = label === "mean" ? null : Number(label.slice(1));
            const ratio = parameter === null ? 1 : histogram.quantile(parameter / 100) / histogram.quantile(0.5);
            const stepped =
              step &&
              branch === "treatment" &&
              i >= step.day &&
              probe.name === step.scenario.metric &&
              parameter === step.scenario.parameter;
            const truth = level * ratio * (stepped ? 1 + step.scenario.size : 1);
            a.appendVarchar(date);
            a.appendVarchar(`${date} 00:00:00`);
            a.appendVarchar(date.replaceAll("-", ""));
            a.appendVarchar(os);
            a.appendVarchar(branch);
            a.appendVarchar(probe.name);
            a.appendVarchar(parameter === null ? "mean" : "percentile");
            a.appendDouble(r.point * truth);
            for (const v of [r.lower === null ? null : r.lower * truth, r.upper === null ? null : r.upper * truth, parameter])
              if (v === null) a.appendNull();
              else a.appendDouble(v);
            a.appendNull();
            a.endRow();
          }
        }
      }
    }
  }
  a.closeSync();
  for (const kind of COMPARISONS) {
    const v = comparisonValues(kind);
    await connection.run(`INSERT INTO ${name}
      SELECT v.submission_date, v.submission_timestamp, v.build_id, v.os, v.branch, v.metric, v.statistic,
        ${v.point}, ${v.lower}, ${v.upper}, v.parameter, '${kind}'
      FROM ${name} v JOIN ${name} ref ON ref.branch = 'control' AND v.branch != ref.branch
        AND v.submission_date = ref.submission_date AND v.os = ref.os AND v.metric = ref.metric AND v.statistic = ref.statistic
        AND v.parameter IS NOT DISTINCT FROM ref.parameter
      WHERE v.comparison IS NULL AND ref.comparison IS NULL`);
  }
}

/** An alert the project's SQL raised. */
interface Fired {
  readonly day: number;
  readonly rule: number;
  readonly branch: string;
  readonly metric: string;
  readonly statistic: string;
  readonly parameter: number | null;
}

/** Runs the project's alerts SQL for days `from` to `to` (inclusive) of a quarter's table. */
async function firedAlerts(connection: DuckDBConnection, graph: ProjectGraph, table: string, from: number, to: number): Promise<Fired[]> {
  const fired: Fired[] = [];
  // one query for all the days: the same rows as one query per day, the series having no gaps
  const ctx = sqlContext(graph, day(to), { dialect: "duckdb", pretty: false });
  // one table holds both, as the views did: a branch's own rows and the comparisons
  const rows = (where: string) => select({ columns: [col("*")], from: fromSql(`${STATISTICS[0]}.${table}`), where: [where] });
  const sources = { statistics: rows("comparison IS NULL"), comparisons: rows("comparison IS NOT NULL") };
  const reader = await connection.runAndReadAll(printQuery(alertsQuery(ctx, sources, { days: to - from + 1 }), ctx.d));
  const first = Date.parse(day(0));
  {
    for (const row of reader.getRowObjectsJson()) {
      fired.push({
        day: Math.round((Date.parse(String(row["submission_date"])) - first) / 86_400_000),
        rule: Number(String(row["alert"]).split("__")[1]),
        branch: String(row["branch"]),
        metric: String(row["metric"]),
        statistic: String(row["statistic"]),
        parameter: row["parameter"] === null ? null : Number(row["parameter"]),
      });
    }
  }
  return fired;
}

/** The graph the alerts run on: the simulated probes (timings: smaller is better), OS as a dimension, every rule's alerts. */
function alertGraph(base: ProjectGraph, rules: readonly AlertRule[]): ProjectGraph {
  const probes: GraphProbe[] = PROBES.map((p) => ({
    name: p.name,
    type: p.distribution.kind === "histogram" ? "histogram" : "scalar",
    dataSource: "main",
    select: p.name,
    statistics: [],
    biggerIsBetter: false,
  }));
  return {
    ...base,
    xaxis: "submission_date",
    referenceBranch: "control",
    probes,
    population: { ...base.population, dimensions: [{ name: "os", select: "os" }] },
    alerts: rules.flatMap((rule, r) => rule.alerts.map((a, i) => ({ ...a, name: `${rule.name}_${i}__${r}` }) as GraphAlert)),
  };
}

/** What the table measured for one rule. */
export interface RuleResult {
  readonly rule: string;
  readonly settings: string;
  readonly isDefault: boolean;
  /** Alerts per null quarter (each alert row of each day counts). */
  readonly falsePerQuarter: number;
  /** Null quarters with more than one alert. */
  readonly noisyQuarters: number;
  /** Per scenario: the delay (days, the step's day being 1) of the first alert on a stepped series, or null. */
  readonly delays: Readonly<Record<string, readonly (number | null)[]>>;
}

/**
 * Simulates the quarters and runs every rule's alerts over them.
 *
 * @example const results = await alertResults({ base, nullQuarters: 20, stepQuarters: 20, clients: 300 }, alertRules());
 */
export async function alertResults(options: AlertTableOptions, rules: readonly AlertRule[]): Promise<RuleResult[]> {
  const log = options.log ?? (() => {});
  const statisticsGraph = harnessGraph(options.base);
  const pools = new Map<string, Replicate[]>();
  for (const [i, probe] of PROBES.entries()) {
    pools.set(probe.name, await replicatePool(statisticsGraph, probe.distribution, options.clients, 100, 4099 + i));
  }
  log(`alerts: replicate pools ready (${[...pools.values()].map((p) => p.length).join(", ")} branch-days)`);
  const graph = alertGraph(options.base, rules);
  const instance = await DuckDBInstance.create(":memory:");
  const quarters: { table: string; step: Step | undefined; seed: number }[] = [];
  for (let q = 0; q < options.nullQuarters; q++) quarters.push({ table: `null_${q}`, step: undefined, seed: 1_000 + q });
  for (const [k, scenario] of STEPS.entries()) {
    for (let q = 0; q < options.stepQuarters; q++) {
      const s = sampler(50_000 + 1_000 * k + q);
      // the step lands anywhere after two weeks of the quarter, at least a week before its end
      const at = WARM_UP + 14 + Math.floor(s.uniform() * (QUARTER - 14 - STEP_DAYS));
      quarters.push({ table: `step_${k}_${q}`, step: { scenario, day: at }, seed: 2_000 + 100 * k + q });
    }
  }
  const results = rules.map(() => ({ fired: [] as number[], delays: new Map<string, (number | null)[]>() }));
  // the schema first: two lanes creating it at once conflict
  const setup = await instance.connect();
  await setup.run(`CREATE SCHEMA IF NOT EXISTS ${STATISTICS[0]}`);
  setup.closeSync();
  // two lanes, one per core
  let next = 0;
  const lane = async () => {
    const connection = await instance.connect();
    while (next < quarters.length) {
      const quarter = quarters[next++]!;
      await writeQuarter(connection, quarter.table, pools, sampler(quarter.seed), quarter.step);
      if (!quarter.step) {
        const fired = await firedAlerts(connection, graph, quarter.table, WARM_UP, WARM_UP + QUARTER - 1);
        rules.forEach((_, r) => results[r]!.fired.push(fired.filter((f) => f.rule === r).length));
      } else {
        const { scenario, day: at } = quarter.step;
        const fired = await firedAlerts(connection, graph, quarter.table, at, at + STEP_DAYS - 1);
        rules.forEach((_, r) => {
          const hits = fired.filter(
            (f) =>
              f.rule === r &&
              f.branch === "treatment" &&
              f.metric === scenario.metric &&
              f.statistic === scenario.statistic &&
              f.parameter === scenario.parameter,
          );
          const first = hits.length ? Math.min(...hits.map((f) => f.day)) - at + 1 : null;
          const list = results[r]!.delays.get(scenario.label) ?? [];
          results[r]!.delays.set(scenario.label, [...list, first]);
        });
      }
      await connection.run(`DROP TABLE ${STATISTICS[0]}.${quarter.table}`);
      if (next % 10 === 0) log(`alerts: ${next} of ${quarters.length} quarters`);
    }
    connection.closeSync();
  };
  await Promise.all([lane(), lane()]);
  return rules.map((rule, r) => ({
    rule: rule.name,
    settings: rule.settings,
    isDefault: rule.isDefault ?? false,
    falsePerQuarter: results[r]!.fired.reduce((a, b) => a + b, 0) / Math.max(1, options.nullQuarters),
    noisyQuarters: results[r]!.fired.filter((n) => n > 1).length,
    delays: Object.fromEntries(results[r]!.delays),
  }));
}

const found = (delays: readonly (number | null)[], within: number) => delays.filter((d) => d !== null && d <= within).length;

function median(values: readonly number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * The alert table and its goals: false alerts per quarter under the default rule, and the p90 and mean
 * steps found in time.
 *
 * @example formatTable(alertTable(await alertResults(options, alertRules()), options))
 */
export function alertTable(results: readonly RuleResult[], options: Pick<AlertTableOptions, "nullQuarters" | "stepQuarters" | "clients">): Table {
  const rows = results.map((r) => {
    const row: Record<string, string | number | null> = {
      rule: `${r.rule}${r.isDefault ? " *" : ""}`,
      settings: r.settings,
      false: r.falsePerQuarter.toFixed(2),
      noisy: `${r.noisyQuarters}/${options.nullQuarters}`,
    };
    for (const step of STEPS) {
      const delays = r.delays[step.label] ?? [];
      const d = median(delays.filter((x): x is number => x !== null));
      const late = step.within < STEP_DAYS ? `, ${found(delays, STEP_DAYS)} ≤${STEP_DAYS}d` : "";
      row[step.label] = `${found(delays, step.within)}/${delays.length} (${d === null ? "-" : `${d}d`}${late})`;
    }
    return row;
  });
  const goals: Goal[] = [];
  const chosen = results.find((r) => r.isDefault);
  // a run filtered to some rules (--rules) checks no goal of the default rule it left out
  if (chosen) {
    goals.push({
      name: "alerts: at most 1 false alert per project-quarter",
      passed: chosen.falsePerQuarter <= 1,
      detail: `${chosen.rule} (${chosen.settings}): ${chosen.falsePerQuarter.toFixed(2)} per quarter over ${options.nullQuarters} quarters`,
    });
    for (const step of STEPS) {
      if (step.goal === undefined) continue;
      const delays = chosen.delays[step.label] ?? [];
      const rate = delays.length ? found(delays, step.within) / delays.length : 0;
      goals.push({
        name: `alerts: ${step.label} found within ${step.within} days in ${Math.round(step.goal * 100)}%`,
        passed: rate >= step.goal,
        detail: `${chosen.rule}: ${found(delays, step.within)} of ${delays.length} quarters (${Math.round(rate * 100)}%)`,
      });
    }
  }
  return {
    name: "alerts",
    title: `Alerts: false alerts per 90-day quarter, and steps found (66 series, ${options.clients} clients per branch, OS and day)`,
    columns: [
      { key: "rule", label: "rule", align: "left" },
      { key: "settings", label: "settings", align: "left" },
      { key: "false", label: "false/quarter" },
      { key: "noisy", label: ">1 false" },
      ...STEPS.map((s) => ({ key: s.label, label: `${s.label} ≤${s.within}d` })),
    ],
    rows,
    notes: [
      `${options.nullQuarters} quarters without change; ${options.stepQuarters} quarters per step, the step in the treatment branch of one statistic on every OS.`,
      `Every alert row of every day counts as one alert. A step column: quarters that found it in time (median delay, the step's day = 1; for 3-day goals, also how many within ${STEP_DAYS} days).`,
      "Series: 3 histogram probes × p50/p90/p99 + 2 means, × 3 OS values × 2 branches; weekly seasonality 3-8%, shared daily drift 1%.",
      "Rows are drawn from the project's own statistics over simulated clients; comparison rows are the views' SQL; alerts are the project's SQL.",
      "* the default rule: the goals are checked on it (issue 14's: p90 steps; the mean steps are shown, with no goal).",
      "branch_difference fires on a series or on its pool across OS values (an alert row with a NULL os): either counts as finding the step.",
    ],
    goals,
    data: results,
  };
}
