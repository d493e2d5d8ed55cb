import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cli, scratchConfigDir } from "../helpers/cli.js";

const scratch: string[] = [];
afterAll(() => scratch.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe("opmon validate", () => {
  it("passes on the repository's demo projects", async () => {
    const r = await cli(["validate"]);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("3 project(s) checked: 0 error(s), 0 warning(s)");
    expect(r.code).toBe(0);
  });

  it("names the file, the position and the right probe for a misspelling", async () => {
    const dir = scratchConfigDir();
    scratch.push(dir);
    const source = readFileSync(join(dir, "projects/gc-tuning-experiment.ts"), "utf8");
    writeFileSync(join(dir, "projects/typo.ts"), source.replace("probes: (p) => [p.gc_ms,", "probes: (p) => [p.gc_mss,"));
    const r = await cli(["validate", "--config-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('projects/typo.ts:12:21 error at probes: TS2551: unknown probe "gc_mss" (did you mean "gc_ms"?)');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it("lists every runtime problem of a project at once, as JSON for scripts", async () => {
    const dir = scratchConfigDir();
    scratch.push(dir);
    const path = join(dir, "projects/tab-unloading-rollout.ts");
    const source = readFileSync(path, "utf8")
      .replace('startDate: "2026-10-15"', 'startDate: "2026-10-15", endDate: "2026-10-01"')
      .replace('channel: "release"', 'channel: "release" as "release", branches: ["on", "o\'ff"]');
    writeFileSync(path, source);
    const r = await cli(["validate", "--config-dir", dir, "--json"]);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { issues: { file: string; path: string; message: string }[] };
    expect(report.issues.map((i) => `${i.file} ${i.path}: ${i.message}`)).toEqual([
      "projects/tab-unloading-rollout.ts population.branches[1]: branch names may only hold letters, digits, '_', '.' and '-'",
      "projects/tab-unloading-rollout.ts endDate: start date 2026-10-15 is after end date 2026-10-01",
    ]);
  });

  it("reports a module that does not load, naming the file, and still checks the others", async () => {
    const dir = scratchConfigDir();
    scratch.push(dir);
    writeFileSync(join(dir, "projects/broken.js"), "export default 42;\n");
    const r = await cli(["validate", "--config-dir", dir]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("projects/broken.js error: the default export is not defineProject(...)");
    // the module that did not load counts among the projects checked
    expect(r.stdout).toContain("4 project(s) checked: 1 error(s)");
  });
});

describe("opmon graph and list", () => {
  it("prints the resolved graph as JSON", async () => {
    const r = await cli(["graph", "desktop-nightly-health", "--json"]);
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

  it("suggests the closest slug for an unknown one", async () => {
    const r = await cli(["graph", "gc-tuning-experimnt"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('opmon: no project "gc-tuning-experimnt" in . (did you mean "gc-tuning-experiment"?)');
  });

  it("lists projects with where their values came from", async () => {
    const r = await cli(["list", "--json"]);
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
  it("has --help on every command and exits 2 on bad usage", async () => {
    for (const command of ["init", "validate", "list", "graph"]) {
      const r = await cli([command, "--help"]);
      expect(r.code, command).toBe(0);
      expect(r.stdout).toContain(`$ opmon ${command}`);
    }
    // a --no-x flag is off unless given: its help must not read "(default: true)"
    const run = await cli(["run", "--help"]);
    expect(run.stdout).toMatch(/--no-experimenter\s+Do not consult Experimenter \(no automatic rollout monitoring\)\s*\n/);
    expect(run.stdout).not.toContain("(default: true)");
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["graph"])).code).toBe(2);
    expect((await cli(["list", "--bogus"])).code).toBe(2);
  });
});

describe("opmon init", () => {
  // test/package/pack-install.test.ts installs a scaffold and runs its npm test
  it("scaffolds a config repository and refuses a directory that is not empty", async () => {
    const parent = mkdtempSync(join(tmpdir(), "opmon-init-"));
    scratch.push(parent);
    const dir = join(parent, "monitoring");
    const r = await cli(["init", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("npm install && npm test");
    expect(readFileSync(join(dir, "projects/my-rollout.ts"), "utf8")).toContain('from "opmon"');
    const again = await cli(["init", dir]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("exists and is not empty");
    const missing = await cli(["init", join(parent, "other"), "--from-tarball", join(parent, "nope.tgz")]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("--from-tarball");
  });
});
