import { readFileSync } from "node:fs";
import { join } from "node:path";
import { configFiles } from "../config/load-config-dir.js";

/** Where a config snippet is written: a file of the config directory, and its line and column there. */
export interface ConfigOrigin {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Finds where a named config entry (a probe, dimension or data source) is written: the project's own
 * module first, then the platform definitions and defaults. The name is looked for as an object key
 * (`gc_ms:`) or a quoted name (`"gc_ms"`); without a match the project file is the origin.
 *
 * @example locateName("monitoring", "projects/gc.ts", "gc_ms") // { file: "definitions/firefox_desktop.ts", line: 14, column: 5 }
 */
export function locateName(configDir: string, projectFile: string, name: string): ConfigOrigin {
  const patterns = [new RegExp(`(?<![\\w$])${escapeRegExp(name)}\\s*:`), new RegExp(`["'\`]${escapeRegExp(name)}["'\`]`)];
  const files = [projectFile, ...configFiles(configDir).filter((f) => f !== projectFile)];
  for (const pattern of patterns) {
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(configDir, file), "utf8");
      } catch {
        continue;
      }
      const match = pattern.exec(text);
      if (!match) continue;
      const before = text.slice(0, match.index).split("\n");
      return { file, line: before.length, column: (before.at(-1)?.length ?? 0) + 1 };
    }
  }
  return { file: projectFile };
}
