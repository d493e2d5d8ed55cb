import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { coverageCells, coverageOf, coverageTable, orderStatisticMinimum, verdict, type CoverageCell } from "../../scripts/eval-stats/coverage-table.js";
import { poissonCoverageFloor } from "../../scripts/eval-stats/coverage-floor.js";
import { alertTable, type RuleResult } from "../../scripts/eval-stats/alert-table.js";
import { lognormal, multiSampleHistograms } from "../../scripts/eval-stats/distributions.js";
import { bucketOf, exponentialBuckets } from "../../scripts/eval-stats/exponential-buckets.js";
import { sampler } from "../../scripts/eval-stats/sampler.js";
import { formatTable } from "../../scripts/eval-stats/table.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";
import { harnessGraph } from "./statistic-harness.js";

/**
 * A fast slice of `npm run eval:stats` with loose bounds: the harness runs end to end through the
 * project's SQL, and no statistic's coverage falls far from 95% where it was near it (the full run, with
 * its tight goals, stays outside `npm test`).
 */
let graph: ProjectGraph;
beforeAll(async () => {
  graph = harnessGraph(demo(await demoGraphs(), "gc-tuning-experiment"));
});

const cell = (cells: readonly CoverageCell[], statistic: string) => {
  const found = cells.find((c) => c.statistic === statistic);
  if (!found) throw new Error(`no cell for ${statistic}`);
  return found;
};

describe("eval:stats building blocks", () => {
  it("exponential buckets are Firefox's (GC_MS: 1..10000 ms, 50 buckets)", () => {
    const edges = exponentialBuckets(1, 10000, 50);
    expect(edges.length).toBe(50);
    expect(edges.slice(0, 12)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14]);
    expect(edges.slice(-3)).toEqual([7083, 8416, 10000]);
    expect(bucketOf(edges, 11.9)).toBe(10);
    expect(bucketOf(edges, 1e6)).toBe(10000);
  });

  it("the sampler's draws have the moments they should", () => {
    const s = sampler(3);
    const k = 200_000;
    let poisson = 0;
    let logSum = 0;
    for (let i = 0; i < k; i++) {
      poisson += s.poisson(0.5);
      logSum += Math.log(s.lognormal(1, 2));
    }
    expect(poisson / k).toBeCloseTo(0.5, 2);
    expect(logSum / k).toBeCloseTo(1, 1);
  });

  it("a cell far from the goal is a miss, one within the noise is not", () => {
    const base = {
      distribution: "d",
      statistic: "s",
      truth: 1,
      rows: 1000,
      flagged: 0,
      missing: 0,
      clamped: 0,
      zeroWidth: 0,
      relativeWidth: 1,
      comparison: false,
    };
    expect(verdict({ ...base, n: 50, covered: 950 })).toBe("ok");
    expect(verdict({ ...base, n: 50, covered: 925 })).toBe("ok~");
    expect(verdict({ ...base, n: 50, covered: 900 })).toBe("MISS");
    expect(verdict({ ...base, n: 50, covered: 1000 })).toBe("MISS");
    expect(verdict({ ...base, n: 5, covered: 0, flagged: 1000 })).toBe("ok");
    expect(verdict({ ...base, n: 50, covered: 0, flagged: 1000 })).toBe("MISS");
    // p99 at 50 clients: no rank bounds it, so all rows flagged is the goal; p90 at 50 is bounded
    expect(verdict({ ...base, n: 50, covered: 0, flagged: 1000, minimumClients: 368 })).toBe("ok");
    expect(verdict({ ...base, n: 50, covered: 0, flagged: 1000, minimumClients: 36 })).toBe("MISS");
    // rare events: 99% is within the discreteness floor of half an expected event, not without it
    expect(verdict({ ...base, n: 50, covered: 990, coverageFloor: poissonCoverageFloor(0.5) })).toBe("ok~");
    expect(verdict({ ...base, n: 50, covered: 990 })).toBe("MISS");
    const table = coverageTable([{ ...base, n: 50, covered: 900 }], 1000);
    expect(table.goals.find((g) => g.name.includes("n >= 50"))?.passed).toBe(false);
    expect(formatTable(table)).toContain("MISS");
  });
});

describe("goal limits", () => {
  it("a scalar percentile's minimum clients is where the SQL stops flagging too_few_clients", () => {
    for (const p of [0.5, 0.9, 0.95, 0.99]) {
      const n = orderStatisticMinimum(p);
      // the statistics SQL flags a group when max(p, 1 − p)^n > 2.5%
      expect(Math.max(p, 1 - p) ** n).toBeLessThanOrEqual(0.025);
      expect(Math.max(p, 1 - p) ** (n - 1)).toBeGreaterThan(0.025);
    }
    expect([0.5, 0.9, 0.95, 0.99].map((p) => orderStatisticMinimum(p))).toEqual([6, 36, 72, 368]);
  });

  it("the discreteness floor: at λ = 0.5 only k >= 3 may miss; at λ = 3, k = 0 and a far tail; large λ, about 95%", () => {
    const pmf = (k: number, l: number) => (Math.exp(-l) * l ** k) / [1, 1, 2, 6][k]!;
    expect(poissonCoverageFloor(0.5)).toBeCloseTo(pmf(0, 0.5) + pmf(1, 0.5) + pmf(2, 0.5), 10);
    // k = 0 (4.98%) and the far tail k >= 12 (0.007%) may miss, together at most 5%
    expect(poissonCoverageFloor(3)).toBeCloseTo(1 - pmf(0, 3), 3);
    expect(poissonCoverageFloor(3)).toBeLessThan(1 - pmf(0, 3));
    expect(poissonCoverageFloor(200)).toBeGreaterThanOrEqual(0.95);
    expect(poissonCoverageFloor(200)).toBeLessThan(0.955);
  });
});

describe("alert goals", () => {
  const result = (p90: (number | null)[], falsePerQuarter = 0.5): RuleResult => ({
    rule: "branch_difference",
    settings: "defaults",
    isDefault: true,
    falsePerQuarter,
    noisyQuarters: 0,
    delays: { "p90 +5%": p90, "p90 +10%": p90, "mean +5%": [null, null], "mean +10%": [null, null] },
  });
  const options = { nullQuarters: 2, stepQuarters: 2, clients: 300 };

  it("checks the false-alert rate and the p90 steps (issue 14's goals), and shows the mean steps without a goal", () => {
    const table = alertTable([result([2, 3])], options);
    expect(table.goals.map((g) => g.name)).toEqual([
      "alerts: at most 1 false alert per project-quarter",
      "alerts: p90 +5% found within 7 days in 50%",
      "alerts: p90 +10% found within 3 days in 80%",
    ]);
    expect(table.goals.every((g) => g.passed)).toBe(true);
    expect(formatTable(table)).toContain("mean +5%");
  });

  it("misses a goal when a step is found too late or false alerts are too many", () => {
    const late = alertTable([result([2, 4])], options).goals;
    expect(late.find((g) => g.name.includes("+10%"))?.passed).toBe(false);
    expect(late.find((g) => g.name.includes("+5%"))?.passed).toBe(true);
    expect(alertTable([result([1, 1], 1.5)], options).goals[0]?.passed).toBe(false);
  });
});

describe("eval:stats subset through the project's SQL (loose bounds)", () => {
  it("lognormal σ=1 at 300 clients per branch, 200 data sets", async () => {
    const cells = await coverageCells({ graph, distributions: [lognormal(1)], sizes: [300], replicates: 200, percentiles: [50, 90, 99] });
    for (const c of cells.filter((c) => !c.comparison)) expect(c.rows).toBe(200);
    // near 95% today: a regression here is a broken statistic, not noise (±3 points at 200 data sets)
    for (const name of ["count", "mean", "p50", "p90"]) {
      expect(coverageOf(cell(cells, name)), name).toBeGreaterThanOrEqual(0.88);
      expect(coverageOf(cell(cells, name)), name).toBeLessThanOrEqual(0.995);
    }
    // known to under-cover today (issue 14): they may only get better
    for (const name of ["sum", "total_ratio"]) expect(coverageOf(cell(cells, name)), name).toBeGreaterThanOrEqual(0.78);
    // a 95% interval of p99 needs exact ranks inside the data (367 clients): below, no interval and the
    // row says too_few_clients; above, the intervals given cover
    const p99 = cell(cells, "p99");
    expect(p99.missing, "p99 rows without an interval that do not say why").toBeLessThanOrEqual(p99.flagged);
    const given = p99.rows - p99.flagged;
    if (given >= 20) expect(p99.covered / given, "p99 of the intervals given").toBeGreaterThanOrEqual(0.88);
  });

  it("multi-sample histograms at 50 clients per branch, 100 data sets", async () => {
    const cells = await coverageCells({
      graph,
      distributions: [multiSampleHistograms()],
      sizes: [50],
      replicates: 100,
      percentiles: [50, 90],
    });
    // each client one draw covered 100% with intervals 3x too wide: the client-level variance does not
    expect(coverageOf(cell(cells, "histogram p50")), "histogram p50").toBeLessThan(1);
    for (const name of ["histogram p50", "histogram p90"]) {
      expect(cell(cells, name).rows).toBe(100);
      expect(coverageOf(cell(cells, name)), name).toBeGreaterThanOrEqual(0.88);
    }
  });
});
