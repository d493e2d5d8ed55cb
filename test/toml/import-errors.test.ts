import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli } from "../helpers/cli.js";

const root = join(import.meta.dirname, "..", "..");
const fixtures = join(import.meta.dirname, "fixtures");
/** The CLI, run in this process (starting a node process per call cost seconds each). */
const opmon = async (...args: string[]) => {
  const r = await cli(args, root);
  return { status: r.code, stdout: r.stdout, stderr: r.stderr };
};
mkdirSync(join(root, "test-artifacts"), { recursive: true });
const work = mkdtempSync(join(root, "test-artifacts", "toml-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("opmon import errors", () => {
  it("reports malformed TOML with file, line, column and reason, and writes nothing", async () => {
    const out = join(work, "malformed");
    const run = await opmon("import", join(fixtures, "malformed"), "--out", out);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/broken\.toml:4:\d+: malformed TOML: \S+/);
    expect(existsSync(out)).toBe(false);
  });

  it("lists every unresolvable reference with did-you-mean, warns on unknown keys, and writes nothing", async () => {
    const out = join(work, "typos");
    const run = await opmon("import", join(fixtures, "unknown-refs"), "--out", out);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown probe "gc_mss" (did you mean "gc_ms"?)');
    expect(run.stderr).toContain('unknown data source "mainn" (did you mean "main"?)');
    expect(run.stderr).toContain('unknown dimension "oss" (did you mean "os"?)');
    expect(run.stderr).toMatch(/typos\.toml warning at project\.colour: unknown key "colour"/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("seed-era configs", () => {
  it("map [probes] and project.probes to metrics with an explicit aggregate, and say so", async () => {
    const out = join(work, "seed");
    const run = await opmon("import", join(fixtures, "seed-era"), "--out", out);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("seed-era probe mapped to a metric: select SUM(SAFE_CAST(");
    const project = readFileSync(join(out, "projects", "fission.ts"), "utf8");
    expect(project).toContain('"ARRAY_AGG(mozfun.hist.extract(payload.histograms.gc_ms) IGNORE NULLS)"');
    expect(project).toContain("// a seed-era probe: the expression is per row");
    const graph = await opmon("graph", "fission", "--config-dir", out, "--json");
    expect(graph.status, graph.stderr).toBe(0);
    const probes = (JSON.parse(graph.stdout) as { probes: { name: string; select: string }[] }).probes;
    expect(probes.map((p) => p.name)).toEqual(["memory_pressure_count", "gc_ms"]);
  }, 60_000);
});
