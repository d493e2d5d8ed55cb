import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opmon } from "../helpers/cli.js";

// Spawned on purpose: a user's folder outside this repository resolves `opmon` only through the
// running tool's Node resolution hook, which the test runner's own module loader would bypass.
const work = mkdtempSync(join(tmpdir(), "opmon-outside-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const fixtures = join(import.meta.dirname, "..", "toml", "fixtures");

describe("a config folder outside any opmon checkout", () => {
  const dir = join(work, "monitoring");

  it("imports into a plain folder, writing the package.json its modules need, and says so", () => {
    const run = opmon(["import", join(fixtures, "autumn-2022"), "--out", dir], work);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`package.json written to ${dir}: it says "type": "module"`);
    expect(JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))).toEqual({ private: true, type: "module" });
  });

  it("imports one project file against the folder's platform definitions", () => {
    const run = opmon(["import", join(fixtures, "single", "memory-rollout.toml"), "--config-dir", dir], work);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`1 module(s) written to ${dir}`);
    expect(readFileSync(join(dir, "projects", "memory-rollout.ts"), "utf8")).toContain('from "../definitions/firefox_desktop.js"');
  });

  it("validates there, with `opmon` resolved to the running tool, and compiles SQL", () => {
    const validated = opmon(["validate", "--config-dir", dir], work);
    expect(validated.stdout + validated.stderr).toContain("2 project(s) checked: 0 error(s), 1 warning(s)");
    expect(validated.code).toBe(0);
    const sql = opmon(["sql", "memory-rollout", "--config-dir", dir, "--date", "2026-10-05", "--dialect", "duckdb"], work);
    expect(sql.code, sql.stderr).toBe(0);
    expect(sql.stdout).toContain("memory_rollout_v1");
  });

  it("without its package.json, says what the folder needs", () => {
    rmSync(join(dir, "package.json"));
    const validated = opmon(["validate", "--config-dir", dir], work);
    expect(validated.code).toBe(1);
    expect(validated.stdout + validated.stderr).toContain('(give the config directory a package.json saying "type": "module" (opmon import writes one))');
  });
});
