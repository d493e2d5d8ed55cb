import { existsSync, statSync } from "node:fs";
import type { CAC } from "cac";
import pc from "picocolors";
import type { Issue } from "../../config/issue.js";
import type { TomlSyntaxError } from "../../toml/read-toml.js";
import { visible } from "../../toml/ts-code.js";
import { err, out, printIssues, UserError } from "../output.js";

interface ImportCommandOptions {
  readonly out?: string;
  readonly configDir?: string;
  readonly keepGoing?: boolean;
}

/** `opmon import SRC... [--out DIR]`: TOML configs (metric-hub, opmon-config, one file; layered in order) to DSL modules. */
export function registerImport(cli: CAC): void {
  cli
    .command("import <...src>", "Import TOML configs (metric-hub or opmon-config layout, or one file) as TypeScript modules; several sources are layered in order")
    .option("--out <dir>", "Config directory to write definitions/, defaults/ and projects/ into (default: --config-dir, else .)")
    .option("--config-dir <dir>", "Existing config directory whose definitions a project file imported on its own uses (default: --out)")
    .option("--keep-going", "Import every file that parses, list the ones that do not, and exit 1")
    .example("opmon import ../metric-hub --out ./monitoring")
    .example("opmon import ../metric-hub ../opmon-config --out ./monitoring")
    .example("opmon import my-rollout.toml --config-dir ./monitoring")
    .action(async (sources: string[], options: ImportCommandOptions) => {
      for (const src of sources) if (!existsSync(src)) throw new UserError(`${visible(src)}: no such file or directory`);
      const target = String(options.out ?? options.configDir ?? ".");
      const platformsFrom = options.configDir ?? target;
      const single = sources.length === 1 && statSync(sources[0]!).isFile();
      // the importer loads prettier and the TypeScript printer: only when an import runs
      const { TomlSyntaxError } = await import("../../toml/read-toml.js");
      const { folderFiles, importToml, writeModules } = await import("../../toml/import-toml.js");
      const { configDirPlatforms } = await import("../../toml/config-dir-platforms.js");
      let result;
      try {
        result = await importToml(sources, {
          keepGoing: options.keepGoing === true,
          ...(single && existsSync(platformsFrom) ? { platforms: await configDirPlatforms(platformsFrom) } : {}),
        });
      } catch (error) {
        if (error instanceof TomlSyntaxError) throw new UserError(syntaxError(error));
        throw error;
      }
      // names, keys and paths come from the files: line breaks and terminal escapes in them are shown, not printed
      printIssues(result.issues.map(shown));
      for (const notice of result.notices) err(pc.dim(`notice: ${visible(notice)}`));
      const errors = result.issues.filter((i) => i.severity === "error").length;
      if (errors) {
        out(pc.red(`${errors} error(s): nothing written`));
        return 1;
      }
      const extra = folderFiles(target);
      writeModules(target, [...result.modules, ...extra]);
      out(pc.green(`${result.modules.length} module(s) written to ${target}`));
      if (extra.length) out(`package.json written to ${target}: it says "type": "module", so the modules load as the ES modules they are`);
      if (result.skipped.length === 0) return 0;
      for (const error of result.skipped) err(`skipped ${syntaxError(error)}`);
      out(pc.red(`${result.skipped.length} file(s) skipped: they are not TOML opmon reads`));
      return 1;
    });
}

/** `file:line:column: malformed TOML: reason`, with a file name's line breaks or terminal escapes shown, not printed. */
const syntaxError = (error: TomlSyntaxError) =>
  `${visible(error.file)}:${error.line}:${error.column}: ${error.name === "TomlLimitError" ? "unsupported TOML" : "malformed TOML"}: ${visible(error.reason)}`;

const shown = (i: Issue): Issue => ({
  ...i,
  path: visible(i.path),
  message: visible(i.message),
  ...(i.hint === undefined ? {} : { hint: visible(i.hint) }),
  ...(i.file === undefined ? {} : { file: visible(i.file) }),
});
