import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { planDay } from "../../src/sql/plan-day.js";
import { exportToml } from "../../src/toml/export-toml.js";
import { TEST_SCRATCH } from "../helpers/cli.js";
import { fixtureWarehouse, rows } from "../sql/duckdb-fixture.js";

// configs shaped like those opmon-config held between the rename to [metrics] and the move to metric-hub
const fixtures = join(import.meta.dirname, "fixtures");
mkdirSync(TEST_SCRATCH, { recursive: true });
const work = mkdtempSync(join(TEST_SCRATCH, "history-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** Runs `opmon ARGS` in this process and returns its exit code and output. */
async function opmon(...argv: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => (stdout.push(String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => (stderr.push(String(chunk)), true));
  const code = await main(argv);
  vi.restoreAllMocks();
  return { code, stdout: stdout.join(""), stderr: stderr.join("") };
}

const toml = (path: string) => parse(readFileSync(path, "utf8"));

describe("an autumn-2022 opmon-config project", () => {
  const out = join(work, "autumn");
  const source = join(fixtures, "autumn-2022");

  it("imports with upstream's default statistics and a notice, and validates with a warning for the alert on an unmonitored metric", async () => {
    const imported = await opmon("import", source, "--out", out);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(
      "notice: tab-unloading.toml: metrics.memory_total has no statistics: percentile (50, 90, 99) given, upstream's default for configs of autumn 2022",
    );
    const validated = await opmon("validate", "--config-dir", out);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    expect(validated.stdout + validated.stderr).toContain(
      'projects/tab-unloading.ts warning at alerts.crashes.probes[1]: alert "crashes" names probe "gpu_crashes", which the project does not monitor, so the alert can never fire for it',
    );
  }, 60_000);

  it("exports back to the same TOML: no statistics added, the alert's metrics and statistics list kept", async () => {
    const files = new Map((await exportToml(out)).map((f) => [f.path, f.data]));
    expect(files.get("opmon/tab-unloading.toml")).toEqual(toml(join(source, "tab-unloading.toml")));
    expect(files.get("definitions/firefox_desktop.toml")).toEqual(toml(join(source, "definitions/firefox_desktop.toml")));
  });

  it("compiles to SQL DuckDB runs, with percentiles for the metric that had no statistics", async () => {
    const graph = (await resolveConfigDir(out)).projects[0]?.graph;
    expect(graph?.probes.map((p) => [p.name, p.statistics.map((s) => s.name)])).toEqual([
      ["main_crashes", ["sum"]],
      ["memory_total", ["percentile"]],
    ]);
    const connection = await fixtureWarehouse([{ day: "2026-10-05", client: "a", pref: true, histograms: { memory_total: { 1: 2 } } }]);
    for (const query of planDay(graph!, "2026-10-05", { dialect: "duckdb" })) await connection.run(query.sql);
  }, 60_000);
});

describe("late-2022 opmon-config layered over metric-hub", () => {
  const hub = join(fixtures, "late-2022", "metric-hub");
  const opmonConfig = join(fixtures, "late-2022", "opmon-config");

  it("fails on a file that is not TOML, naming it, and writes nothing", async () => {
    const out = join(work, "late-strict");
    const run = await opmon("import", hub, opmonConfig, "--out", out);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe("opmon: opmon-config/memory-rollout.toml:5:1: malformed TOML: illegal character in key");
    expect(existsSync(out)).toBe(false);
  });

  it("with --keep-going imports everything else, lists what it skipped and why, and exits 1", async () => {
    const out = join(work, "late");
    const run = await opmon("import", hub, opmonConfig, "--out", out, "--keep-going");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("skipped opmon-config/memory-rollout.toml:5:1: malformed TOML: illegal character in key");
    expect(run.stdout).toContain("2 module(s) written to");
    expect(run.stdout).toContain("1 file(s) skipped");
    expect(readdirSync(join(out, "projects"))).toEqual(["tab-unloading.ts"]);
  }, 60_000);

  it("gives the project metric-hub's metrics with opmon-config's statistics, validates, and runs on DuckDB", async () => {
    const out = join(work, "late");
    const validated = await opmon("validate", "--config-dir", out);
    expect(validated.code, validated.stdout + validated.stderr).toBe(0);
    const graph = (await resolveConfigDir(out)).projects[0]?.graph;
    expect(graph?.probes.map((p) => [p.name, p.statistics.map((s) => s.name)])).toEqual([
      ["main_crashes", ["sum"]],
      ["active_ticks", ["mean"]],
      ["memory_total", ["percentile"]],
    ]);
    const day = "2026-10-05";
    const connection = await fixtureWarehouse(
      [
        { day, client: "a", pref: true, activeTicks: 10 },
        { day, client: "a", pref: true, activeTicks: 20 },
        { day, client: "b", pref: true, activeTicks: 60 },
      ],
      [{ day, client: "a", processType: "main" }],
    );
    for (const query of planDay(graph!, day, { dialect: "duckdb" })) await connection.run(query.sql);
    const means = await rows(
      connection,
      "SELECT metric, point FROM operational_monitoring.tab_unloading_statistics WHERE statistic = 'mean' AND branch = 'enabled'",
    );
    // client a: 30 ticks, client b: 60
    expect(means).toEqual([{ metric: "active_ticks", point: 45 }]);
  }, 60_000);
});
