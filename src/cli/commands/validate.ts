import type { CAC } from "cac";
import pc from "picocolors";
import { out, printIssues, printJson } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";
import { experimenterOptions, loadExperiments, type ExperimenterOptions } from "./experimenter-options.js";

/** `opmon validate`: tsc diagnostics plus runtime checks of every project, all listed at once. */
export function registerValidate(cli: CAC): void {
  experimenterOptions(configDirOption(cli.command("validate", "Type-check and validate every definition, default and project")))
    .option("--json", "Print the issues as JSON")
    .example("opmon validate --config-dir ./monitoring")
    .action(async (options: ConfigDirOptions & ExperimenterOptions & { json?: boolean }) => {
      const { resolveConfigDir } = await import("../../graph/resolve-config-dir.js");
      const experiments = await loadExperiments(options);
      const { projects, issues } = await resolveConfigDir(options.configDir, {
        typeCheck: true,
        ...(experiments ? { experiments, requireExperiment: true } : {}),
      });
      const errors = issues.filter((i) => i.severity === "error").length;
      if (options.json) {
        printJson({ projects: projects.map((p) => ({ slug: p.slug, file: p.file, valid: p.graph !== undefined })), issues });
      } else {
        printIssues(issues);
        const warnings = issues.length - errors;
        const summary = `${projects.length} project(s) checked: ${errors} error(s), ${warnings} warning(s)`;
        out(errors ? pc.red(summary) : pc.green(summary));
      }
      return errors ? 1 : 0;
    });
}
