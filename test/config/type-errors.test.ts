import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { ROOT, TEST_SCRATCH } from "../helpers/cli.js";

// a config dir inside the repository, with the demo definitions, and one project per authoring mistake
mkdirSync(TEST_SCRATCH, { recursive: true });
const dir = mkdtempSync(join(TEST_SCRATCH, "type-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(ROOT, "definitions"), join(dir, "definitions"), { recursive: true });
mkdirSync(join(dir, "projects"));

const project = (name: string, body: string) =>
  writeFileSync(
    join(dir, "projects", `${name}.ts`),
    `import { defineProject } from "opmon";\nimport { desktop } from "../definitions/firefox_desktop.js";\n\nexport default defineProject({\n  platform: desktop,\n  startDate: "2026-10-15",\n${body}\n});\n`,
  );
// line 7 of each file is the first line of the body
project("wrong-statistic", `  probes: (p) => [p.gc_ms],\n  statistics: { gc_ms: { mean: {} } },`);
project("group-by", `  probes: (p) => [p.main_crashes],\n  population: { dimensions: (d) => [d.os], groupByDimension: (d) => d.cores },`);
project("threshold", `  probes: (p) => [p.main_crashes],\n  alerts: { ceiling: { type: "threshold", probes: (p) => [p.main_crashes] } },`);
project("unknown-probe", `  probes: (p) => [p.main_crashes],\n  alerts: { typo: { type: "ci_overlap", probes: (p) => [p.main_crashez] } },`);
project("avg-diff", `  probes: (p) => [p.main_crashes],\n  alerts: { drift: { type: "avg_diff", probes: (p) => [p.main_crashes], maxRelativeChange: 0.1 } },`);
// every probe here has default statistics, so leaving them out is fine
project("no-statistics", `  probes: (p) => [p.main_crashes, p.memory_total],\n  population: { dataSource: (ds) => ds.main, dimensions: (d) => [d.os], groupByDimension: (d) => d.os },`);

describe("opmon validate on authoring mistakes", () => {
  it("says each in plain words on the line and config path it is on, never a generic type", async () => {
    let output = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((output += String(chunk)), true));
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((output += String(chunk)), true));
    const code = await main(["validate", "--config-dir", dir]);
    vi.restoreAllMocks();
    expect(code).toBe(1);
    // CI=true turns colours on: compare what a person reads
    output = output.replace(/\x1b\[[0-9;]*m/g, "");
    const errors = output.split("\n").filter((l) => l.includes(" error at "));
    expect(errors).toEqual([
      'projects/avg-diff.ts:8:13 error at alerts.drift: TS2322: avg_diff alert "drift" needs windowSize',
      'projects/group-by.ts:8:44 error at population.groupByDimension: TS2322: group-by dimension "cores" is not among the project\'s dimensions',
      'projects/threshold.ts:8:13 error at alerts.ceiling: TS2322: threshold alert "ceiling" needs min or max',
      'projects/unknown-probe.ts:8:59 error at alerts.typo.probes: TS2551: unknown probe "main_crashez" (did you mean "main_crashes"?)',
      'projects/wrong-statistic.ts:8:26 error at statistics.gc_ms.mean: TS2353: statistic "mean" does not apply to histogram probe "gc_ms"',
    ]);
    expect(output).not.toMatch(/Probe<|Dimension<|AlertOptions</);
    expect(output).toContain("6 project(s) checked: 5 error(s)");
  }, 120_000);

  it("type-checks a project that uses Node's API with the Node types its tsconfig names, as tsc does", async () => {
    const nodeDir = mkdtempSync(join(TEST_SCRATCH, "node-types-"));
    try {
      cpSync(join(ROOT, "definitions"), join(nodeDir, "definitions"), { recursive: true });
      mkdirSync(join(nodeDir, "projects"));
      const compilerOptions = { module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, types: ["node"] };
      writeFileSync(join(nodeDir, "tsconfig.json"), JSON.stringify({ compilerOptions }));
      writeFileSync(
        join(nodeDir, "projects", "from-env.ts"),
        `import { defineProject } from "opmon";\nimport { cpus } from "node:os";\nimport { desktop } from "../definitions/firefox_desktop.js";\n\n` +
          `export default defineProject({\n  platform: desktop,\n  startDate: process.env.OPMON_START ?? "2026-10-15",\n` +
          `  probes: (p) => (cpus().length > 0 ? [p.main_crashes] : [p.memory_total]),\n  population: { dataSource: (ds) => ds.main },\n});\n`,
      );
      let output = "";
      vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((output += String(chunk)), true));
      vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((output += String(chunk)), true));
      const code = await main(["validate", "--config-dir", nodeDir]);
      vi.restoreAllMocks();
      expect(output.replace(/\x1b\[[0-9;]*m/g, "")).toContain("1 project(s) checked: 0 error(s)");
      expect(code).toBe(0);
    } finally {
      rmSync(nodeDir, { recursive: true, force: true });
    }
  }, 120_000);
});
