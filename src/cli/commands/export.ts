import type { CAC } from "cac";
import pc from "picocolors";
import { exportToml, writeToml } from "../../toml/export-toml.js";
import { out } from "../output.js";
import { configDirOption, type ConfigDirOptions } from "./config-dir-option.js";

/** `opmon export --out DIR`: the config directory's modules as TOML in metric-hub layout. */
export function registerExport(cli: CAC): void {
  configDirOption(cli.command("export", "Export definitions, defaults and projects as TOML in the metric-hub layout"))
    .option("--out <dir>", "Directory to write definitions/ and opmon/ into")
    .example("opmon export --config-dir ./monitoring --out ../metric-hub")
    .action(async (options: ConfigDirOptions & { out?: string }) => {
      if (!options.out) throw new Error("--out <dir> is required");
      const files = await exportToml(options.configDir);
      writeToml(String(options.out), files);
      out(pc.green(`${files.length} TOML file(s) written to ${String(options.out)}`));
      return 0;
    });
}
