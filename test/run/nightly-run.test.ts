import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { datesBetween } from "../../src/run/select-projects.js";
import { cli, opmon, scratchConfigDir } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "opmon-run-"));
const warehouse = join(dir, "warehouse.duckdb");
const scratch: string[] = [];
afterAll(() => [dir, ...scratch].forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A digest of every row of a table, to compare reruns. */
async function digest(table: string): Promise<unknown> {
  const engine = await DuckDbEngine.open(warehouse);
  try {
    return await engine.query(`SELECT count(*) AS n, sum(hash(COLUMNS(*))) AS h FROM ${table}`);
  } finally {
    await engine.close();
  }
}

describe("opmon demo and run on DuckDB", () => {
  beforeAll(async () => {
    const r = await cli(["demo", "--warehouse", warehouse, "--out", join(dir, "site"), "--clients", "300", "--days", "4"]);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toContain("3 succeeded, 0 failed, 0 skipped");
    expect(r.stdout).toMatch(/Synthetic telemetry: \d+ main pings from 300 clients, 2026-11-24 to 2026-11-27/);
    // each day, the experiment and the rollout share one pass over main and one over crash
    expect(r.stderr.match(/^shared pass_(main|crash)_[0-9a-f]{10} for 2026-11-2[4-7] done in [\d.]+ s$/gm)).toHaveLength(8);
  }, 180_000);

  it("writes every table and view, readable with a plain DuckDB client", async () => {
    const engine = await DuckDbEngine.open(warehouse);
    try {
      const tables = await engine.query(
        "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema LIKE 'operational_monitoring%' ORDER BY 1",
      );
      expect(tables.map((t) => t["t"])).toEqual(
        expect.arrayContaining([
          "operational_monitoring.gc_tuning_experiment_statistics",
          "operational_monitoring.projects",
          "operational_monitoring_derived.gc_tuning_experiment_v1",
          "operational_monitoring_derived.gc_tuning_experiment_statistics_v2",
          "operational_monitoring_derived.desktop_nightly_health_alerts_v2",
          "operational_monitoring_derived.projects_v1",
        ]),
      );
      const days = await engine.query(
        "SELECT CAST(submission_date AS VARCHAR) AS d, count(DISTINCT branch) AS branches FROM operational_monitoring.gc_tuning_experiment_statistics GROUP BY 1 ORDER BY 1",
      );
      expect(days).toEqual(["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"].map((d) => ({ d, branches: "2" })));
      const projects = await engine.query("SELECT slug FROM operational_monitoring.projects ORDER BY slug");
      expect(projects.map((p) => p["slug"])).toEqual(["desktop-nightly-health", "gc-tuning-experiment", "tab-unloading-rollout"]);
    } finally {
      await engine.close();
    }
  });

  it("gives identical rows when a day is run again", async () => {
    const metrics = "operational_monitoring_derived.gc_tuning_experiment_v1";
    // statistics at single precision: parallel float sums may differ in the last bits of a double
    const statistics =
      "(SELECT * REPLACE (CAST(point AS FLOAT) AS point, CAST(lower AS FLOAT) AS lower, CAST(upper AS FLOAT) AS upper) FROM operational_monitoring.gc_tuning_experiment_statistics)";
    const before = [await digest(metrics), await digest(statistics)];
    const r = await cli(["run", "--date", "2026-11-27", "--warehouse", warehouse, "--no-experimenter", "--no-type-check", "--slug", "gc-tuning-experiment"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("1 succeeded, 0 failed, 0 skipped");
    expect([await digest(metrics), await digest(statistics)]).toEqual(before);
  });

  it("keeps running the other projects when one fails, and says which and why", async () => {
    const config = scratchConfigDir();
    scratch.push(config);
    const path = join(config, "projects/tab-unloading-rollout.ts");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace('booleanPref: "environment.settings', 'booleanPref: "environment.no_such_struct'),
    );
    const sqlDir = join(dir, "sql");
    const r = await cli([
      "run",
      "--date",
      "2026-11-27",
      "--no-type-check",
      "--config-dir",
      config,
      "--warehouse",
      warehouse,
      "--no-experimenter",
      "--sql-output-dir",
      sqlDir,
      "--json",
    ]);
    expect(r.code).toBe(1);
    const summary = JSON.parse(r.stdout) as { outcomes: { slug: string; status: string; failures: { step: string; error: string }[] }[] };
    expect(summary.outcomes.map((o) => [o.slug, o.status])).toEqual([
      ["desktop-nightly-health", "succeeded"],
      ["gc-tuning-experiment", "succeeded"],
      ["tab-unloading-rollout", "failed"],
    ]);
    expect(summary.outcomes[2]?.failures[0]).toMatchObject({ step: "metrics", error: expect.stringMatching(/no_such_struct/) });
    // the rollout's population (a shared scratch table) is broken: the passes reading it are skipped,
    // said once each, never run into a missing table; the experiment reads its sources on its own
    expect(r.stderr).toMatch(
      /2026-11-27: shared population_main_[0-9a-f]{10} failed \(.*no_such_struct.*\); each project reads its sources on its own/,
    );
    expect(r.stderr).toMatch(/2026-11-27: shared pass_main_[0-9a-f]{10} failed \(skipped: the shared work of tab-unloading-rollout failed before it\)/);
    expect(r.stderr).not.toMatch(/does not exist/);
    expect(readdirSync(sqlDir)).toEqual(
      expect.arrayContaining(["gc-tuning-experiment-metrics-2026-11-27.sql", "gc-tuning-experiment-statistics-2026-11-27.sql"]),
    );
  });

  it("refuses a second run on a busy warehouse with one line", async () => {
    const holder = await DuckDbEngine.open(warehouse);
    try {
      const r = opmon(["run", "--date", "2026-11-27", "--warehouse", warehouse, "--no-experimenter"]);
      expect(r.code).toBe(1);
      expect(r.stderr.trim()).toMatch(
        /^opmon: .*warehouse\.duckdb is in use by another opmon run \(pid \d+ since .*\); wait for it to finish$/,
      );
    } finally {
      await holder.close();
    }
  });

  it("plans a day with the rows each write would read, writing nothing", async () => {
    const before = await digest("operational_monitoring_derived.projects_v1");
    const r = await cli(["plan", "--date", "2026-11-27", "--warehouse", warehouse, "--no-experimenter", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      projects: { slug: string; steps: { step: string; kind: string; rows?: number }[] }[];
      shared: { source: string; projects: string[] }[];
    };
    expect(plan.projects).toHaveLength(3);
    // the experiment and the rollout read main and crash by day: a run aggregates each once for both
    expect(plan.shared).toEqual([
      { source: "main", projects: ["gc-tuning-experiment", "tab-unloading-rollout"] },
      { source: "crash", projects: ["gc-tuning-experiment", "tab-unloading-rollout"] },
    ]);
    const metrics = plan.projects[0]?.steps.find((s) => s.step === "metrics");
    expect(metrics?.rows).toBeGreaterThan(1000);
    expect(plan.projects[0]?.steps.map((s) => s.step)).toEqual([
      "metrics",
      "metrics_view",
      "statistics",
      "statistics_view",
      "alerts",
      "alerts_view",
    ]);
    expect(await digest("operational_monitoring_derived.projects_v1")).toEqual(before);
  });

  it("backfills a range clipped to the project's dates, and refuses bad input in one line", async () => {
    const r = await cli([
      "backfill",
      "--no-type-check",
      "--slug",
      "gc-tuning-experiment",
      "--start-date",
      "2026-11-26",
      "--end-date",
      "2027-02-01",
      "--warehouse",
      warehouse,
      "--no-experimenter",
      "--json",
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { outcomes: { dates: string[] }[] };
    expect(summary.outcomes[0]?.dates).toEqual(datesBetween("2026-11-26", "2026-12-31"));
    const bad = await cli([
      "backfill",
      "--no-type-check",
      "--slug",
      "gc-tuning-experimnt",
      "--start-date",
      "2026-11-26",
      "--end-date",
      "2026-11-27",
      "--warehouse",
      warehouse,
      "--no-experimenter",
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('opmon: no project "gc-tuning-experimnt" in . (did you mean "gc-tuning-experiment"?)');
    const malformed = await cli(["run", "--date", "2026-02-30", "--warehouse", warehouse]);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr.trim()).toBe('opmon: --date must be a date as YYYY-MM-DD, not "2026-02-30" (see opmon run --help)');
  }, 120_000);

  it("goes on with one warning and a note when Experimenter is down", async () => {
    const r = await cli([
      "run",
      "--date",
      "2026-11-27",
      "--no-type-check",
      "--slug",
      "gc-tuning-experiment",
      "--warehouse",
      warehouse,
      "--experimenter-url",
      "http://127.0.0.1:9/api/v8/experiments/",
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning: Experimenter unavailable/);
    expect(r.stdout).toContain("Experimenter was unavailable: rollouts without a config were not monitored");
    expect(r.stdout).toContain("1 succeeded, 0 failed");
  });
});
