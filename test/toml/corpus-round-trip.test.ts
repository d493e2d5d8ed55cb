import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfigDir } from "../../src/graph/resolve-config-dir.js";
import { planDay } from "../../src/sql/plan-day.js";
import { cli } from "../helpers/cli.js";

const root = join(import.meta.dirname, "..", "..");
const corpus = join(root, "test", "fixtures", "metric-hub");
/** The CLI, run in this process (starting a node process per call cost seconds each). */
const opmon = async (...args: string[]) => {
  const r = await cli(args, root);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
};
const tomlFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((f) =>
    statSync(join(dir, f)).isDirectory() ? tomlFiles(join(dir, f)) : f.endsWith(".toml") ? [join(dir, f)] : [],
  );

describe("metric-hub corpus", () => {
  let work: string;
  let imported: string;
  let exported: string;
  let importRun: Awaited<ReturnType<typeof opmon>>;
  beforeAll(async () => {
    mkdirSync(join(root, "test-artifacts"), { recursive: true });
    // inside the repository, so generated modules resolve `import ... from "opmon"`
    work = mkdtempSync(join(root, "test-artifacts", "corpus-"));
    imported = join(work, "imported");
    exported = join(work, "exported");
    importRun = await opmon("import", corpus, "--out", imported);
  }, 120_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("imports every file, with notices for what travels through extra", async () => {
    expect(importRun.status, importRun.stderr).toBe(0);
    expect(importRun.stderr).toContain("segments");
    expect(readdirSync(join(imported, "projects"))).toHaveLength(50);
  });

  it("type-checks and resolves every imported project", async () => {
    const run = await opmon("validate", "--config-dir", imported, "--json");
    const report = JSON.parse(run.stdout) as { projects: { slug: string; valid: boolean }[]; issues: { severity: string }[] };
    expect(report.issues.filter((i) => i.severity === "error")).toEqual([]);
    expect(report.projects.filter((p) => !p.valid)).toEqual([]);
    expect(run.status).toBe(0);
  }, 120_000);

  it("compiles every project that runs to SQL for both BigQuery and DuckDB", async () => {
    const { projects } = await resolveConfigDir(imported);
    const failures: string[] = [];
    let compiled = 0;
    for (const { slug, graph } of projects) {
      if (!graph || graph.skip) continue;
      for (const dialect of ["bigquery", "duckdb"] as const) {
        try {
          expect(planDay(graph, graph.startDate ?? "2024-01-01", { dialect, pretty: false }).length).toBeGreaterThan(3);
          compiled++;
        } catch (error) {
          failures.push(`${slug} (${dialect}): ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(compiled).toBeGreaterThanOrEqual(60);
  }, 120_000);

  it("exports TOML that parses to the same data as every corpus file", async () => {
    const run = await opmon("export", "--config-dir", imported, "--out", exported);
    expect(run.status, run.stderr).toBe(0);
    const files = tomlFiles(corpus);
    expect(files.length).toBeGreaterThan(70);
    for (const file of files) {
      const path = relative(corpus, file);
      const original = parse(readFileSync(file, "utf8"));
      const back = parse(readFileSync(join(exported, path), "utf8"));
      expect(back, path).toEqual(original);
    }
  }, 120_000);

  it("gives the same modules when imported again", async () => {
    const again = join(work, "again");
    expect((await opmon("import", corpus, "--out", again)).status).toBe(0);
    for (const folder of ["definitions", "defaults", "projects"]) {
      for (const f of readdirSync(join(imported, folder))) {
        expect(readFileSync(join(again, folder, f), "utf8"), f).toBe(readFileSync(join(imported, folder, f), "utf8"));
      }
    }
  }, 120_000);
});
