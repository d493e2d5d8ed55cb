import { describe, expect, it } from "vitest";
import { importTrees } from "../parity/upstream-configs.js";

/**
 * A project file in two layered repositories (`opmon import metric-hub opmon-config`) merges as
 * upstream's `ProjectSpec.merge`: metrics, alerts and population dimensions are joined (each once),
 * population branches stay the first layer's, anything else is the later layer's (even `false`, which
 * upstream ignored).
 */
describe("layered project files", () => {
  it("join metrics, alerts and dimensions, keep the first branches, take the later scalars", async () => {
    const metric = (name: string) =>
      `[metrics.${name}]\nselect_expression = "SUM(1)"\ndata_source = "main"\n\n[metrics.${name}.statistics]\nmean = {}\n`;
    const dimension = (name: string) => `[dimensions.${name}]\nselect_expression = "${name}"\ndata_source = "main"\n`;
    const alert = (name: string, metricName: string) => `[alerts.${name}]\ntype = "ci_overlap"\nmetrics = ["${metricName}"]\n`;
    const below = `[project]
name = "below"
start_date = "2022-01-01"
compact_visualization = true
metrics = ["a", "b"]
alerts = ["a_overlap"]

[project.population]
branches = ["treatment", "control"]
dimensions = ["os"]

${metric("a")}
${metric("b")}
${dimension("os")}
${alert("a_overlap", "a")}`;
    const above = `[project]
name = "above"
compact_visualization = false
metrics = ["b", "c"]
alerts = ["c_overlap"]

[project.population]
branches = ["other"]
dimensions = ["arch"]

${metric("c")}
${dimension("arch")}
${alert("c_overlap", "c")}`;
    const g = (await importTrees({ "opmon/gc.toml": below }, { "opmon/gc.toml": above })).graph("gc");
    expect(g.name).toBe("above");
    // docs/differences-from-opmon.md, "A later layer's `false` overrides" (upstream kept `true`)
    expect(g.compactVisualization).toBe(false);
    expect(g.startDate).toBe("2022-01-01");
    expect(g.probes.map((p) => p.name)).toEqual(["a", "b", "c"]);
    expect(g.alerts.map((a) => a.name)).toEqual(["a_overlap", "c_overlap"]);
    expect(g.population.dimensions.map((d) => d.name)).toEqual(["os", "arch"]);
    expect(g.population.branches).toEqual(["treatment", "control"]);
  });
});
