import { beforeAll, describe, expect, it } from "vitest";
import type { ProjectGraph } from "../../src/graph/project-graph.js";
import { fromCounts } from "../../src/report/dimension-options.js";
import { lookmlFiles } from "../../src/report/lookml/lookml-files.js";
import { titleCase } from "../../src/report/title-case.js";
import type { DimensionOptions } from "../../src/report/report-data.js";
import { demoGraphs, graphOf } from "./demo-graphs.js";

/** Dimension values as the warehouse would count them. */
const DIMENSIONS: readonly DimensionOptions[] = [
  fromCounts("os", [
    { option: "Linux", count: 40 },
    { option: "Windows", count: 120 },
    { option: "Mac", count: 60 },
  ]),
  fromCounts("arch", [
    { option: "x86_64", count: 200 },
    { option: "aarch64", count: 20 },
  ]),
  fromCounts("cores", [
    { option: "4", count: 90 },
    { option: "8", count: 70 },
    { option: "2", count: 10 },
  ]),
];

let graphs: Record<string, ProjectGraph>;
beforeAll(async () => {
  graphs = await demoGraphs();
});

/** All files of a project as one text, each under its path, for one readable golden file. */
const render = (files: Readonly<Record<string, string>>) =>
  Object.entries(files)
    .map(([path, text]) => `### ${path}\n${text}`)
    .join("\n");

describe("lookml golden files", () => {
  it("submission-date project (two branches, percentile, sum and mean)", async () => {
    const graph = { ...graphOf(graphs, "gc-tuning-experiment"), alerts: [] };
    const files = lookmlFiles(graph, DIMENSIONS);
    expect(Object.keys(files)).toEqual([
      "operational_monitoring/views/gc_tuning_experiment.view.lkml",
      "operational_monitoring/explores/gc_tuning_experiment.explore.lkml",
      "operational_monitoring/dashboards/gc_tuning_experiment.dashboard.lookml",
    ]);
    await expect(render(files)).toMatchFileSnapshot("../golden/lookml/submission-date.lkml");
  });

  it("build-id project with group_by_dimension and a metric group", async () => {
    const files = lookmlFiles(graphOf(graphs, "desktop-nightly-health"), DIMENSIONS);
    const dashboard = files["operational_monitoring/dashboards/desktop_nightly_health.dashboard.lookml"] ?? "";
    expect(dashboard).toContain("title: Crashes - By os");
    expect(dashboard).not.toMatch(/title: GC Ms\n/);
    expect(dashboard).toContain("default_value: 'Linux,Mac,Windows'");
    await expect(render(files)).toMatchFileSnapshot("../golden/lookml/build-id-group-by.lkml");
  });

  it("compact project", async () => {
    const graph = { ...graphOf(graphs, "tab-unloading-rollout"), compactVisualization: true, alerts: [] };
    const dashboard = lookmlFiles(graph, DIMENSIONS)["operational_monitoring/dashboards/tab_unloading_rollout.dashboard.lookml"] ?? "";
    const elements = dashboard.split("\n  filters:\n")[0] ?? "";
    expect(elements.match(/^ {2}- title: /gm)?.length).toBe(1);
    expect(dashboard).toContain("listens_to_filters: [Metric]");
    expect(dashboard).not.toContain("note_text");
    await expect(dashboard).toMatchFileSnapshot("../golden/lookml/compact.lkml");
  });

  it("project with alerts", async () => {
    const files = lookmlFiles(graphOf(graphs, "gc-tuning-experiment"), DIMENSIONS);
    expect(Object.keys(files)).toContain("operational_monitoring/views/gc_tuning_experiment_alerts.view.lkml");
    await expect(render(files)).toMatchFileSnapshot("../golden/lookml/alerts.lkml");
  });
});

describe("lookml rules", () => {
  it("lays tiles out in two columns, ten rows apart, with the alerts grid full width below", () => {
    const dashboard = Object.values(lookmlFiles(graphOf(graphs, "gc-tuning-experiment"), DIMENSIONS)).at(-1) ?? "";
    const positions = [...dashboard.matchAll(/row: (\d+)\n {4}col: (\d+)/g)].map((m) => `${m[1]}/${m[2]}`);
    expect(positions).toEqual(["0/0", "0/12", "10/0", "10/12", "20/0", "20/12", "30/0"]);
    expect(dashboard).toMatch(/width: 24\n {4}height: 6/);
  });

  it("draws percentiles as ci-line-charts listening to the Percentile filter, other statistics as lines", () => {
    const dashboard = Object.values(lookmlFiles(graphOf(graphs, "gc-tuning-experiment"), DIMENSIONS)).at(-1) ?? "";
    const tiles = dashboard.split("\n  - title: ").slice(1);
    for (const tile of tiles.filter((t) => t.includes("note_text: Percentile"))) {
      expect(tile).toContain('type: "ci-line-chart"');
      expect(tile).toContain("Percentile: gc_tuning_experiment.parameter");
    }
    const sum = tiles.find((t) => t.startsWith("Main Crashes\n    name: Main Crashes_sum")) ?? "";
    expect(sum).toContain("type: looker_line");
    expect(sum).not.toContain("Percentile:");
    expect(sum).toContain('control: "#3FE1B0"\n    treatment: "#0060E0"');
  });

  it("titles like lookml-generator", () => {
    expect(titleCase("gc_ms_content")).toBe("GC Ms Content");
    expect(titleCase("p95th_ms")).toBe("P95Th Ms"); // Python's str.title()
    expect(titleCase("os")).toBe("OS");
    expect(titleCase("OpMon")).toBe("Opmon");
    expect(titleCase("uri_count")).toBe("URI Count");
  });
});
