import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "smol-toml";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { ROOT, TEST_SCRATCH } from "../helpers/cli.js";

const fixture = join(ROOT, "test/toml/fixtures/branch-difference");
const work = join(TEST_SCRATCH, `branch-difference-${process.pid}`);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the CLI in process, returning its exit code and what it wrote to stderr. */
async function cli(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  let stderr = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, "write").mockImplementation(() => true);
  try {
    return { code: await main(args), stderr };
  } finally {
    vi.restoreAllMocks();
  }
}

describe("branch_difference alerts in TOML", () => {
  it("import to .ts and export back to the same keys and values", async () => {
    mkdirSync(work, { recursive: true });
    const modules = join(work, "modules");
    const imported = await cli(["import", fixture, "--out", modules]);
    expect(imported.code, imported.stderr).toBe(0);
    const project = readFileSync(join(modules, "projects", "gc-experiment.ts"), "utf8");
    expect(project).toContain('type: "branch_difference"');
    expect(project).toContain("falseDiscoveryRate: 0.02");
    expect(project).toContain('direction: "both"');
    const toml = join(work, "toml");
    const exported = await cli(["export", "--config-dir", modules, "--out", toml]);
    expect(exported.code, exported.stderr).toBe(0);
    const back = parse(readFileSync(join(toml, "opmon", "gc-experiment.toml"), "utf8")) as { alerts: Record<string, unknown> };
    const original = parse(readFileSync(join(fixture, "gc-experiment.toml"), "utf8")) as { alerts: Record<string, unknown> };
    expect(back.alerts).toEqual(original.alerts);
  }, 60_000);

  it("a bad direction or false_discovery_rate is an error naming the file and the key, and nothing is written", async () => {
    const bad = join(work, "bad");
    cpSync(fixture, bad, { recursive: true });
    const file = join(bad, "gc-experiment.toml");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace('direction = "both"', 'direction = "worse"').replace("false_discovery_rate = 0.02", "false_discovery_rate = 5"),
    );
    const out = join(work, "bad-out");
    const run = await cli(["import", bad, "--out", out]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/gc-experiment\.toml.*alerts\.gc_any\.direction.*direction "worse" is not one of regression, both/);
    expect(run.stderr).toMatch(/gc-experiment\.toml.*alerts\.gc_worse\.false_discovery_rate.*strictly between 0 and 1/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
