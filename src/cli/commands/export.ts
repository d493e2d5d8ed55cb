import type { CAC } from "cac";
import pc from "picocolors";
import { out, UsageError } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";

/** `opmon export --out DIR`: the config directory's modules as TOML in metric-hub layout. */
export function registerExport(cli: CAC): void {
  configDirOption(cli.command("export", "Export definitions, defaults and projects as TOML in the metric-hub layout"))
    .option("--out <dir>", "Directory to write definitions/ and opmon/ into (required)")
    .example("opmon export --config-dir ./monitoring --out ../metric-hub")
    .action(async (options: ConfigDirOptions & { out?: string }) => {
      if (!options.out) throw new UsageError("--out <dir> is required");
      const { exportToml, writeToml } = await import("../../toml/export-toml.js");
      const files = await exportToml(options.configDir);
      writeToml(String(options.out), files);
      out(pc.green(`${files.length} TOML file(s) written to ${String(options.out)}`));
      return 0;
    });
}
