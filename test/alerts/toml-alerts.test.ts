import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const root = join(import.meta.dirname, "..", "..");
/** The CLI, run in this process (starting a node process per call cost seconds each). */
const opmon = async (...args: string[]) => {
  const r = await cli(args, root);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
};

describe("alerts in TOML: upstream keys, percentiles, change_point, for and severity", () => {
  let work: string;
  beforeAll(async () => {
    mkdirSync(join(root, "test-artifacts"), { recursive: true });
    // inside the repository, so generated modules resolve `import ... from "opmon"`
    work = mkdtempSync(join(root, "test-artifacts", "alerts-toml-"));
    const run = await opmon("import", join(import.meta.dirname, "fixtures", "toml"), "--out", join(work, "imported"));
    expect(run.status, run.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("imports into typed fields and resolves into the graph with fractions kept", async () => {
    const graph = await opmon("graph", "startup", "--config-dir", join(work, "imported"), "--json");
    expect(graph.status, graph.stderr).toBe(0);
    const resolved = JSON.parse(graph.stdout) as { alerts: Record<string, unknown>[]; confidenceLevel?: number };
    expect(resolved.confidenceLevel).toBe(0.9);
    const alerts = resolved.alerts;
    expect(alerts).toEqual([
      expect.objectContaining({
        name: "gc_step",
        type: "change_point",
        backWindow: 10,
        foreWindow: 4,
        tThreshold: 6.5,
        minRelativeChange: 0.05,
        severity: "critical",
      }),
      expect.objectContaining({ name: "gc_ceiling", type: "threshold", parameters: [50, 95], max: [12.5, 40.25], for: 3 }),
      expect.objectContaining({ name: "branches", type: "ci_overlap", probes: ["active_hours"] }),
      // without t_threshold, the noise-calibrated test: its own defaults fill what the config leaves out
      expect.objectContaining({ name: "gc_shift", type: "change_point", backWindow: 21, foreWindow: 3, noiseThreshold: 5.5, minRelativeChange: 0.02 }),
      // noise_threshold = 0 is upstream's avg_diff, without the noise term
      expect.objectContaining({ name: "gc_drift", type: "avg_diff", windowSize: 7, maxRelativeChange: 0.25, noiseThreshold: 0 }),
    ]);
    // an explicit t_threshold keeps Perfherder's test: no noise threshold is added
    expect(alerts[0]).not.toHaveProperty("noiseThreshold");
    // upstream reads `parameters` only: its ignored `percentiles` key must not narrow what the alert watches
    expect(alerts[0]).not.toHaveProperty("parameters");
  });

  it("exports the same keys back, `percentiles` where the source wrote it", async () => {
    const out = join(work, "exported");
    const run = await opmon("export", "--config-dir", join(work, "imported"), "--out", out);
    expect(run.status, run.stderr).toBe(0);
    const file = readdirSync(out, { recursive: true, encoding: "utf8" }).find((f) => f.endsWith("startup.toml"));
    const toml = parse(readFileSync(join(out, file ?? "missing"), "utf8")) as {
      project: Record<string, unknown>;
      alerts: Record<string, Record<string, unknown>>;
    };
    const source = parse(readFileSync(join(import.meta.dirname, "fixtures", "toml", "startup.toml"), "utf8")) as typeof toml;
    expect(toml.alerts).toEqual(source.alerts);
    expect(toml.project["confidence_level"]).toBe(0.9);
  });

  it("refuses change_point options on other alert types, naming the alert", async () => {
    const bad = join(work, "bad");
    cpSync(join(work, "imported"), bad, { recursive: true });
    const file = join(bad, "projects", "startup.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("max: [12.5, 40.25],", "max: [12.5, 40.25], backWindow: 3,"));
    const run = await opmon("validate", "--config-dir", bad, "--json");
    expect(run.status).toBe(1);
    expect(run.stdout).toContain("backWindow");
  }, 60_000);

  it("refuses a change_point that sets both tests' thresholds, naming the alert and the key", async () => {
    const bad = join(work, "both");
    cpSync(join(work, "imported"), bad, { recursive: true });
    const file = join(bad, "projects", "startup.ts");
    writeFileSync(file, readFileSync(file, "utf8").replace("noiseThreshold: 5.5", "noiseThreshold: 5.5, tThreshold: 7"));
    const run = await opmon("validate", "--config-dir", bad, "--json");
    expect(run.status).toBe(1);
    // the type check names it first (the union of the two tests); the config check would too (test/alerts/check-alerts.test.ts)
    expect(run.stdout).toContain("alerts.gc_shift.tThreshold");
  }, 60_000);
});
