import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { daySteps, sharedDay } from "../../src/run/day-steps.js";
import { runProjects, type RunSummary } from "../../src/run/run-projects.js";
import type { DialectName } from "../../src/sql/dialects/dialect.js";
import { planSharedSources } from "../../src/sql/shared-sources.js";
import { tenPopulations } from "../../scripts/bench/ten-populations.js";
import { demo, demoGraphs } from "../sql/demo-graphs.js";

const START = "2026-11-25";
const END = "2026-11-27";
const DAYS = ["2026-11-25", "2026-11-26", "2026-11-27"];
const dir = mkdtempSync(join(tmpdir(), "opmon-shared-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let graphs: ReadonlyMap<string, ProjectGraph>;
let projects: ProjectGraph[];
beforeAll(async () => {
  graphs = await demoGraphs();
  const rollout = demo(graphs, "tab-unloading-rollout");
  // every demo project, plus a second rollout on the same sources with a probe of its own
  const second: ProjectGraph = {
    ...rollout,
    slug: "second-rollout",
    tableSlug: "second_rollout",
    probes: [
      ...rollout.probes.filter((p) => p.name !== "shutdown_hangs"),
      { ...demo(graphs, "gc-tuning-experiment").probes.find((p) => !rollout.probes.some((r) => r.name === p.name))! },
    ],
  };
  projects = [...graphs.values(), second];
});

/** Runs `projects` over the days into a fresh warehouse of the same synthetic telemetry. */
async function runInto(name: string, share: boolean, graphsToRun: readonly ProjectGraph[] = projects) {
  const engine = await DuckDbEngine.open(join(dir, `${name}.duckdb`));
  for (const sql of syntheticTelemetrySql({ clients: 300, startDate: START, endDate: END, seed: 7 })) await engine.execute(sql, "data");
  const sharedFailures: string[] = [];
  const sharedSteps: string[] = [];
  const summary = await runProjects({
    engine,
    projects: graphsToRun,
    dates: () => DAYS,
    plan: (g, d) => daySteps(g, d, { dialect: "duckdb", pretty: false }),
    ...(share ? { share: (gs: readonly ProjectGraph[], d: string) => sharedDay(gs, d, { dialect: "duckdb", pretty: false }) } : {}),
    reporter: {
      sharedFailed: (date, step, error) => sharedFailures.push(`${date} ${step}: ${error}`),
      stepDone: (slug, date, step) => (slug === "shared" && step.startsWith("pass_") ? sharedSteps.push(`${date} ${step}`) : 0),
    },
  });
  return { engine, summary, sharedFailures, sharedSteps };
}

/** Per table: a digest of every row (statistics at single precision: float sums may differ in their last bits). */
async function digests(engine: DuckDbEngine, slugs: readonly string[]) {
  const out: Record<string, unknown> = {};
  for (const slug of slugs.map((s) => s.replaceAll("-", "_"))) {
    out[`${slug}_v1`] = await engine.query(
      `SELECT count(*) AS n, sum(hash(COLUMNS(*))) AS h FROM operational_monitoring_derived.${slug}_v1`,
    );
    out[`${slug}_statistics`] = await engine.query(
      `SELECT count(*) AS n, sum(hash(metric, statistic, branch, parameter, CAST(point AS FLOAT), CAST(lower AS FLOAT), CAST(upper AS FLOAT))) AS h
       FROM operational_monitoring.${slug}_statistics`,
    );
  }
  return out;
}

const statuses = (s: RunSummary) => Object.fromEntries(s.outcomes.map((o) => [o.slug, o.status]));

describe("shared passes over a data source", () => {
  it.each<DialectName>(["duckdb", "bigquery"])("one pass per source read by several projects (%s)", async (dialect) => {
    const plan = planSharedSources(projects, END, { dialect });
    // main: the experiment and both rollouts (the nightly project reads it by build, another pass); crash: both rollouts
    expect(plan.passes.map((p) => [p.create.name.replace(/_[0-9a-f]{10}$/, ""), p.readers])).toEqual([
      ["pass_main", ["gc-tuning-experiment", "tab-unloading-rollout", "second-rollout"]],
      ["pass_crash", ["gc-tuning-experiment", "tab-unloading-rollout", "second-rollout"]],
    ]);
    expect(Object.keys(plan.sources).sort()).toEqual(["gc-tuning-experiment", "second-rollout", "tab-unloading-rollout"]);
    expect(plan.sources["desktop-nightly-health"]).toBeUndefined();
    // a probe two projects define the same way is aggregated once
    const rollout = plan.sources["tab-unloading-rollout"]?.["main"];
    expect(rollout?.columns["memory_total"]).toBe(plan.sources["second-rollout"]?.["main"]?.columns["memory_total"]);
    // spam clients once per population source (main, read by all three), then each population once
    // (the second rollout's is the rollout's)
    expect(plan.scratch.map((p) => [p.create.name.replace(/_[0-9a-f]{10}$/, ""), p.readers])).toEqual([
      ["spam_clients_main", ["gc-tuning-experiment", "tab-unloading-rollout", "second-rollout"]],
      ["population_main", ["gc-tuning-experiment"]],
      ["population_main", ["tab-unloading-rollout", "second-rollout"]],
    ]);
    expect(plan.populations["second-rollout"]).toBe(plan.populations["tab-unloading-rollout"]);
    await expect(
      [...plan.scratch, ...plan.passes].map((p) => p.create.sql).join("\n\n") + "\n",
    ).toMatchFileSnapshot(`../golden/shared-sources.${dialect}.sql`);
    // the rollout's metrics read main's aggregates from the pass and its population from its table
    const metrics = planDaySql(dialect, rollout ? { main: rollout } : {}, plan.populations["tab-unloading-rollout"]);
    const cte = metrics.slice(metrics.indexOf("metrics_main AS ("));
    expect(cte.slice(0, cte.indexOf(")"))).toContain(rollout?.table);
    expect(metrics).toContain(plan.populations["tab-unloading-rollout"]);
    expect(metrics).not.toContain("spam_clients");
  });

  it("reads the main table once for the spam clients, once for ten populations differing in their branch, and once for the pass", () => {
    const ten = tenPopulations(demo(graphs, "tab-unloading-rollout"));
    const plan = planSharedSources(ten, END, { dialect: "duckdb", pretty: false });
    const day = sharedDay(ten, END, { dialect: "duckdb", pretty: false });
    const sql = [
      ...[...plan.scratch, ...plan.passes].map((p) => p.create.sql),
      ...ten.flatMap((g) => day.plan(g).steps.map((s) => (s.kind === "write" ? s.select : s.sql))),
    ].join("\n");
    // before populations were shared: 41 reads (each population and its spam clients in the pass and
    // again in its metrics); then 12 (a pass per population)
    expect(sql.split("mozdata.telemetry.main").length - 1).toBe(1 + 1 + 1);
    expect(plan.scratch.map((p) => [p.create.name.replace(/_[0-9a-f]{10}$/, ""), p.stage])).toEqual([
      ["spam_clients_main", 0],
      ["populations_main", 1],
    ]);
  });

  it("gives projects whose populations differ in their branch alone the rows of their own populations", async () => {
    const four = tenPopulations(demo(graphs, "tab-unloading-rollout")).slice(0, 4);
    const own = await runInto("four-own", false, four);
    const shared = await runInto("four-shared", true, four);
    try {
      expect(Object.values(statuses(shared.summary)).every((s) => s === "succeeded")).toBe(true);
      expect(shared.sharedFailures).toEqual([]);
      const slugs = four.map((g) => g.slug);
      const rows = await digests(shared.engine, slugs);
      expect(rows).toEqual(await digests(own.engine, slugs));
      // four different populations: neither empty nor all alike
      const counts = Object.entries(rows).filter(([k]) => k.endsWith("_v1")).map(([, v]) => Number((v as { n: unknown }[])[0]?.n));
      expect(counts.every((n) => n > 0)).toBe(true);
      expect(new Set(Object.entries(rows).filter(([k]) => k.endsWith("_v1")).map(([, v]) => JSON.stringify(v))).size).toBe(4);
    } finally {
      await own.engine.close();
      await shared.engine.close();
    }
  });

  it("names scratch tables per run when given a run id, so two runs of a day never touch each other's", () => {
    const tables = (runId: string) =>
      Object.values(planSharedSources(projects, END, { dialect: "bigquery", runId }).sources["gc-tuning-experiment"] ?? {}).map(
        (s) => s.table,
      );
    expect(tables("a1b2c3d4")[0]).toMatch(/opmon_shared_main_20261127_[0-9a-f]{10}_a1b2c3d4`$/);
    expect(tables("a1b2c3d4")).not.toEqual(tables("e5f6a7b8"));
    expect(() => planSharedSources(projects, END, { runId: "x; DROP" })).toThrow(/run id "x; DROP" must be/);
  });

  it("writes the same rows as projects reading their sources on their own", async () => {
    const own = await runInto("own", false);
    const shared = await runInto("shared", true);
    try {
      expect(statuses(shared.summary)).toEqual(statuses(own.summary));
      expect(Object.values(statuses(shared.summary)).every((s) => s === "succeeded")).toBe(true);
      expect(shared.sharedFailures).toEqual([]);
      // main and crash, each day
      expect(shared.sharedSteps).toHaveLength(2 * DAYS.length);
      expect(own.sharedSteps).toEqual([]);
      const slugs = projects.map((p) => p.slug);
      expect(await digests(shared.engine, slugs)).toEqual(await digests(own.engine, slugs));
      // the scratch tables are gone, and never reached the warehouse file
      const left = await shared.engine.query("SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'opmon_shared%'");
      expect(left).toEqual([]);
    } finally {
      await own.engine.close();
      await shared.engine.close();
    }
  }, 180_000);

  it("falls back to each project's own pass when the shared one fails, so a bad probe fails only its project", async () => {
    const rollout = demo(graphs, "tab-unloading-rollout");
    const broken: ProjectGraph = {
      ...rollout,
      slug: "broken-rollout",
      tableSlug: "broken_rollout",
      probes: rollout.probes.map((p) => (p.name === "shutdown_hangs" ? { ...p, select: "SUM(payload.no_such_field)" } : p)),
    };
    const run = await runInto("broken", true, [rollout, broken]);
    try {
      expect(statuses(run.summary)).toEqual({ "tab-unloading-rollout": "succeeded", "broken-rollout": "failed" });
      // the broken project stops at its first day, so later days have no pass to share
      expect(run.sharedFailures).toHaveLength(1);
      expect(run.sharedFailures[0]).toMatch(/^2026-11-25 pass_main_/);
      expect(run.summary.outcomes[1]?.failures[0]?.error).toMatch(/no_such_field/);
    } finally {
      await run.engine.close();
    }
  }, 120_000);
});

/** The rollout's metrics query for the last day, reading the given shared sources and population. */
function planDaySql(
  dialect: DialectName,
  sharedSources: Parameters<typeof daySteps>[2]["sharedSources"],
  sharedPopulation: string | undefined,
): string {
  const plan = daySteps(demo(graphs, "tab-unloading-rollout"), END, {
    dialect,
    pretty: false,
    ...(sharedSources ? { sharedSources } : {}),
    ...(sharedPopulation ? { sharedPopulation } : {}),
  });
  const write = plan.steps.find((s) => s.label === "metrics");
  return write?.kind === "write" ? write.select : "";
}
