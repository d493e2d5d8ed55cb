import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { opmon, scratchConfigDir } from "../helpers/cli.js";

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("opmon validate", () => {
  it("passes on the repository's demo projects", () => {
    const r = opmon(["validate"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("3 project(s) checked: 0 error(s), 0 warning(s)");
    expect(r.code).toBe(0);
  });

  it("names the file, the position and the right probe for a misspelling", () => {
    const dir = scratchConfigDir();
    scratch.push(dir);
    const source = readFileSync(join(dir, "projects/gc-tuning-experiment.ts"), "utf8");
    writeFileSync(join(dir, "projects/typo.ts"), source.replace("probes: (p) => [p.gc_ms,", "probes: (p) => [p.gc_mss,"));
    const r = opmon(["validate", "--config-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('projects/typo.ts:12:21 error at probes: TS2551: unknown probe "gc_mss" (did you mean "gc_ms"?)');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("lists every runtime problem of a project at once, as JSON for scripts", () => {
    const dir = scratchConfigDir();
    scratch.push(dir);
    const path = join(dir, "projects/tab-unloading-rollout.ts");
    const source = readFileSync(path, "utf8")
      .replace('startDate: "2026-10-15"', 'startDate: "2026-10-15", endDate: "2026-10-01"')
      .replace('channel: "release"', 'channel: "release" as "release", branches: ["on", "o\'ff"]');
    writeFileSync(path, source);
    const r = opmon(["validate", "--config-dir", dir, "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { issues: { file: string; path: string; message: string }[] };
    expect(report.issues.map((i) => `${i.file} ${i.path}: ${i.message}`)).toEqual([
      "projects/tab-unloading-rollout.ts population.branches[1]: branch names may only hold letters, digits, '_', '.' and '-'",
      "projects/tab-unloading-rollout.ts endDate: start date 2026-10-15 is after end date 2026-10-01",
    ]);
  });

  it("reports a module that does not load, naming the file, and still checks the others", () => {
    const dir = scratchConfigDir();
    scratch.push(dir);
    writeFileSync(join(dir, "projects/broken.js"), "export default 42;\n");
    const r = opmon(["validate", "--config-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("projects/broken.js error: the default export is not defineProject(...)");
    // the module that did not load counts among the projects checked
    expect(r.stdout).toContain("4 project(s) checked: 1 error(s)");
  });
});

describe("opmon graph and list", () => {
  it("prints the resolved graph as JSON", () => {
    const r = opmon(["graph", "desktop-nightly-health", "--json"]);
    expect(r.code).toBe(0);
    const graph = JSON.parse(r.stdout);
    expect(graph).toMatchObject({
      slug: "desktop-nightly-health",
      xaxis: "build_id",
      population: { branching: { mode: "entire_population" }, channel: "nightly", groupByDimension: "os" },
      metricGroups: [{ name: "crashes", probes: ["main_crashes", "content_crashes", "gpu_crashes"] }],
    });
    expect(graph.probes.map((p: { name: string }) => p.name)).toEqual([
      "gc_ms",
      "memory_total",
      "input_event_response_ms",
      "startup_first_paint_ms",
      "main_crashes",
      "content_crashes",
      "gpu_crashes",
    ]);
  });

  it("suggests the closest slug for an unknown one", () => {
    const r = opmon(["graph", "gc-tuning-experimnt"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('opmon: no project "gc-tuning-experimnt" in . (did you mean "gc-tuning-experiment"?)');
  });

  it("lists projects with where their values came from", () => {
    const r = opmon(["list", "--json"]);
    expect(r.code).toBe(0);
    const { projects } = JSON.parse(r.stdout) as { projects: { slug: string; branches: string[]; provenance: Record<string, string> }[] };
    expect(projects.map((p) => [p.slug, p.branches.join("/")])).toEqual([
      ["desktop-nightly-health", "active"],
      ["gc-tuning-experiment", "control/treatment"],
      ["tab-unloading-rollout", "enabled/disabled"],
    ]);
    expect(projects[2]?.provenance["population.dataSource"]).toBe("project");
    expect(projects[1]?.provenance["xaxis"]).toBe("project");
  });
});

describe("command line usage", () => {
  it("has --help on every command and exits 2 on bad usage", () => {
    for (const command of ["init", "validate", "list", "graph"]) {
      const r = opmon([command, "--help"]);
      expect(r.code, command).toBe(0);
      expect(r.stdout).toContain(`$ opmon ${command}`);
    }
    expect(opmon(["frobnicate"]).code).toBe(2);
    expect(opmon(["graph"]).code).toBe(2);
    expect(opmon(["list", "--bogus"]).code).toBe(2);
  });
});

describe("opmon init", () => {
  it("scaffolds a config repository whose own npm test passes", () => {
    const parent = mkdtempSync(join(tmpdir(), "opmon-init-"));
    scratch.push(parent);
    const dir = join(parent, "monitoring");
    const r = opmon(["init", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("npm install && npm test");
    expect(opmon(["init", dir]).code).toBe(1); // refuses a non-empty directory
    const npm = (args: string[]) => spawnSync("npm", args, { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    const install = npm(["install", "--no-audit", "--no-fund"]);
    expect(install.status, install.stderr).toBe(0);
    const test = npm(["test"]);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toContain("1 project(s) checked: 0 error(s), 0 warning(s)");
  }, 300_000);
});
