import type { Command } from "cac";

/** Options every command that reads a config directory takes. */
export interface ConfigDirOptions {
  readonly configDir: string;
}

/** Adds `--config-dir` (default: the current directory). */
export const configDirOption = (command: Command) =>
  command.option("--config-dir <dir>", "Config directory holding definitions/, defaults/ and projects/", { default: "." });
