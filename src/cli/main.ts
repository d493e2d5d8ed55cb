import { cac, type Command } from "cac";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { firstLine } from "../util/first-line.js";
import { CONFIG_FOLDERS } from "../config/config-folders.js";
import { registerGraph } from "./commands/graph.js";
import { registerImport } from "./commands/import.js";
import { registerExport } from "./commands/export.js";
import { registerInit } from "./commands/init.js";
import { registerList } from "./commands/list.js";
import { registerSql } from "./commands/sql.js";
import { registerValidate } from "./commands/validate.js";
import { registerDashboard } from "./commands/dashboard.js";
import { registerLookml } from "./commands/lookml.js";
import { registerRun } from "./commands/run.js";
import { registerBackfill } from "./commands/backfill.js";
import { registerPlan } from "./commands/plan.js";
import { registerDemo } from "./commands/demo.js";
import { registerSchemas } from "./commands/schemas.js";
import { err, UsageError, UserError } from "./output.js";
import { version } from "./version.js";

/**
 * Errors of the stages that describe a problem of the user's (their warehouse, credentials, names, site
 * folder) in a message of their own: printed as a UserError is, never as "internal error". By name, so
 * that the CLI does not load every stage to recognise them.
 */
const USER_FACING = new Set([
  "WarehouseError",
  "WarehouseBusyError",
  "MissingCredentialsError",
  "CredentialsRejectedError",
  "BigQueryError",
  "BigQueryNotFoundError",
  "BigQueryTimeoutError",
  "LookmlNameError",
  "SiteFolderError",
  "UntranslatableSqlError",
  "GeneratedCodeError",
  "TooManyColumnsError",
]);

/** Every command, in the order `--help` lists them. */
const COMMANDS = [
  registerInit,
  registerValidate,
  registerSchemas,
  registerList,
  registerGraph,
  registerImport,
  registerExport,
  registerSql,
  registerPlan,
  registerRun,
  registerBackfill,
  registerDemo,
  registerDashboard,
  registerLookml,
];

/** How `bin/opmon.js` prepares a process for a command. */
export interface MainOptions {
  /**
   * Called once a command is about to run (not for `--help` or `--version`): the bin registers tsx here,
   * so that config modules written in TypeScript load, without paying for it when only help is asked.
   */
  readonly beforeCommand?: () => Promise<void>;
}

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns the exit code:
 * 0 success, 1 a user-facing failure, 2 bad usage.
 *
 * @example process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  const cli = cac("opmon");
  for (const register of COMMANDS) register(cli);
  // cac shows a `--no-x` flag's implied value as "(default: true)", which reads as if skipping were the default
  for (const command of [cli.globalCommand, ...cli.commands])
    for (const option of command.options) if (option.negated) delete option.config.default;
  cli.help();
  cli.version(version, "-V, --version");
  try {
    cli.parse(["node", "opmon", ...argv], { run: false });
    if (cli.options["help"] || cli.options["version"]) return 0;
    if (!cli.matchedCommand) {
      err(argv.length ? `opmon: unknown command "${argv[0]}"` : "opmon: no command given");
      cli.outputHelp();
      return 2;
    }
    const empty = emptyValue(cli.matchedCommand, argv);
    if (empty) {
      err(`opmon: ${empty} needs a value, got "" (see opmon ${cli.matchedCommand.name} --help)`);
      return 2;
    }
    const configDir = cli.options["configDir"];
    if (typeof configDir === "string") checkConfigDir(configDir);
    await options.beforeCommand?.();
    const code: unknown = await cli.runMatchedCommand();
    return typeof code === "number" ? code : 0;
  } catch (error) {
    if (error instanceof Error && error.name === "CACError") {
      err(`opmon: ${error.message} (see opmon --help)`);
      return 2;
    }
    if (error instanceof UsageError) {
      err(`opmon: ${error.message} (see opmon ${argv[0] ?? ""} --help)`);
      return 2;
    }
    if (error instanceof UserError || (error instanceof Error && USER_FACING.has(error.name))) {
      err(`opmon: ${error.message}`);
      return 1;
    }
    err(`opmon: internal error: ${firstLine(error)}`);
    if (process.env["OPMON_DEBUG"]) err(error instanceof Error ? (error.stack ?? "") : "");
    return 1;
  }
}

/**
 * The first option of `command` given an empty value (`--out ''` or `--out=`), which cac would read as 0
 * and a command would then use as a folder named "0".
 */
function emptyValue(command: Command, argv: readonly string[]): string | undefined {
  const valued = new Set(command.options.filter((o) => /[<[]/.test(o.rawName)).flatMap((o) => o.rawName.match(/--?[\w-]+/g) ?? []));
  for (let i = 0; i < argv.length; i++) {
    const [flag = "", value] = (argv[i] ?? "").split(/=(.*)/s);
    if (!valued.has(flag)) continue;
    if (value === "" || (value === undefined && argv[i + 1] === "")) return flag;
  }
  return undefined;
}

/** A `--config-dir` that does not exist, or holds none of the config folders, is a mistake, not "0 projects". */
function checkConfigDir(dir: string): void {
  if (!existsSync(dir)) throw new UserError(`--config-dir ${dir}: no such directory`);
  if (!statSync(dir).isDirectory()) throw new UserError(`--config-dir ${dir}: not a directory`);
  if (!CONFIG_FOLDERS.some((f) => existsSync(join(dir, f))))
    throw new UserError(`--config-dir ${dir}: holds none of ${CONFIG_FOLDERS.map((f) => `${f}/`).join(", ")} (is it a config directory?)`);
}
