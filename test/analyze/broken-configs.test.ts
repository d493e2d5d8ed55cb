import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import { ROOT, type CliResult } from "../helpers/cli.js";

// Configs a user can write that BigQuery or DuckDB would reject, each caught by `opmon validate`
// against the real schemas in test/fixtures/schemas, with one line naming the file, the snippet
// and the cause. One validate run lists them all (one ZetaSQL server start).

const SCHEMAS = join(ROOT, "test", "fixtures", "schemas");

async function opmon(args: readonly string[]): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, "");
  try {
    const code = await main(args);
    return { code, stdout: plain(stdout), stderr: plain(stderr) };
  } finally {
    vi.restoreAllMocks();
  }
}

const DEFINITIONS = `
[data_sources.main]
from_expression = "mozdata.telemetry.main"
submission_date_column = "DATE(submission_timestamp)"

[data_sources.clients_daily]
from_expression = "mozdata.telemetry.clients_daily"
submission_date_column = "submission_date"

[metrics.uri_count]
data_source = "main"
select_expression = "SUM(payload.processes.parent.scalars.browser_engagement_total_uri_count)"
type = "scalar"

[metrics.uri_count.statistics]
mean = {}

[metrics.active_hours]
data_source = "clients_daily"
select_expression = "SUM(active_hours_sum)"
type = "scalar"

[metrics.active_hours.statistics]
mean = {}
`;

/** A project monitoring one metric, defined in the project itself. */
const project = (name: string, metric: string, extra = "", population = "monitor_entire_population = true") => `
[project]
name = "${name}"
platform = "firefox_desktop"
start_date = "2026-11-01"
end_date = "2026-11-10"
metrics = ["${metric}"]
${extra}

[project.population]
data_source = "main"
${population}
`;

const metric = (name: string, select: string, statistic = "mean") => `
[metrics.${name}]
data_source = "main"
select_expression = "${select}"
type = "scalar"

[metrics.${name}.statistics]
${statistic} = {}
`;

const PROJECTS: Record<string, string> = {
  "clean-project": project("Clean", "uri_count"),
  "unknown-column": project("Unknown column", "subsessions") + metric("subsessions", "SUM(payload.info.subsession_lenght)"),
  "nested-aggregate": project("Nested aggregate", "nested") + metric("nested", "SUM(SUM(payload.info.subsession_length))"),
  "text-mean": project("Text mean", "os_name") + metric("os_name", "ANY_VALUE(normalized_os)"),
  "text-pref": project("Text pref", "uri_count", "", 'boolean_pref = "normalized_channel"'),
  "build-over-build": project("Build over build", "active_hours", 'xaxis = "build_id"', "monitor_entire_population = true").replace(
    'data_source = "main"',
    'data_source = "clients_daily"',
  ),
  "farm-sample": project("Farm sample", "sampled") + metric("sampled", "COUNTIF(MOD(ABS(FARM_FINGERPRINT(client_id)), 10) = 0)"),
};

describe("opmon validate on configs BigQuery or DuckDB would reject", () => {
  let dir: string;
  let imported: string;
  let result: CliResult;
  beforeAll(async () => {
    mkdirSync(join(ROOT, "test-artifacts"), { recursive: true });
    dir = mkdtempSync(join(ROOT, "test-artifacts", "broken-"));
    const src = join(dir, "src");
    mkdirSync(join(src, "opmon"), { recursive: true });
    mkdirSync(join(src, "definitions"), { recursive: true });
    writeFileSync(join(src, "definitions", "firefox_desktop.toml"), DEFINITIONS);
    for (const [slug, text] of Object.entries(PROJECTS)) writeFileSync(join(src, "opmon", `${slug}.toml`), text);
    imported = join(dir, "imported");
    const imports = await opmon(["import", src, "--out", imported]);
    expect(imports.code, imports.stderr).toBe(0);
    result = await opmon(["validate", "--config-dir", imported, "--schemas", SCHEMAS, "--date", "2026-11-05"]);
  }, 240_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const lineFor = (slug: string) => {
    const lines = result.stderr.split("\n").filter((l) => l.startsWith(`projects/${slug}.ts`) || l.includes(`(in project ${slug})`));
    expect(lines, result.stderr).toHaveLength(1);
    return lines[0] ?? "";
  };

  it("exits 1 and says which checks ran", () => {
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("checks: types, config, BigQuery SQL (ZetaSQL), DuckDB SQL");
    expect(result.stdout).toContain("7 project(s) checked: 6 error(s), 0 warning(s)");
    expect(result.stdout).toMatch(/BigQuery SQL: \d+ statement\(s\) analyzed/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("passes a clean project", () => {
    expect(result.stderr).not.toContain("projects/clean-project.ts");
  });

  it("names an unknown column, with did-you-mean", () => {
    expect(lineFor("unknown-column")).toMatch(
      /^projects\/unknown-column\.ts:\d+:\d+ error at probe subsessions: .*Field name subsession_lenght does not exist.*Did you mean subsession_length\?.*in "SUM\(payload\.info\.subsession_lenght\)"/,
    );
  });

  it("names a nested aggregate", () => {
    expect(lineFor("nested-aggregate")).toMatch(/error at probe nested: .*Aggregations of aggregations are not allowed in "SUM\(SUM\(/);
  });

  it("names a text probe with a mean", () => {
    expect(lineFor("text-mean")).toMatch(/error at probe os_name: .*statistic mean needs a number, but the probe gives STRING/);
  });

  it("names a boolean pref that is not BOOL", () => {
    expect(lineFor("text-pref")).toMatch(/error at population boolean pref: .*must be BOOL, but it gives STRING in "normalized_channel"/);
  });

  it("names the data source of a build-over-build project whose table has no build id column", () => {
    expect(lineFor("build-over-build")).toMatch(
      /^definitions\/firefox_desktop\.ts:\d+:\d+ error at data source clients_daily \(build id column\) \(in project build-over-build\): .*Unrecognized name: application.*must name its build id column/,
    );
  });

  it("names an untranslatable construct", () => {
    expect(lineFor("farm-sample")).toMatch(/error at probe sampled: DuckDB: cannot translate FARM_FINGERPRINT/);
  });
});
