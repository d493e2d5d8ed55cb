import { describe, expect, it } from "vitest";
import { importTrees } from "./upstream-configs.js";

/**
 * The cases of mozilla/metric-config-parser's tests that concern monitoring (OpMon) configs, through
 * opmon's own path: upstream's TOML imported (`opmon import`), then resolved. Upstream's
 * `MonitoringSpec.merge(other)` of a definitions spec and a project spec is a platform definitions file
 * (`opmon/definitions/<platform>.toml`) under a project file; the merge of two project specs is the
 * same project file in two layered repositories (`opmon import A B`). Upstream's errors
 * (`ClassValidationError`, `ValueError`) become import or resolution errors naming the file and key.
 *
 * Upstream cases that do not apply (metric-config-parser tests not listed here):
 * - test_config.py (23 cases), test_analysis.py (28), test_experiment.py (21), test_outcomes.py (9),
 *   test_parameter.py (1), test_metric.py (2), test_sql.py (11): Jetstream's `AnalysisSpec`, outcomes,
 *   segments, exposure signals and analysis periods; OpMon never reads them.
 * - test_function.py (2): `functions.toml` parsing, which opmon imports as plain text substitution;
 *   its cases check Python attrs validation of the file's own shape.
 * - integration/test_config_integration.py (9): clone metric-hub and jetstream-config from GitHub and
 *   read them at past commits; opmon imports local checkouts (the corpus cases are in test/toml).
 */
const project = (slug: string, toml: string) => ({ [`opmon/${slug}.toml`]: toml });
const definitions = (toml: string) => ({ "opmon/definitions/firefox_desktop.toml": toml });
const codes = (issues: readonly { code: string }[]) => issues.map((i) => i.code);

describe("upstream metric_config_parser/tests/test_monitoring.py", () => {
  it("test_trivial_configuration: an empty config resolves, with no metrics", async () => {
    const { graph } = await importTrees(project("trivial", ""));
    expect(graph("trivial").probes).toEqual([]);
  });

  it("test_metric_definition: the metric's select expression and its data source's table", async () => {
    const { graph } = await importTrees(
      project(
        "test-foo",
        `[project]
metrics = ["test"]

[metrics]
[metrics.test]
select_expression = "SELECT 1"
data_source = "foo"

[metrics.test.statistics]
sum = {}

[data_sources]
[data_sources.foo]
from_expression = "test"
`,
      ),
    );
    const g = graph("test-foo");
    expect(g.probes.map((p) => [p.name, p.select, p.dataSource])).toEqual([["test", "SELECT 1", "foo"]]);
    expect(g.dataSources["foo"]?.from).toBe("test");
  });

  it("test_duplicate_metrics_are_okay: a metric listed twice is monitored once", async () => {
    const { graph } = await importTrees(
      project(
        "test-foo",
        `[project]
metrics = ["test", "test"]

[metrics]
[metrics.test]
select_expression = "SELECT 1"
data_source = "foo"

[metrics.test.statistics]
sum = {}

[data_sources]
[data_sources.foo]
from_expression = "test"
`,
      ),
    );
    expect(graph("test-foo").probes.map((p) => p.name)).toEqual(["test"]);
  });

  it("test_data_source_definition: each metric reads its own data source", async () => {
    const { graph } = await importTrees(
      project(
        "test-foo",
        `[project]
metrics = ["test", "test2"]

[metrics]
[metrics.test]
select_expression = "SELECT 1"
data_source = "eggs"

[metrics.test.statistics]
sum = {}

[metrics.test2]
select_expression = "SELECT 1"
data_source = "silly_knight"

[metrics.test2.statistics]
sum = {}

[data_sources.eggs]
from_expression = "england.camelot"

[data_sources.silly_knight]
from_expression = "france"
`,
      ),
    );
    const g = graph("test-foo");
    const source = (probe: string) => g.dataSources[g.probes.find((p) => p.name === probe)?.dataSource ?? ""];
    expect(source("test")?.name).toBe("eggs");
    expect(source("test")?.from).toContain("camelot");
    expect(source("test2")?.name).toBe("silly_knight");
    expect(source("test2")?.from).toContain("france");
  });

  it("test_merge: the project's metric and data source replace the definitions', the others stay", async () => {
    const { graph } = await importTrees({
      ...definitions(`[metrics]
[metrics.test]
select_expression = "SELECT 1"
data_source = "foo"

[metrics.test.statistics]
sum = {}

[metrics.test2]
select_expression = "SELECT 2"
data_source = "foo"

[metrics.test2.statistics]
sum = {}

[data_sources]
[data_sources.foo]
from_expression = "test"

[dimensions]
[dimensions.foo]
select_expression = "bar"
data_source = "foo"
`),
      ...project(
        "test-foo",
        `[project]
name = "foo"
metrics = ["test", "test2"]

[metrics]
[metrics.test]
select_expression = "SELECT 'd'"
data_source = "foo"

[metrics.test.statistics]
sum = {}

[data_sources]
[data_sources.foo]
from_expression = "bar"
`,
      ),
    });
    const g = graph("test-foo");
    expect(g.name).toBe("foo");
    expect(g.probes.map((p) => [p.name, p.select, p.dataSource])).toEqual([
      ["test", "SELECT 'd'", "foo"],
      ["test2", "SELECT 2", "foo"],
    ]);
    expect(g.dataSources["foo"]?.from).toBe("bar");
  });

  // upstream's config parser accepts `sum` on a histogram; upstream OpMon then fails when it writes the
  // statistics SQL ("Statistic sum not implemented for type histogram"). opmon refuses it at import.
  const histogramTest = (type: string) =>
    definitions(`[metrics]
[metrics.test]
select_expression = "SELECT 1"
data_source = "foo"
type = "${type}"

[data_sources]
[data_sources.foo]
from_expression = "test"
build_id_column = "test"
`);

  it("test_merge_statistic: the project's statistics apply to the definition's metric (sum on a histogram is refused at import)", async () => {
    const config = project(
      "test-foo",
      `[project]
name = "foo"
metrics = ["test"]

[metrics.test.statistics]
sum = {}
`,
    );
    const upstream = await importTrees({ ...histogramTest("histogram"), ...config });
    expect(upstream.errors.map((i) => [i.code, i.file, i.path])).toEqual([
      ["statistic_not_for_type", "opmon/test-foo.toml", "metrics.test.statistics.sum"],
    ]);
    // the merge itself, on a metric `sum` applies to
    const g = (await importTrees({ ...histogramTest("scalar"), ...config })).graph("test-foo");
    expect(g.name).toBe("foo");
    expect(g.probes.map((p) => [p.name, p.select, p.dataSource, p.statistics.map((s) => s.name)])).toEqual([
      ["test", "SELECT 1", "foo", ["sum"]],
    ]);
  });

  it("test_merge_data_source: the project's from_expression replaces the definition's, build_id_column stays", async () => {
    const config = project(
      "test-foo",
      `[project]
name = "foo"
metrics = ["test"]

[data_sources]
[data_sources.foo]
from_expression = "foo"
`,
    );
    const withStatistics = (type: string) =>
      histogramTest(type)["opmon/definitions/firefox_desktop.toml"]!.replace(
        "[data_sources]",
        "[metrics.test.statistics]\nsum = {}\n\n[data_sources]",
      );
    const upstream = await importTrees({ "opmon/definitions/firefox_desktop.toml": withStatistics("histogram"), ...config });
    expect(codes(upstream.errors)).toContain("statistic_not_for_type");
    const g = (await importTrees({ "opmon/definitions/firefox_desktop.toml": withStatistics("scalar"), ...config })).graph("test-foo");
    expect(g.dataSources["foo"]).toMatchObject({ name: "foo", from: "foo", buildIdColumn: "test" });
    expect(g.probes.map((p) => p.dataSource)).toEqual(["foo"]);
  });

  it("test_unknown_metric_failure: a metric without a definition is an error naming it", async () => {
    const { errors } = await importTrees(
      project(
        "test-foo",
        `[project]
name = "foo"
metrics = ["test", "test2"]

[metrics]
[metrics.test]
select_expression = "SELECT 'd'"
data_source = "foo"

[metrics.test.statistics]
sum = {}

[data_sources]
[data_sources.foo]
from_expression = "test"
`,
      ),
    );
    expect(errors.map((i) => [i.code, i.file, i.message])).toEqual([
      ["unknown_probe", "opmon/test-foo.toml", expect.stringContaining('"test2"')],
    ]);
  });
});

describe("upstream metric_config_parser/tests/test_alert.py", () => {
  it("test_alert_definition: a threshold alert on the project's metric", async () => {
    const { graph, importIssues } = await importTrees(
      project(
        "test-foo",
        `[project]
alerts = ["test"]
metrics = ["test_metric"]

[metrics]
[metrics.test_metric]
select_expression = "SELECT 1"
data_source = "foo"

[metrics.test_metric.statistics]
sum = {}

[data_sources]
[data_sources.foo]
from_expression = "test"

[alerts]
[alerts.test]
type = "threshold"
metrics = ["test_metric"]
min = [1]
max = [3]
percentiles = [1]
`,
      ),
    );
    // upstream ignores `percentiles` (docs/differences-from-opmon.md, "An alert's `percentiles` key travels through `extra`")
    expect(importIssues.map((w) => [w.severity, w.path])).toEqual([["warning", "alerts.test.percentiles"]]);
    const alerts = graph("test-foo").alerts;
    expect(alerts.map((a) => a.name)).toEqual(["test"]);
    expect(alerts[0]).toMatchObject({ type: "threshold", probes: ["test_metric"], min: [1], max: [3] });
  });

  it("test_alert_incorrect_type: an unknown alert type is an error", async () => {
    const { errors } = await importTrees(project("test-foo", `[project]\nalerts = ["test"]\n\n[alerts]\n[alerts.test]\ntype = "foo"\n`));
    const found = new Set(errors.map((i) => `${i.code} ${i.file} ${i.path}: ${i.message}`));
    expect([...found]).toEqual([
      'invalid_value opmon/test-foo.toml alerts.test.type: alert type "foo" is not one of threshold, ci_overlap, avg_diff, change_point, branch_difference',
    ]);
  });

  it("test_alert_incorrect_config: a threshold alert with neither min nor max is an error", async () => {
    const { errors } = await importTrees(
      project("test-foo", `[project]\nalerts = ["test"]\n\n[alerts]\n[alerts.test]\ntype = "threshold"\nmetrics = []\n`),
    );
    expect(errors.map((i) => [i.code, i.path, i.message])).toEqual([
      ["alert_threshold_missing", "alerts.test", "a threshold alert needs min or max"],
    ]);
  });

  // docs/differences-from-opmon.md, "A threshold's single bound applies to every parameter": upstream
  // refuses `max = [1]` for two parameters; opmon reads it as that bound for each, and refuses other counts
  const thresholds = (max: string) =>
    importTrees(
      project(
        "test-foo",
        `[project]\nmetrics = ["test"]\nalerts = ["test"]\n\n[metrics.test]\nselect_expression = "x"\ndata_source = "main"\n\n[metrics.test.statistics]\npercentile = {}\n\n[alerts]\n[alerts.test]\ntype = "threshold"\nmin = [1, 2]\nparameters = [1, 2]\nmax = ${max}\nmetrics = []\n`,
      ),
    );

  it("test_alert_incorrect_number_of_thresholds: min, max and parameters of different lengths are an error (one max is every parameter's)", async () => {
    const single = await thresholds("[1]");
    expect(single.errors).toEqual([]);
    expect(single.graph("test-foo").alerts[0]).toMatchObject({ min: [1, 2], max: [1], parameters: [1, 2] });
    const three = await thresholds("[1, 2, 3]");
    expect(three.errors.map((i) => [i.code, i.path])).toEqual([["alert_bounds_count", "alerts.test.max"]]);
  });
});

describe("upstream metric_config_parser/tests/test_population.py", () => {
  it("test_overwrite_population: a later layer overrides name, end date, boolean pref; branches stay the first layer's", async () => {
    const first = project(
      "foo",
      `[project]
name = "foo"
xaxis = "build_id"
metrics = []
start_date = "2022-01-01"
end_date = "2022-02-01"

[project.population]
data_source = "foo"
boolean_pref = "TRUE"
branches = ["treatment"]
dimensions = ["os"]
group_by_dimension = "os"

[data_sources]
[data_sources.foo]
from_expression = "test"

[dimensions]
[dimensions.os]
select_expression = "os"
data_source = "foo"
`,
    );
    const second = project(
      "foo",
      `[project]
name = "foo bar"
end_date = "2022-03-01"
skip_default_metrics = true

[project.population]
boolean_pref = "FALSE"
branches = ["test-1"]
`,
    );
    const g = (await importTrees(first, second)).graph("foo");
    expect(g).toMatchObject({ name: "foo bar", xaxis: "build_id", startDate: "2022-01-01", endDate: "2022-03-01" });
    expect(g.population.dataSource).toBe("foo");
    expect(g.population.branches).toEqual(["treatment"]);
    expect(g.population.branching).toMatchObject({ mode: "branches", branches: ["treatment"] });
    // upstream joins the layers' population dimensions
    expect(g.population.dimensions.map((d) => d.name)).toEqual(["os"]);
  });
});

describe("upstream metric_config_parser/tests/test_project.py", () => {
  it("test_group_by_fail: grouping by a dimension the population does not have is an error", async () => {
    const { errors } = await importTrees(
      project(
        "foo",
        `[project]
name = "foo"
xaxis = "build_id"
metrics = []

[project.population]
data_source = "foo"
group_by_dimension = "os"

[data_sources]
[data_sources.foo]
from_expression = "test"

[dimensions]
[dimensions.os]
select_expression = "os"
data_source = "foo"
`,
      ),
    );
    expect(errors.map((i) => [i.code, i.path, i.message])).toEqual([
      ["group_by_not_dimension", "population.groupByDimension", 'group-by dimension "os" is not among the project\'s dimensions'],
    ]);
  });

  it("test_bad_project_dates: a start date that is not a date is an error", async () => {
    const { errors } = await importTrees(project("foo", `[project]\nstart_date = "My birthday"\n`));
    expect(errors.map((i) => [i.file, i.path])).toEqual([["opmon/foo.toml", "project.start_date"]]);
  });

  it("test_bad_project_xaxis: an unknown xaxis is an error", async () => {
    const { errors } = await importTrees(project("foo", `[project]\nxaxis = "Nothing"\n`));
    expect(errors.map((i) => [i.file, i.path])).toEqual([["opmon/foo.toml", "project.xaxis"]]);
  });

  it("test_metric_groups: a metric group with its friendly name and metrics", async () => {
    const { graph } = await importTrees(
      project(
        "foo",
        `[project]
name = "foo"
metrics = ["foo", "bar"]

[project.metric_groups.foo]
friendly_name = "Fooooo"
metrics = [
    "foo",
    "bar"
]

[project.population]
data_source = "foo"

[data_sources]
[data_sources.foo]
from_expression = "test"

[metrics]
[metrics.foo]
select_expression = "foo"
data_source = "foo"

[metrics.foo.statistics]
sum = {}

[metrics.bar]
select_expression = "bar"
data_source = "foo"

[metrics.bar.statistics]
sum = {}
`,
      ),
    );
    const groups = graph("foo").metricGroups;
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ name: "foo", friendlyName: "Fooooo" });
    expect(groups[0]?.probes).toEqual(expect.arrayContaining(["foo", "bar"]));
  });
});
