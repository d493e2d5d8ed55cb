import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { cli } from "../helpers/cli.js";
import { demoGraphs } from "./demo-graphs.js";
import { writeFixtureResults } from "./fixture-warehouse.js";

let dir: string;
let warehouse: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "opmon-commands-"));
  warehouse = join(dir, "warehouse.duckdb");
  const engine = await DuckDbEngine.open(warehouse);
  try {
    for (const graph of Object.values(await demoGraphs())) await writeFixtureResults(engine, graph, dir);
  } finally {
    await engine.close();
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("opmon dashboard and opmon lookml", () => {
  it("dashboard writes the site and prints the path of its index", async () => {
    const r = await cli(["dashboard", "--warehouse", warehouse, "--out", join(dir, "site")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(dir, "site", "index.html"));
    expect(readFileSync(r.stdout.trim(), "utf8")).toContain("GC tuning experiment");
  });

  it("dashboard without a warehouse fails with one line and writes nothing", async () => {
    const missing = join(dir, "missing.duckdb");
    const r = await cli(["dashboard", "--warehouse", missing, "--out", join(dir, "nosite")]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `opmon: no warehouse at ${missing}: run "opmon demo" or "opmon run --date YYYY-MM-DD" first`,
    ]);
    expect(existsSync(missing)).toBe(false);
    expect(existsSync(join(dir, "nosite"))).toBe(false);
  });

  it("lookml writes views, explores and dashboards with filter defaults from the warehouse", async () => {
    const r = await cli(["lookml", "--warehouse", warehouse, "--out", join(dir, "lookml")]);
    expect(r.code).toBe(0);
    const dashboard = readFileSync(
      join(dir, "lookml", "operational_monitoring", "dashboards", "tab_unloading_rollout.dashboard.lookml"),
      "utf8",
    );
    expect(dashboard).toMatch(/title: OS\n {4}name: OS\n {4}type: string_filter\n {4}default_value: 'Windows'/);
    expect(existsSync(join(dir, "lookml", "operational_monitoring", "views", "tab_unloading_rollout_alerts.view.lkml"))).toBe(true);
  });
});
