import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigDir } from "../../src/config/load-config-dir.js";
import { resolveConfigDir, type ResolvedProject } from "../../src/graph/resolve-config-dir.js";
import { selectProjects } from "../../src/run/select-projects.js";
import { planDay } from "../../src/sql/plan-day.js";
import { importToml, writeModules } from "../../src/toml/import-toml.js";
import { loadTomlRepo } from "../../src/toml/toml-repo.js";
import { cli } from "../helpers/cli.js";

/**
 * The cases of upstream OpMon's `opmon/tests/test_monitoring.py` and `opmon/tests/test_config.py`,
 * through opmon's own path: the same TOML imported with metric-hub (upstream's `ConfigLoader` reads
 * metric-hub; here the vendored corpus), resolved, selected for a day and compiled. Each `it` names
 * the upstream test it ports; inputs and assertions are upstream's (its `_check_runnable` exceptions
 * become the run's skip reasons).
 *
 * Upstream cases that do not apply:
 * - test_config.py test_configs_from: loads metric-hub again from its GitHub URL; opmon imports local
 *   checkouts only (the network is not a config source).
 * - test_config.py test_get_nonexisting_outcome: outcomes are Jetstream's; OpMon never reads them.
 */
const root = join(import.meta.dirname, "..", "..");
const corpus = join(root, "test", "fixtures", "metric-hub");

/** Upstream's configs, by the slug its tests give them (file names; `test-foo` everywhere upstream). */
const CONFIGS: Record<string, string> = {
  // test_check_runnable: no start date
  "no-start": `[project]
metrics = ["test"]

[metrics.test]
select_expression = "SELECT 1"
data_source = "foo"

[metrics.test.statistics]
sum = {}

[data_sources.foo]
from_expression = "test"
`,
  // test_check_runnable: ended
  ended: `[project]
metrics = ["test"]
start_date = "2022-01-01"
end_date = "2022-01-01"

[metrics.test]
select_expression = "SELECT 1"
data_source = "foo"

[metrics.test.statistics]
sum = {}

[data_sources.foo]
from_expression = "test"
`,
  // test_check_runnable (runnable), test_get_metrics_sql; test_init_monitoring's slug
  "test-foo": `[project]
metrics = ["test"]
start_date = "2022-01-01"
end_date = "2022-02-01"

[project.population]
channel = "nightly"

[metrics.test]
select_expression = "SELECT 1"
data_source = "foo"
type = "scalar"

[metrics.test.statistics]
sum = {}

[data_sources.foo]
from_expression = "test_data_source"
`,
  // test_get_metrics_sql_no_metrics
  "no-metrics": `[project]
metrics = []
`,
  // test_get_metric_fenix_sql
  fenix: `[project]
metrics = ["test"]
start_date = "2022-01-01"
end_date = "2022-02-01"
platform = "fenix"

[project.population]
channel = "nightly"
data_source = "foo"

[metrics.test]
select_expression = "SELECT 1"
data_source = "foo"
type = "scalar"

[metrics.test.statistics]
sum = {}

[data_sources.foo]
from_expression = "{dataset}.test"
default_dataset = "test"
`,
};

let work: string;
let projects: readonly ResolvedProject[];
let config: ConfigDir;
/** The corpus's projects (upstream's `ConfigLoader.configs.configs`); the first three go through import and resolution. */
const corpusProjects = loadTomlRepo(corpus).projects;
const FIRST = [...corpusProjects.keys()].slice(0, 3);
const graphOf = (slug: string) => {
  const project = projects.find((p) => p.slug === slug);
  if (!project?.graph) throw new Error(`${slug} did not resolve: ${JSON.stringify(project?.issues)}`);
  return project.graph;
};
const metricsSql = (slug: string) =>
  planDay(graphOf(slug), "2022-01-02", { dialect: "bigquery", pretty: false }).find((q) => q.name === "metrics")?.sql ?? "";

beforeAll(async () => {
  mkdirSync(join(root, "test-artifacts"), { recursive: true });
  work = mkdtempSync(join(root, "test-artifacts", "upstream-monitoring-"));
  const source = join(work, "metric-hub");
  // metric-hub's definitions and defaults of the platforms these configs use and, to keep this fast, its first projects
  const files = ["definitions/functions.toml", "opmon/defaults/rollout.toml", ...FIRST.map((slug) => `opmon/${slug}.toml`)];
  for (const platform of ["firefox_desktop", "fenix"])
    files.push(...["definitions", "opmon/definitions", "opmon/defaults"].map((d) => `${d}/${platform}.toml`));
  for (const file of files) cpSync(join(corpus, file), join(source, file), { recursive: true });
  for (const [slug, toml] of Object.entries(CONFIGS)) writeFileSync(join(source, "opmon", `${slug}.toml`), toml);
  const { modules, issues } = await importToml(source);
  expect(issues.filter((i) => i.severity === "error")).toEqual([]);
  writeModules(join(work, "imported"), modules);
  ({ projects, config } = await resolveConfigDir(join(work, "imported")));
}, 120_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("upstream opmon/tests/test_monitoring.py", () => {
  it("test_init_monitoring: slug test-foo is normalised to test_foo in table names", () => {
    expect(graphOf("test-foo").tableSlug).toBe("test_foo");
    const tables = planDay(graphOf("test-foo"), "2022-01-02", { dialect: "bigquery" }).flatMap((q) =>
      q.destination ? [q.destination.table] : [],
    );
    expect(tables).toContain("`moz-fx-data-shared-prod.operational_monitoring_derived.test_foo_v1`");
  });

  it("test_check_runnable: no start date is not run; ended on 2022-02-01 is not run; within its dates on 2022-01-02 it runs", () => {
    expect(selectProjects(projects, "2022-02-01", "no-start").skipped).toEqual([{ slug: "no-start", reason: "no start date" }]);
    expect(selectProjects(projects, "2022-02-01", "ended").skipped).toEqual([{ slug: "ended", reason: "ended 2022-01-01" }]);
    expect(selectProjects(projects, "2022-01-02", "test-foo").run.map((g) => g.slug)).toEqual(["test-foo"]);
  });

  it("test_get_metrics_sql: the metrics SQL holds the metric's select expression and the data source's table", () => {
    const sql = metricsSql("test-foo");
    expect(sql).toContain("SELECT 1");
    expect(sql).toContain("test_data_source");
    expect(sql).toContain("population");
  });

  it("test_get_metrics_sql_no_metrics: a project monitoring no metrics of its own still queries its population", () => {
    expect(metricsSql("no-metrics")).toContain("population");
  });

  it("test_get_metric_fenix_sql: {dataset} of a fenix nightly project is the nightly app's dataset", () => {
    expect(metricsSql("fenix")).toContain("org_mozilla_fenix.");
  });
});

describe("upstream opmon/tests/test_config.py", () => {
  it("test_load_configs: metric-hub's project configs load (every file of opmon/), and those imported resolve", () => {
    const files = readdirSync(join(corpus, "opmon")).filter((f) => f.endsWith(".toml"));
    expect(corpusProjects.size).toBeGreaterThan(0);
    expect(corpusProjects.size).toBe(files.length);
    expect(FIRST.map((slug) => graphOf(slug).slug)).toEqual(FIRST);
  });

  it("test_spec_for_experiment: the first monitoring config has a resolved project", () => {
    const first = FIRST[0]!;
    expect(graphOf(first).slug).toBe(first);
  });

  it("test_spec_for_nonexisting_experiment: a slug no config has is reported, not run", async () => {
    expect(projects.some((p) => p.slug === "non_existing")).toBe(false);
    expect(selectProjects(projects, "2022-01-02", "non_existing")).toEqual({ run: [], skipped: [], invalid: [] });
    const r = await cli(["graph", "non_existing", "--config-dir", join(work, "imported")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no project "non_existing"');
  });

  it("test_get_data_source: the first platform's first probe with a data source finds it on its platform", () => {
    const platform = config.platforms.find((p) => Object.values(p.value.probes).some((probe) => probe.dataSource !== undefined))!.value;
    const probe = Object.values(platform.probes).find((p) => p.dataSource !== undefined)!;
    expect(platform.dataSources[probe.dataSource!.name]).toBeDefined();
  });

  it("test_get_nonexisting_data_source: no data source non_existing, no platform foo", () => {
    expect(config.platforms.some((p) => p.value.dataSources["non_existing"] !== undefined)).toBe(false);
    expect(config.platforms.some((p) => p.value.name === "foo")).toBe(false);
  });
});
