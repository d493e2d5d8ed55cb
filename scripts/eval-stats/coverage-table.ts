import type { DuckDBConnection } from "@duckdb/node-api";
import type { GraphStatistic, ProjectGraph } from "../../src/graph/project-graph.js";
import { duckdbMacroStatements } from "../../src/sql/duckdb-macros.js";
import { loadClients, type SimClient } from "../../test/stats/statistic-harness.js";
import { drawDenominator, type Distribution } from "./distributions.js";
import { evalComparisonRows, evalStatisticRows, type EvalRow } from "./statistic-rows.js";
import { sampler } from "./sampler.js";
import type { Goal, Table } from "./table.js";
import { wilson } from "./wilson.js";
import { poissonCoverageFloor } from "./coverage-floor.js";
import { orderStatisticMinimum } from "../../src/stats/order-statistic-minimum.js";

/** What to simulate. */
export interface CoverageOptions {
  readonly graph: ProjectGraph;
  readonly distributions: readonly Distribution[];
  /** Expected clients per branch (each replicate draws its number of clients from Poisson(n)). */
  readonly sizes: readonly number[];
  /** Simulated data sets per cell (half per branch; both branches are independent replicates). */
  readonly replicates: number;
  readonly percentiles: readonly number[];
  /** Only distributions or statistics (count, sum, mean, percentile, total_ratio) whose names contain one of these; all when empty. */
  readonly cells?: readonly string[];
  readonly log?: (line: string) => void;
}

/** One cell of the coverage table: a statistic (and parameter) at one size of one distribution. */
export interface CoverageCell {
  readonly distribution: string;
  readonly statistic: string;
  readonly n: number;
  readonly truth: number;
  /** Replicates with a statistic row (a replicate without clients has none). */
  readonly rows: number;
  /** Rows whose interval holds the true value (a flagged row never does). */
  readonly covered: number;
  /** Rows marked `too_few_clients`. */
  readonly flagged: number;
  /** Unflagged rows with a NULL bound. */
  readonly missing: number;
  /** Rows with a bound clamped: to the data's smallest or largest value (percentiles) or a 0 floor. */
  readonly clamped: number;
  /** Rows with a zero-width interval. */
  readonly zeroWidth: number;
  /** A relative_difference row of the views (informative: no goal is checked on it). */
  readonly comparison: boolean;
  /** Mean of (upper − lower) / truth over rows with both bounds (for a comparison: mean width). */
  readonly relativeWidth: number | null;
  /**
   * The fewest clients with which the statistic can give an interval at all (scalar percentiles: the
   * order-statistic interval needs a rank beyond the estimate on both sides). Below it, the cell is
   * judged as a small one: no interval with too_few_clients is the right answer.
   */
  readonly minimumClients?: number;
  /**
   * Histogram percentiles: a row is flagged too_few_clients when its clients' samples are worth fewer
   * independent ones than bound the quantile (p99: 368), a decision the docs state; the cell is judged
   * on the intervals given, and the flagged share is shown.
   */
  readonly flaggedByDecision?: boolean;
  /** The least coverage any valid interval can have here, when the data are a discrete count (rare events); the goal's upper limit is at least this. */
  readonly coverageFloor?: number;
}

const BRANCHES = ["control", "treatment"] as const;

/** The smallest and largest value of a replicate's data (for histograms: the lowest and highest bucket's left edges). */
interface Extremes {
  min: number;
  max: number;
}

interface DataSet {
  readonly clients: SimClient[];
  readonly extremes: Map<string, Extremes>;
}

const replicateKey = (sim: number, branch: string) => `${sim}/${branch}`;

/** Clients per warehouse at most: the data sets of a cell are loaded in chunks, to bound memory. */
const CLIENTS_PER_CHUNK = 60_000;

/** A seed per data set, so a data set is the same whatever the number of data sets or the chunking. */
const simSeed = (seed: number, sim: number) => (Math.imul(seed, 0x9e3779b1) ^ Math.imul(sim + 1, 0x85ebca6b)) >>> 0;

/** Simulates sims `from` to `to` (each a data set of about `n` clients per branch); `ratio` draws total_ratio pairs. */
function simulate(distribution: Distribution, n: number, sims: readonly [number, number], seed: number, ratio: boolean): DataSet {
  const clients: SimClient[] = [];
  const extremes = new Map<string, Extremes>();
  for (let sim = sims[0]; sim < sims[1]; sim++) {
    const s = sampler(simSeed(seed, sim));
    for (const branch of BRANCHES) {
      const size = s.poisson(n);
      const e = { min: Infinity, max: -Infinity };
      for (let c = 0; c < size; c++) {
        const client = `c${c}`;
        if (distribution.kind === "histogram") {
          const h = distribution.draw(s);
          for (const bucket of h.keys()) {
            e.min = Math.min(e.min, bucket);
            e.max = Math.max(e.max, bucket);
          }
          clients.push({ sim, branch, client, h });
        } else if (ratio) {
          const y = drawDenominator(s);
          clients.push({ sim, branch, client, x: distribution.ratio.draw(s, y), y });
        } else {
          const x = distribution.draw(s);
          e.min = Math.min(e.min, x);
          e.max = Math.max(e.max, x);
          clients.push({ sim, branch, client, x, y: null });
        }
      }
      extremes.set(replicateKey(sim, branch), e);
    }
  }
  return { clients, extremes };
}

/** The harness's table plus the macro pack a project run installs, so statistics may call macros. */
async function warehouse(data: DataSet): Promise<DuckDBConnection> {
  const connection = await loadClients(data.clients);
  for (const sql of duckdbMacroStatements()) await connection.run(sql);
  return connection;
}

const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

/** Scores the rows of one statistic parameter against the true value (widths over `scale`). */
function score(
  base: Pick<CoverageCell, "distribution" | "statistic" | "n" | "truth" | "comparison">,
  rows: readonly EvalRow[],
  atEdge: (row: EvalRow) => boolean,
  scale: number,
): CoverageCell {
  let covered = 0;
  let flagged = 0;
  let missing = 0;
  let clamped = 0;
  let zeroWidth = 0;
  let widthSum = 0;
  let widths = 0;
  for (const r of rows) {
    if (r.tooFewClients) flagged++;
    else if (r.lower === null || r.upper === null) missing++;
    else if (r.lower <= base.truth && base.truth <= r.upper) covered++;
    if (atEdge(r)) clamped++;
    if (r.lower !== null && r.upper !== null) {
      if (near(r.lower, r.upper)) zeroWidth++;
      widthSum += (r.upper - r.lower) / scale;
      widths++;
    }
  }
  return { ...base, rows: rows.length, covered, flagged, missing, clamped, zeroWidth, relativeWidth: widths ? widthSum / widths : null };
}

/** One statistic row set to score: the rows, where their truth is, and what counts as clamped. */
interface Scored {
  readonly statistic: string;
  readonly truth: number;
  readonly rows: EvalRow[];
  readonly comparison: EvalRow[];
  readonly atEdge: (row: EvalRow) => boolean;
}

/**
 * Coverage of every statistic's 95% interval, by distribution and clients per branch: simulated data
 * sets loaded into DuckDB (the data set number a group key, one warehouse per chunk of data sets), the
 * project's own statistic SQL run over them, and each interval checked against the true value; and the
 * relative_difference rows the views derive (treatment against control, truth 0: both branches are
 * drawn from the same distribution).
 *
 * @example const cells = await coverageCells({ graph, distributions: DISTRIBUTIONS, sizes: [50], replicates: 100, percentiles: [50, 90] });
 */
export async function coverageCells(options: CoverageOptions): Promise<CoverageCell[]> {
  const cells: CoverageCell[] = [];
  const percentile: GraphStatistic = { name: "percentile", percentiles: [...options.percentiles], removeNulls: false };
  const sims = Math.ceil(options.replicates / BRANCHES.length);
  const only = options.cells ?? [];
  for (const [d, distribution] of options.distributions.entries()) {
    const wanted = (statistic: string) =>
      !only.length || only.some((c) => distribution.name.includes(c) || statistic.includes(c));
    if (!["count", "sum", "mean", "percentile", "total_ratio"].some(wanted)) continue;
    for (const n of options.sizes) {
      const started = performance.now();
      const seed = 7919 * (d + 1) + n;
      const scored = new Map<string, Scored>();
      const extremes = new Map<string, Extremes>();
      // a bound at the data's edge: the rank fell off the data (histograms: the lowest or highest bucket)
      const percentileEdge = (histogram: boolean) => (r: EvalRow) => {
        const e = extremes.get(replicateKey(r.sim, r.branch));
        if (!e) return false;
        const edge = (v: number | null) => v !== null && (histogram ? v <= e.min || v >= e.max : near(v, e.min) || near(v, e.max));
        return edge(r.lower) || edge(r.upper);
      };
      const floor = (r: EvalRow) => r.lower !== null && r.lower === 0 && (r.point ?? 0) > 0;
      const collect = async (
        connection: DuckDBConnection,
        probe: "x" | "h",
        statistic: GraphStatistic,
        truths: (parameter: string | null) => [string, number] | undefined,
        atEdge: (r: EvalRow) => boolean,
      ) => {
        const rows = await evalStatisticRows(connection, options.graph, probe, statistic);
        const comparison = await evalComparisonRows(connection, "relative_difference");
        for (const [list, into] of [
          [rows, "rows"],
          [comparison, "comparison"],
        ] as const) {
          for (const r of list) {
            const truth = truths(r.parameter);
            if (!truth) continue;
            const [label, value] = truth;
            const entry = scored.get(label) ?? { statistic: label, truth: value, rows: [], comparison: [], atEdge };
            scored.set(label, entry);
            entry[into].push(r);
          }
        }
      };
      const percentileTruths = (prefix: string, quantile: (p: number) => number) => (parameter: string | null) =>
        options.percentiles.includes(Number(parameter))
          ? ([`${prefix}p${parameter}`, quantile(Number(parameter) / 100)] as [string, number])
          : undefined;
      const chunk = Math.max(1, Math.floor(CLIENTS_PER_CHUNK / (BRANCHES.length * n)));
      for (let from = 0; from < sims; from += chunk) {
        const range = [from, Math.min(sims, from + chunk)] as const;
        const data = simulate(distribution, n, range, seed, false);
        for (const [k, v] of data.extremes) extremes.set(k, v);
        const connection = await warehouse(data);
        if (distribution.kind === "histogram") {
          if (wanted("percentile"))
            await collect(connection, "h", percentile, percentileTruths("histogram ", distribution.quantile), percentileEdge(true));
        } else {
          const moments: [GraphStatistic, number][] = [
            [{ name: "count" }, n],
            [{ name: "sum" }, n * distribution.mean],
            [{ name: "mean" }, distribution.mean],
          ];
          for (const [statistic, truth] of moments)
            if (wanted(statistic.name)) await collect(connection, "x", statistic, () => [statistic.name, truth], floor);
          if (distribution.quantile && wanted("percentile"))
            await collect(connection, "x", percentile, percentileTruths("", distribution.quantile), percentileEdge(false));
          if (wanted("total_ratio")) {
            const ratioConnection = await warehouse(simulate(distribution, n, range, seed + 104729, true));
            await collect(
              ratioConnection,
              "x",
              { name: "total_ratio", denominator: "y" },
              () => ["total_ratio", distribution.ratio.truth],
              floor,
            );
            ratioConnection.closeSync();
          }
        }
        connection.closeSync();
      }
      const entries = [...scored.values()];
      for (const e of entries) {
        const cell = score(
          { distribution: distribution.name, statistic: e.statistic, n, truth: e.truth, comparison: false },
          e.rows,
          e.atEdge,
          e.truth,
        );
        const rank = /^p(\d+)$/.exec(e.statistic);
        const rate = distribution.kind === "scalar" ? distribution.eventRate : undefined;
        cells.push({
          ...cell,
          ...(rank ? { minimumClients: orderStatisticMinimum(Number(rank[1]) / 100) } : {}),
          ...(distribution.kind === "histogram" ? { flaggedByDecision: true } : {}),
          ...(rate !== undefined && e.statistic !== "count" ? { coverageFloor: poissonCoverageFloor(rate * n) } : {}),
        });
      }
      for (const e of entries) {
        const base = { distribution: distribution.name, statistic: `rel. diff ${e.statistic}`, n, truth: 0, comparison: true };
        cells.push(score(base, e.comparison, () => false, 1));
      }
      options.log?.(`coverage: ${distribution.name}, n=${n}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  return cells;
}

export { orderStatisticMinimum };

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/** Coverage among all rows (a flagged row is a miss). */
export const coverageOf = (c: CoverageCell): number => (c.rows ? c.covered / c.rows : NaN);

/** Coverage among rows that give an interval (flagged rows left out). */
export const intervalCoverageOf = (c: CoverageCell): number => (c.rows - c.flagged ? c.covered / (c.rows - c.flagged) : NaN);

/** A cell with too few clients for a 93-97% goal: under 50, or under the statistic's minimum. */
const small = (c: CoverageCell) => c.n < 50 || c.n < (c.minimumClients ?? 0);

/**
 * The goal range of a cell: 93-97% from 50 clients (up to the discreteness floor where that is higher),
 * 90-99% of the intervals given below that.
 */
const goalRange = (c: CoverageCell): [number, number] => (small(c) ? [0.9, 0.99] : [0.93, Math.max(0.97, c.coverageFloor ?? 0)]);

/**
 * A cell's verdict: "ok" when its coverage is in the goal range (at n < 50, also when every row is
 * flagged too_few_clients), "ok~" when outside it by less than the simulation's noise (the range meets
 * the estimate's Wilson interval at z = 2), "MISS" otherwise.
 *
 * @example verdict(cell) // "MISS"
 */
export function verdict(c: CoverageCell): "ok" | "ok~" | "MISS" {
  const [lo, hi] = goalRange(c);
  const onGiven = small(c) || c.flaggedByDecision === true;
  const rows = onGiven ? c.rows - c.flagged : c.rows;
  if (onGiven && rows === 0 && c.flagged > 0) return "ok";
  if (rows === 0) return "MISS";
  const share = c.covered / rows;
  if (share >= lo && share <= hi) return "ok";
  const [wlo, whi] = wilson(c.covered, rows, 2);
  return whi >= lo && wlo <= hi ? "ok~" : "MISS";
}

/**
 * The coverage table with its goals: 93-97% for every statistic from 50 clients per branch; at fewer,
 * 90-99% of the intervals given, or none given and `too_few_clients` said.
 *
 * @example console.log(formatTable(coverageTable(cells, 400)));
 */
export function coverageTable(all: readonly CoverageCell[], replicates: number): Table {
  const unordered = all.filter((c) => !c.comparison);
  // by distribution, then statistic, in the order simulated, then size
  const firstSeen = (key: (c: CoverageCell) => string) => {
    const order = new Map<string, number>();
    for (const c of unordered) if (!order.has(key(c))) order.set(key(c), order.size);
    return (c: CoverageCell) => order.get(key(c))!;
  };
  const byDistribution = firstSeen((c) => c.distribution);
  const byStatistic = firstSeen((c) => `${c.distribution}/${c.statistic}`);
  const cells = [...unordered].sort((a, b) => byDistribution(a) - byDistribution(b) || byStatistic(a) - byStatistic(b) || a.n - b.n);
  const checked = cells;
  const rows = cells.map((c, i) => {
    const previous = cells[i - 1];
    const share = (k: number) => (c.rows ? percent(k / c.rows) : "");
    return {
      distribution: previous?.distribution === c.distribution ? "" : c.distribution,
      statistic: previous?.statistic === c.statistic && previous.distribution === c.distribution ? "" : c.statistic,
      n: c.n,
      coverage: c.rows ? percent(coverageOf(c)) : "",
      intervals: c.flagged ? percent(intervalCoverageOf(c)) : "",
      width: c.relativeWidth === null ? "" : c.relativeWidth.toFixed(3),
      missing: share(c.missing),
      flagged: share(c.flagged),
      clamped: share(c.clamped),
      zeroWidth: share(c.zeroWidth),
      rowsOf: c.rows,
      goal: verdict(c),
    };
  });
  const [lo, hi] = wilson(Math.round(0.95 * replicates), replicates, 1.96);
  const resolution = (100 * (hi - lo)) / 2;
  const misses = (few: boolean) => checked.filter((c) => small(c) === few && verdict(c) === "MISS");
  const describe = (c: CoverageCell) =>
    `${c.distribution} ${c.statistic} n=${c.n} ${percent(small(c) || c.flaggedByDecision ? intervalCoverageOf(c) : coverageOf(c))}`;
  const goal = (name: string, few: boolean): Goal => {
    const missed = misses(few);
    const total = checked.filter((c) => small(c) === few).length;
    return {
      name,
      passed: missed.length === 0,
      detail: missed.length ? `${missed.length} of ${total} cells missed: ${missed.map(describe).join("; ")}` : `all ${total} cells met it`,
    };
  };
  return {
    name: "coverage",
    title: `Coverage of 95% intervals (${replicates} simulated data sets per cell, project SQL on DuckDB)`,
    columns: [
      { key: "distribution", label: "distribution", align: "left" },
      { key: "statistic", label: "statistic", align: "left" },
      { key: "n", label: "n" },
      { key: "coverage", label: "coverage" },
      { key: "intervals", label: "of given" },
      { key: "width", label: "width/truth" },
      { key: "missing", label: "NULL bound" },
      { key: "flagged", label: "too_few" },
      { key: "clamped", label: "clamped" },
      { key: "zeroWidth", label: "0-width" },
      { key: "rowsOf", label: "rows" },
      { key: "goal", label: "goal", align: "left" },
    ],
    rows,
    notes: [
      `Resolution: a true 95% shows as 95 ± ${resolution.toFixed(1)} points (95% Wilson half-width at ${replicates} data sets).`,
      "n: expected clients per branch; each data set draws its clients from Poisson(n), so count's truth is n and sum's n·E[X].",
      "coverage: share of rows whose interval holds the true value (too_few_clients or a NULL bound counts as a miss); of given: among rows not flagged too_few_clients.",
      "width/truth: mean interval width over the true value. NULL bound, too_few, clamped, 0-width: shares of rows.",
      "clamped: percentiles, a bound at the data's smallest or largest value (histograms: the lowest or highest bucket); others, a lower bound floored at 0 under a positive estimate.",
      "rows: data sets with a row (one without clients has none). Truths: analytic (lognormal moments and quantiles; histogram quantiles of the continuous value, not of a bucket).",
      "Poisson 0.01: percentiles are not evaluated (every quantile up to p99 is 0). total_ratio: x = y·X (lognormal) or Poisson(0.01·y), y ~ U(0.2, 1.8).",
      "goal: 93-97% at n >= 50; at n < 50, 90-99% of the intervals given (or all flagged too_few_clients). ok~: outside the range by less than the simulation noise (the estimate's z=2 Wilson interval meets it).",
      "Histogram percentiles are judged on the intervals given: a row is flagged when its clients' samples are worth fewer independent samples (p(1 − p)/se²) than bound the quantile (p99: 368, as for scalars), no interval by decision (docs/differences-from-opmon.md); too_few shows how often.",
      `Scalar percentiles below their minimum clients (no rank bounds the quantile: p95 ${orderStatisticMinimum(0.95)}, p99 ${orderStatisticMinimum(0.99)}) are judged as n < 50: no interval, too_few_clients, is the answer there (docs/differences-from-opmon.md).`,
      "Rare events (Poisson 0.01): a day's total is Poisson(0.01·n), and no interval valid at every rate covers less than the discreteness floor (98.6% at 50 clients: k = 0, 1, 2 events must hold 0.5); the goal's upper limit is at least that floor.",
    ],
    goals: [
      goal("coverage 93-97% for every statistic at n >= 50", false),
      goal("at n = 5 (and percentiles below their minimum clients), coverage 90-99% or no interval with too_few_clients", true),
    ],
  };
}

/**
 * The relative_difference rows the views derive, treatment against control, both drawn from the same
 * distribution (truth 0): what a branch-difference alert would read. Shown, with no goal checked.
 *
 * @example console.log(formatTable(comparisonTable(cells, 1000)));
 */
export function comparisonTable(all: readonly CoverageCell[], replicates: number): Table {
  const base = coverageTable(
    all.filter((c) => c.comparison).map((c) => ({ ...c, comparison: false })),
    Math.ceil(replicates / BRANCHES.length),
  );
  return {
    ...base,
    name: "comparison",
    title: `Coverage of the views' relative_difference intervals (treatment vs control, truth 0; ${Math.ceil(replicates / BRANCHES.length)} pairs of data sets per cell)`,
    columns: base.columns.filter((c) => c.key !== "goal" && c.key !== "clamped"),
    notes: [
      "width/truth here: mean width of the relative difference's interval. NULL bound: the views give no relative interval when the reference's lower bound is not above 0.",
      "No goal is checked on these rows (issue 14 sets none); they show what a branch-difference alert would stand on.",
    ],
    goals: [],
  };
}
