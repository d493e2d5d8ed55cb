import type { CAC } from "cac";
import { didYouMean } from "../../config/issue.js";
import { out, printIssues, printJson, UserError } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { experimenterOptions, loadExperiments, type ExperimenterOptions } from "./experimenter-options.js";

/** `opmon graph SLUG`: the resolved graph of one project. */
export function registerGraph(cli: CAC): void {
  experimenterOptions(configDirOption(cli.command("graph <slug>", "Show the resolved graph of one project")))
    .option("--json", "Print the graph as JSON")
    .example("opmon graph gc-tuning-experiment --json")
    .action(async (slug: string, options: ConfigDirOptions & ExperimenterOptions & { json?: boolean }) => {
      const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
      const experiments = await loadExperiments(options);
      const { projects } = await resolveConfigDir(options.configDir, experiments ? { experiments } : {});
      const project = projects.find((p) => p.slug === slug);
      if (!project) {
        const hint = didYouMean(
          slug,
          projects.map((p) => p.slug),
        );
        throw new UserError(`no project "${slug}" in ${options.configDir}${hint ? ` (${hint})` : ""}`);
      }
      if (!project.graph) {
        printIssues(project.issues);
        return 1;
      }
      const g = project.graph;
      if (options.json) return (printJson(g), 0);
      out(`${g.name} (${g.slug}, ${project.file})`);
      out(`  platform ${g.platform.name}, x-axis ${g.xaxis}, ${g.startDate ?? "no start"} to ${g.endDate ?? "open end"}`);
      out(
        `  population from ${g.population.dataSource}: ${g.population.branching.mode} -> ${g.population.branches.join(", ")}` +
          `${g.population.channel ? `, channel ${g.population.channel}` : ""}, reference ${g.referenceBranch}`,
      );
      out(
        `  dimensions: ${g.population.dimensions.map((d) => d.name).join(", ") || "none"}` +
          `${g.population.groupByDimension ? ` (grouped by ${g.population.groupByDimension})` : ""}`,
      );
      out("  probes:");
      for (const p of g.probes) {
        const stats = p.statistics.map((s) => (s.name === "percentile" ? `percentile(${s.percentiles.join(",")})` : s.name));
        out(`    ${p.name} [${p.type}] from ${p.dataSource}: ${stats.join(", ")}`);
      }
      for (const m of g.metricGroups) out(`  metric group ${m.name}: ${m.probes.join(", ")}`);
      for (const a of g.alerts) out(`  alert ${a.name} (${a.type}) on ${a.probes.join(", ")}`);
      return 0;
    });
}
