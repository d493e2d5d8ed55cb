import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import type { DialectName } from "../../src/sql/dialects/dialect.js";
import { planDay, type PlannedQuery } from "../../src/sql/plan-day.js";
import { demo, demoGraphs } from "./demo-graphs.js";

const DIALECTS: readonly DialectName[] = ["bigquery", "duckdb"];
const render = (queries: readonly PlannedQuery[]) =>
  queries.map((q) => `-- ${q.name}${q.destination ? ` -> ${q.destination.table} (${q.destination.date})` : ""}\n${q.sql}\n`).join("\n");

let graphs: ReadonlyMap<string, ProjectGraph>;
beforeAll(async () => {
  graphs = await demoGraphs();
});

describe.each(DIALECTS)("golden SQL (%s)", (dialect) => {
  it.each(["gc-tuning-experiment", "tab-unloading-rollout", "desktop-nightly-health"])("%s", async (slug) => {
    await expect(render(planDay(demo(graphs, slug), "2026-10-20", { dialect }))).toMatchFileSnapshot(`../golden/${slug}.${dialect}.sql`);
  });

  it("enrollment branching (enabled when enrolled in the slug)", async () => {
    const base = demo(graphs, "gc-tuning-experiment");
    const graph: ProjectGraph = {
      ...base,
      alerts: [],
      population: { ...base.population, branching: { mode: "enrollment", slug: base.slug }, branches: ["enabled", "disabled"] },
    };
    const sql = render(planDay(graph, "2026-10-20", { dialect }));
    expect(sql).toMatch(/THEN\s+'disabled'\s+ELSE\s+'enabled'/);
    await expect(sql).toMatchFileSnapshot(`../golden/enrollment.${dialect}.sql`);
  });

  it("splits the metrics query in parts above the probe limit", async () => {
    const queries = planDay(demo(graphs, "gc-tuning-experiment"), "2026-10-20", { dialect, maxProbesPerQuery: 2 });
    expect(queries.map((q) => q.name).slice(0, 5)).toEqual([
      "metrics_part_0",
      "metrics_part_1",
      "metrics_part_2",
      "metrics",
      "metrics_parts_cleanup",
    ]);
    await expect(render(queries.slice(0, 5))).toMatchFileSnapshot(`../golden/split-metrics.${dialect}.sql`);
    // parts are scratch tables named with the day and run id, that expire (BigQuery) or end with the session (DuckDB)
    const withRun = planDay(demo(graphs, "gc-tuning-experiment"), "2026-10-20", { dialect, maxProbesPerQuery: 2, runId: "r1" });
    expect(withRun[0]?.sql).toContain("gc_tuning_experiment_v1_part_0_20261020_r1");
    expect(withRun[0]?.sql).toContain(dialect === "bigquery" ? "expiration_timestamp" : "CREATE OR REPLACE TEMP TABLE");
  });

  it("splits the statistics query in parts above the probe limit, joined on every part's groups", async () => {
    const queries = planDay(demo(graphs, "gc-tuning-experiment"), "2026-10-20", { dialect, maxProbesPerStatisticsQuery: 2 });
    const names = queries.map((q) => q.name);
    const first = names.indexOf("statistics_part_0");
    expect(names.slice(first, names.indexOf("statistics_view"))).toEqual([
      "statistics_part_0",
      "statistics_part_1",
      "statistics_part_2",
      "statistics",
      "statistics_parts_cleanup",
    ]);
    await expect(render(queries.slice(first, first + 5))).toMatchFileSnapshot(`../golden/split-statistics.${dialect}.sql`);
  });

  it("a build-id window of 7 days reaches back 7 days", () => {
    const [metrics] = planDay(demo(graphs, "desktop-nightly-health"), "2026-10-20", { dialect, buildIdWindowDays: 7 });
    expect(metrics?.sql).toMatch(/INTERVAL 7 DAY/);
    expect(metrics?.sql).not.toMatch(/INTERVAL 14 DAY/);
  });

  it("without layout (what a DuckDB run executes) is the golden SQL's tokens, only the whitespace differs", () => {
    const tokens = (pretty: boolean) =>
      planDay(demo(graphs, "desktop-nightly-health"), "2026-10-20", { dialect, pretty }).map((q) => [
        q.name,
        q.sql.replace(/\s+/g, ""),
        q.destination?.select.replace(/\s+/g, ""),
      ]);
    const compact = planDay(demo(graphs, "desktop-nightly-health"), "2026-10-20", { dialect, pretty: false });
    expect(compact.flatMap((q) => (q.destination ? [q.destination.select] : [])).some((sql) => sql.includes("\n"))).toBe(false);
    expect(tokens(false)).toEqual(tokens(true));
  });

  it("is byte-stable", () => {
    const graph = demo(graphs, "desktop-nightly-health");
    expect(render(planDay(graph, "2026-10-20", { dialect }))).toBe(render(planDay(graph, "2026-10-20", { dialect })));
  });
});

describe("run order", () => {
  it("writes metrics, statistics and alerts before their views, metadata last", () => {
    const names = planDay(demo(graphs, "tab-unloading-rollout"), "2026-10-20").map((q) => q.name);
    expect(names).toEqual(["metrics", "metrics_view", "statistics", "statistics_view", "comparisons", "comparisons_view", "alerts", "alerts_view", "projects"]);
  });

  it("skips alerts for a project without any", () => {
    const graph = { ...demo(graphs, "gc-tuning-experiment"), alerts: [] };
    expect(planDay(graph, "2026-10-20").map((q) => q.name)).not.toContain("alerts");
  });

  it("rejects a date that is not YYYY-MM-DD", () => {
    expect(() => planDay(demo(graphs, "gc-tuning-experiment"), "2026-02-30")).toThrow(/not a date/);
  });
});
