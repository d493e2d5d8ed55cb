import { beforeAll, describe, expect, it } from "vitest";
import type { GraphStatistic, ProjectGraph } from "../../src/graph/project-graph.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";
import { comparisonValues, COMPARISONS } from "../../src/sql/views.js";
import { harnessGraph, loadClients, statisticRows, uniform, type SimClient } from "./statistic-harness.js";

/**
 * Coverage of the 95% intervals: SIMS data sets drawn from known distributions, all computed by one
 * query per statistic (the data set number is a group key), and the share of intervals holding the true
 * value must lie between 92% and 98%.
 */
const SIMS = 1000;
const CLIENTS = 300;

const exponential = (next: () => number, mean: number) => -mean * Math.log(1 - next());

function simulate(seed: number, client: (next: () => number) => Omit<SimClient, "sim" | "branch" | "client">): SimClient[] {
  const next = uniform(seed);
  return Array.from({ length: SIMS * CLIENTS }, (_, i) => ({
    sim: Math.floor(i / CLIENTS),
    branch: "control",
    client: `c${i % CLIENTS}`,
    ...client(next),
  }));
}

let graph: ProjectGraph;
beforeAll(async () => {
  graph = harnessGraph(demo(await demoGraphs(), "gc-tuning-experiment"));
});

async function coverage(
  clients: SimClient[],
  probe: "x" | "h",
  statistic: GraphStatistic,
  truth: { readonly [parameter: string]: number },
) {
  const rows = await statisticRows(await loadClients(clients), graph, probe, statistic);
  const result: { [parameter: string]: number } = {};
  for (const [parameter, value] of Object.entries(truth)) {
    const mine = rows.filter((r) => (r.parameter ?? "") === parameter);
    expect(mine.length).toBe(SIMS);
    result[parameter] = mine.filter((r) => r.lower !== null && r.upper !== null && r.lower <= value && value <= r.upper).length / SIMS;
  }
  return result;
}

function report(name: string, observed: { readonly [parameter: string]: number }) {
  for (const [parameter, share] of Object.entries(observed)) {
    console.log(
      `coverage of the 95% interval, ${name}${/^\d/.test(parameter) ? ` p${parameter}` : ""}: ${(share * 100).toFixed(1)}% of ${SIMS} data sets`,
    );
    expect(share).toBeGreaterThanOrEqual(0.92);
    expect(share).toBeLessThanOrEqual(0.98);
  }
}

describe(`95% intervals cover the true value 92-98% of the time (${SIMS} data sets of ${CLIENTS} clients each)`, () => {
  it("mean of a skewed (exponential) metric", async () => {
    report(
      "mean",
      await coverage(
        simulate(11, (next) => ({ x: exponential(next, 10) })),
        "x",
        { name: "mean" },
        { "": 10 },
      ),
    );
  });

  it("total_ratio of two correlated metrics (crashes per active hour)", async () => {
    // y ~ U(0.5, 4.5) hours, x = 0.3·y·Exp(1): E[x]/E[y] = 0.3
    const clients = simulate(12, (next) => {
      const y = 0.5 + 4 * next();
      return { x: 0.3 * y * exponential(next, 1), y };
    });
    report("total_ratio", await coverage(clients, "x", { name: "total_ratio", denominator: "y" }, { y: 0.3 }));
  });

  it("scalar percentiles of a continuous metric", async () => {
    const clients = simulate(13, (next) => ({ x: exponential(next, 1) }));
    report(
      "scalar percentile",
      await coverage(clients, "x", { name: "percentile", percentiles: [50, 90], removeNulls: false }, { 50: Math.LN2, 90: Math.log(10) }),
    );
  });

  it("histogram percentiles of client-normalised histograms (1-5 samples per client, fine buckets)", async () => {
    // each client's samples share one value v ~ Exp(20) in buckets of 0.25: normalisation makes every client weigh 1
    const clients = simulate(14, (next) => {
      const v = exponential(next, 20);
      return { h: new Map([[Math.floor(v * 4) / 4, 1 + Math.floor(next() * 5)]]) };
    });
    report(
      "histogram percentile",
      await coverage(
        clients,
        "h",
        { name: "percentile", percentiles: [50, 90], removeNulls: false },
        { 50: 20 * Math.LN2, 90: 20 * Math.log(10) },
      ),
    );
  });

  it("difference and relative difference against the reference branch (MOVER), for means and medians", async () => {
    // control ~ Exp(mean 10), treatment ~ Exp(mean 11): both the mean and the median move by 10%
    const next = uniform(15);
    const clients = Array.from({ length: SIMS * CLIENTS * 2 }, (_, i): SimClient => {
      const branch = i % 2 ? "treatment" : "control";
      return {
        sim: Math.floor(i / (2 * CLIENTS)),
        branch,
        client: `c${i % (2 * CLIENTS)}`,
        x: exponential(next, branch === "treatment" ? 11 : 10),
      };
    });
    const connection = await loadClients(clients);
    const truth = { mean: { difference: 1, relative_difference: 0.1 }, median: { difference: Math.LN2, relative_difference: 0.1 } };
    for (const [name, statistic] of [
      ["mean", { name: "mean" }],
      ["median", { name: "percentile", percentiles: [50], removeNulls: false }],
    ] as const) {
      const rows = await statisticRows(connection, graph, "x", statistic);
      await connection.run("DROP TABLE IF EXISTS own");
      await connection.run("CREATE TABLE own (sim INTEGER, branch VARCHAR, point DOUBLE, lower DOUBLE, upper DOUBLE)");
      const appender = await connection.createAppender("own");
      for (const r of rows) {
        appender.appendInteger(r.sim);
        appender.appendVarchar(r.branch);
        for (const v of [r.point, r.lower, r.upper]) appender.appendDouble(v ?? NaN);
        appender.endRow();
      }
      appender.closeSync();
      for (const kind of COMPARISONS) {
        const { lower, upper } = comparisonValues(kind);
        const value = truth[name][kind];
        const reader = await connection.runAndReadAll(
          `SELECT AVG(CASE WHEN ${lower} <= ${value} AND ${value} <= ${upper} THEN 1 ELSE 0 END) AS covered, COUNT(*) AS n
           FROM own v JOIN own ref ON v.sim = ref.sim AND v.branch = 'treatment' AND ref.branch = 'control'`,
        );
        const [result] = reader.getRowObjectsJson() as { covered: number; n: string }[];
        expect(Number(result?.n)).toBe(SIMS);
        report(`${kind} of the ${name}`, { "": Number(result?.covered) });
      }
    }
  });
});
