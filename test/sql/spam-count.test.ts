import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { metricsQuery, spamCountingSource } from "../../src/sql/metrics-query.js";
import { planDay } from "../../src/sql/plan-day.js";
import { populationCtes } from "../../src/sql/population-query.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { demo, demoGraphs } from "./demo-graphs.js";
import { fixtureWarehouse, rows, type MainPing } from "./duckdb-fixture.js";

const DAY = "2026-10-20";
const pings = (n: number, ping: MainPing): MainPing[] => Array.from({ length: n }, () => ping);

// Spam clients found by counting pings in the per-client pass over the population's source, instead
// of a pass of their own, must leave the same rows: same clients, same aggregates.
describe("spam clients counted in the metrics pass (DuckDB)", () => {
  const main: MainPing[] = [
    ...pings(2, { day: DAY, client: "a", pref: true, activeTicks: 720, histograms: { memory_total: { 1: 2 } } }),
    // as many pings as the limit: kept
    ...pings(3, { day: DAY, client: "b", pref: false, hangs: 1 }),
    ...pings(4, { day: DAY, client: "spam-release", pref: true, activeTicks: 720, histograms: { memory_total: { 4: 1 } } }),
    // two pings in the population, two on beta: four pings of the source on the day, a spam client
    ...pings(2, { day: DAY, client: "spam-mixed", pref: false }),
    ...pings(2, { day: DAY, client: "spam-mixed", channel: "beta", pref: false }),
    // the day before does not count
    ...pings(2, { day: DAY, client: "yesterday", pref: true, hangs: 2 }),
    ...pings(3, { day: "2026-10-19", client: "yesterday", pref: true }),
    // a ping without a client id is a population row of its own, never a spam client
    { day: DAY, client: null, pref: true, activeTicks: 1440 },
  ];
  let connection: DuckDBConnection;
  let graph: ProjectGraph;
  beforeAll(async () => {
    graph = demo(await demoGraphs(), "tab-unloading-rollout");
    connection = await fixtureWarehouse(main, [
      { day: DAY, client: "a", processType: "main" },
      { day: DAY, client: "spam-release", processType: "content" },
    ]);
  });

  const ordered = (sql: string) => rows(connection, `SELECT * FROM (${sql}) ORDER BY client_id NULLS LAST, branch`);

  it("gives the rows the spam clients' own pass gives", async () => {
    const ctx = sqlContext(graph, DAY, { dialect: "duckdb", spamPingsPerDay: 3 });
    expect(spamCountingSource(ctx, graph.probes)).toBe("main");
    const passed = await ordered(printQuery(metricsQuery(ctx, graph.probes, populationCtes(ctx)), ctx.d).replace(/;\s*$/, ""));
    const counted = await ordered(
      printQuery(metricsQuery(ctx, graph.probes, populationCtes(ctx, true), { spamCountedBy: "main" }), ctx.d).replace(/;\s*$/, ""),
    );
    expect(counted).toEqual(passed);
    expect(counted.map((r) => [r["client_id"], r["branch"]])).toEqual([
      ["a", "enabled"],
      ["b", "disabled"],
      ["yesterday", "enabled"],
      [null, "enabled"],
    ]);
  });

  it("is what a DuckDB day runs, not a BigQuery one (a row there holds at most 100 MB)", () => {
    const [duck] = planDay(graph, DAY, { dialect: "duckdb" });
    expect(duck?.sql).toContain("opmon_pings");
    expect(duck?.sql).not.toContain("spam_clients");
    const [big] = planDay(graph, DAY, { dialect: "bigquery" });
    expect(big?.sql).toContain("spam_clients");
    expect(spamCountingSource(sqlContext(graph, DAY, { dialect: "bigquery" }), graph.probes)).toBeUndefined();
  });
});
