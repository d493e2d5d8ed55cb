import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manyProbesConfig } from "../../scripts/bench/many-probes-project.js";
import { syntheticTelemetrySql } from "../../src/demo/synthetic-telemetry.js";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { ROOT, TEST_SCRATCH } from "../helpers/cli.js";

const DAY = "2026-11-27";
const dir = mkdtempSync(join(tmpdir(), "opmon-many-probes-"));
const configs: string[] = [];
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const c of configs) rmSync(c, { recursive: true, force: true });
});

/** `opmon run` of a project with `probes` probes for one day, with the child's peak RSS. */
function runMany(probes: number) {
  const config = manyProbesConfig(TEST_SCRATCH, probes);
  configs.push(config);
  // the child reports its own peak RSS as it exits (spawnSync gives no resource usage)
  const report = `data:text/javascript,process.on("exit",()=>process.stderr.write("peak-rss-kb="+process.resourceUsage().maxRSS))`;
  const r = spawnSync(
    process.execPath,
    [
      "--import",
      report,
      join(ROOT, "bin/opmon.js"),
      "run",
      "--config-dir",
      config,
      "--warehouse",
      join(dir, "warehouse.duckdb"),
      "--date",
      DAY,
      "--no-experimenter",
      // what is measured is the engine's limit and the run's memory; type-checking 5,000 generated probes
      // is validate's work (minutes on a loaded machine) and would only add its own time
      "--no-type-check",
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } },
  );
  const rss = Number(/peak-rss-kb=(\d+)/.exec(r.stderr)?.[1] ?? NaN) / 1024;
  return { code: r.status ?? -1, signal: r.signal, output: r.stdout + r.stderr, peakMb: rss };
}

describe("projects with many probes", () => {
  beforeAll(async () => {
    const engine = await DuckDbEngine.open(join(dir, "warehouse.duckdb"));
    try {
      for (const sql of syntheticTelemetrySql({ clients: 40, startDate: DAY, endDate: DAY })) await engine.execute(sql, "data");
    } finally {
      await engine.close();
    }
  }, 60_000);

  it("5,000 probes are refused before anything runs, naming the project and the limit, and leave no lock", () => {
    const r = runMany(5000);
    expect(r.signal).toBeNull();
    expect(r.code, r.output).toBe(1);
    expect(r.output).toMatch(
      /project many-probes is too big for the duckdb engine: its 5000 probes make 7500 statistics columns, above the limit of 300/,
    );
    expect(readdirSync(dir).filter((f) => f.endsWith(".lock"))).toEqual([]);
    expect(existsSync(join(dir, "warehouse.duckdb"))).toBe(true);
  }, 120_000);

  it("200 probes (300 statistics columns, the limit) run in bounded memory", () => {
    const r = runMany(200);
    expect(r.code, r.output).toBe(0);
    expect(r.output).toMatch(/succeeded\s+many-probes/);
    expect(r.peakMb).toBeLessThan(2048);
    expect(readdirSync(dir).filter((f) => f.endsWith(".lock"))).toEqual([]);
  }, 300_000);
});
