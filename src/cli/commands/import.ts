import type { CAC } from "cac";
import pc from "picocolors";
import { TomlSyntaxError } from "../../toml/read-toml.js";
import { importToml, writeModules } from "../../toml/import-toml.js";
import { err, out, printIssues, UserError } from "../output.js";

/** `opmon import SRC [--out DIR]`: TOML configs (metric-hub, opmon-config, one file) to DSL modules. */
export function registerImport(cli: CAC): void {
  cli
    .command("import <src>", "Import TOML configs (metric-hub or opmon-config layout, or one file) as TypeScript modules")
    .option("--out <dir>", "Config directory to write definitions/, defaults/ and projects/ into", { default: "." })
    .example("opmon import ../metric-hub --out ./monitoring")
    .action(async (src: string, options: { out: string }) => {
      let result;
      try {
        result = await importToml(src);
      } catch (error) {
        if (error instanceof TomlSyntaxError) throw new UserError(`${error.file}:${error.line}:${error.column}: malformed TOML: ${error.reason}`);
        throw error;
      }
      printIssues(result.issues);
      for (const notice of result.notices) err(pc.dim(`notice: ${notice}`));
      const errors = result.issues.filter((i) => i.severity === "error").length;
      if (errors) {
        out(pc.red(`${errors} error(s): nothing written`));
        return 1;
      }
      writeModules(String(options.out), result.modules);
      out(pc.green(`${result.modules.length} module(s) written to ${String(options.out)}`));
      return 0;
    });
}
