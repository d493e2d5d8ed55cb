import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDbEngine } from "../../src/engines/duckdb/duckdb-engine.js";
import { opmon, ROOT } from "../helpers/cli.js";

const dir = mkdtempSync(join(tmpdir(), "opmon-kill-"));
const warehouse = join(dir, "warehouse.duckdb");
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// statistics through the long view at single precision: parallel float sums may differ in the last bits
// of a double between reruns (summation order), never in the first seven digits
const TABLES: Record<string, string> = {
  metrics: "operational_monitoring_derived.gc_tuning_experiment_v1",
  statistics:
    "(SELECT * REPLACE (CAST(point AS FLOAT) AS point, CAST(lower AS FLOAT) AS lower, CAST(upper AS FLOAT) AS upper) FROM operational_monitoring.gc_tuning_experiment_statistics)",
  alerts: "operational_monitoring_derived.gc_tuning_experiment_alerts_v2",
};
const backfill = [
  "backfill",
  "--slug",
  "gc-tuning-experiment",
  "--start-date",
  // three days: every step of a day, and days after a killed one, at half the cost of six
  "2026-11-25",
  "--end-date",
  "2026-11-27",
  "--warehouse",
  warehouse,
  "--no-experimenter",
  // the type-check before a run reads the config only: kill points spent in it would test nothing here
  "--no-type-check",
];

/** Per table and day: row count and a digest of every row. */
async function snapshot(): Promise<Record<string, unknown>> {
  const engine = await DuckDbEngine.open(warehouse);
  try {
    const out: Record<string, unknown> = {};
    for (const [name, table] of Object.entries(TABLES)) {
      out[name] = await engine.query(
        `SELECT CAST(submission_date AS VARCHAR) AS d, count(*) AS n, sum(hash(COLUMNS(*))) AS h FROM ${table} GROUP BY 1 ORDER BY 1`,
      );
    }
    return out;
  } finally {
    await engine.close();
  }
}

/** Starts a backfill and kills it (SIGKILL, no cleanup) after `ms`; resolves with how it ended and when. */
function killAfter(ms: number): Promise<{ ending: string; ms: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [join(ROOT, "bin/opmon.js"), ...backfill], { cwd: ROOT, stdio: "ignore" });
    const timer = setTimeout(() => child.kill("SIGKILL"), ms);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      resolve({ ending: signal ?? `exit ${code}`, ms: performance.now() - started });
    });
  });
}

describe("runs killed at random points", () => {
  let reference: Record<string, unknown>;
  beforeAll(async () => {
    const demo = opmon(["demo", "--warehouse", warehouse, "--out", join(dir, "site"), "--clients", "300", "--days", "6"]);
    expect(demo.code, demo.stderr).toBe(0);
    reference = await snapshot();
  }, 180_000);

  it("always leave every partition as it was or fully rewritten, and the next run completes", async () => {
    let random = 42;
    const next = () => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    // kill points spread over how long a whole run takes on this machine, startup included; a run that
    // ends before its kill point is not a killed one, and says that whole runs take no longer than it did
    const first = await killAfter(600_000);
    expect(first.ending).toBe("exit 0");
    let runMs = first.ms;
    const endings: string[] = [];
    // until 20 runs were killed mid-run
    for (let i = 0; endings.filter((e) => e === "SIGKILL").length < 20 && i < 60; i++) {
      const run = await killAfter(Math.floor(runMs * (0.05 + 0.9 * next())));
      endings.push(run.ending);
      if (run.ending !== "SIGKILL") runMs = Math.min(runMs, run.ms);
      // a rerun gives identical rows, so "as it was" and "fully written" both read as the reference
      expect(await snapshot(), `after kill point ${i + 1}`).toEqual(reference);
    }
    const killed = endings.filter((e) => e === "SIGKILL").length;
    console.log(
      `kill points survived: ${killed} killed mid-run of a ${Math.round(runMs)} ms run (${endings.length - killed} other run(s) ended first: ${endings.filter((e) => e !== "SIGKILL").join(", ") || "none"})`,
    );
    expect(killed).toBe(20);
    // a killed run leaves its lock behind; the next run sees its process is gone and takes it over
    const repair = opmon(backfill);
    expect(repair.code, repair.stderr).toBe(0);
    expect(await snapshot()).toEqual(reference);
    // the repair run released its lock, and no takeover claim of the killed runs is left
    expect(readdirSync(dir).filter((f) => f.startsWith("warehouse.duckdb.lock"))).toEqual([]);
  }, 420_000);
});
