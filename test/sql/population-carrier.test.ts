import type { DuckDBConnection } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { metricsQuery, populationCarrier } from "../../src/sql/metrics-query.js";
import { planDay } from "../../src/sql/plan-day.js";
import { populationCtes } from "../../src/sql/population-query.js";
import { printQuery } from "../../src/sql/print-sql.js";
import { sqlContext } from "../../src/sql/sql-context.js";
import { demo, demoGraphs } from "./demo-graphs.js";
import { fixtureWarehouse, rows, type MainPing } from "./duckdb-fixture.js";

const DAY = "2026-10-20";
const pings = (n: number, ping: MainPing): MainPing[] => Array.from({ length: n }, () => ping);

// The population carried by its own source's pass (joined to the pings, spam clients found by counting
// them) must leave the rows of the population joined to per-client aggregates after a spam pass.
describe("the population carried by its source's pass (DuckDB)", () => {
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
    // pings with two OS values: two population rows, each with the client's whole day
    { day: DAY, client: "two-os", pref: true, os: "Linux", activeTicks: 720, histograms: { memory_total: { 2: 1 } } },
    { day: DAY, client: "two-os", pref: true, os: "Windows_NT", activeTicks: 1440, hangs: 1 },
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

  const ordered = (sql: string) => rows(connection, `SELECT * FROM (${sql}) ORDER BY client_id NULLS LAST, branch, os`);

  it("gives the rows of the population joined to per-client aggregates after a spam pass", async () => {
    const ctx = sqlContext(graph, DAY, { dialect: "duckdb", spamPingsPerDay: 3 });
    expect(populationCarrier(ctx, graph.probes)).toBe("main");
    const passed = await ordered(printQuery(metricsQuery(ctx, graph.probes, populationCtes(ctx)), ctx.d).replace(/;\s*$/, ""));
    const counted = await ordered(
      printQuery(metricsQuery(ctx, graph.probes, populationCtes(ctx, true), { carrier: "main" }), ctx.d).replace(/;\s*$/, ""),
    );
    expect(counted).toEqual(passed);
    expect(counted.filter((r) => r["client_id"] === "two-os").map((r) => [r["os"], r["active_hours"]])).toEqual([
      ["Linux", 3],
      ["Windows_NT", 3],
    ]);
    expect(counted.map((r) => [r["client_id"], r["branch"]])).toEqual([
      ["a", "enabled"],
      ["b", "disabled"],
      ["two-os", "enabled"],
      ["two-os", "enabled"],
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
    expect(populationCarrier(sqlContext(graph, DAY, { dialect: "bigquery" }), graph.probes)).toBeUndefined();
  });
});
