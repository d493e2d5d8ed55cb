import { existsSync } from "node:fs";
import type { CAC } from "cac";
import pc from "picocolors";
import { visible } from "../../toml/ts-code.js";
import { err, out, printIssues, UserError } from "../output.js";

/** `opmon import SRC [--out DIR]`: TOML configs (metric-hub, opmon-config, one file) to DSL modules. */
export function registerImport(cli: CAC): void {
  cli
    .command("import <src>", "Import TOML configs (metric-hub or opmon-config layout, or one file) as TypeScript modules")
    .option("--out <dir>", "Config directory to write definitions/, defaults/ and projects/ into", { default: "." })
    .example("opmon import ../metric-hub --out ./monitoring")
    .action(async (src: string, options: { out: string }) => {
      if (!existsSync(src)) throw new UserError(`${visible(src)}: no such file or directory`);
      const { TomlLimitError, TomlSyntaxError } = await import("../../toml/read-toml.js");
      const { importToml, writeModules } = await import("../../toml/import-toml.js");
      let result;
      try {
        result = await importToml(src);
      } catch (error) {
        if (error instanceof TomlSyntaxError) {
          const what = error instanceof TomlLimitError ? "unsupported TOML" : "malformed TOML";
          // a file name may hold a line break or terminal escapes; show them, do not print them
          throw new UserError(`${visible(error.file)}:${error.line}:${error.column}: ${what}: ${visible(error.reason)}`);
        }
        throw error;
      }
      // names, keys and paths come from the files: line breaks and terminal escapes in them are shown, not printed
      printIssues(
        result.issues.map((i) => ({
          ...i,
          path: visible(i.path),
          message: visible(i.message),
          ...(i.hint === undefined ? {} : { hint: visible(i.hint) }),
          ...(i.file === undefined ? {} : { file: visible(i.file) }),
        })),
      );
      for (const notice of result.notices) err(pc.dim(`notice: ${visible(notice)}`));
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
