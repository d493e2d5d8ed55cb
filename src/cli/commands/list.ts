import type { CAC } from "cac";
import { out, printIssues, printJson, table } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { experimenterOptions, loadExperiments, type ExperimenterOptions } from "./experimenter-options.js";

/** `opmon list`: every project with its platform, x-axis, dates and where its values came from. */
export function registerList(cli: CAC): void {
  experimenterOptions(configDirOption(cli.command("list", "List projects: platform, x-axis, active dates")))
    .option("--json", "Print the list as JSON")
    .action(async (options: ConfigDirOptions & ExperimenterOptions & { json?: boolean }) => {
      const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
      const experiments = await loadExperiments(options);
      const { projects, issues } = await resolveConfigDir(options.configDir, experiments ? { experiments } : {});
      const rows = projects.map(({ slug, file, origin, graph }) => ({
        slug,
        file,
        origin,
        valid: graph !== undefined,
        ...(graph
          ? {
              name: graph.name,
              platform: graph.platform.name,
              xaxis: graph.xaxis,
              startDate: graph.startDate ?? null,
              endDate: graph.endDate ?? null,
              branches: graph.population.branches,
              skip: graph.skip,
              provenance: graph.provenance,
            }
          : {}),
      }));
      if (options.json) {
        printJson({ projects: rows, issues });
      } else {
        const header = ["SLUG", "PLATFORM", "XAXIS", "START", "END", "BRANCHES", "STATUS"];
        const body = rows.map((r) => [
          r.slug,
          r.platform ?? "-",
          r.xaxis ?? "-",
          r.startDate ?? "-",
          r.endDate ?? "open",
          r.branches?.join(",") ?? "-",
          !r.valid ? "invalid" : r.skip ? "skipped" : "active",
        ]);
        out(table([header, ...body]));
        printIssues(issues);
      }
      return issues.some((i) => i.severity === "error") ? 1 : 0;
    });
}
