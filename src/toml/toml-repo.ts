import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { readToml, type TomlFile } from "./read-toml.js";

/** The two definitions layers of a platform: metric-hub's shared `definitions/` and `opmon/definitions/`. */
export interface DefinitionLayers {
  readonly shared?: TomlFile;
  readonly opmon?: TomlFile;
}

/** Every TOML file of a config repository, by role. */
export interface TomlRepo {
  readonly layout: "metric-hub" | "opmon-config" | "file";
  readonly functions?: TomlFile;
  /** Definitions by platform name, in name order. */
  readonly definitions: ReadonlyMap<string, DefinitionLayers>;
  /** Defaults files by stem (a platform name, or `rollout`). */
  readonly defaults: ReadonlyMap<string, TomlFile>;
  /** Project files by slug (the file stem). */
  readonly projects: ReadonlyMap<string, TomlFile>;
}

const tomlFiles = (dir: string) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".toml") && statSync(join(dir, f)).isFile()).sort() : [];
const stem = (file: string) => basename(file).replace(/\.toml$/, "");

/**
 * Reads a config repository in metric-hub layout (`opmon/*.toml`, `opmon/defaults/`, `opmon/definitions/`,
 * shared `definitions/` with `functions.toml`), in opmon-config layout (projects at the root, `defaults/`,
 * `definitions/`), or a single project file. Files are read in name order, so the result is deterministic.
 * A file that does not parse throws {@link TomlSyntaxError}.
 *
 * @example const repo = loadTomlRepo("../metric-hub"); repo.projects.size;
 */
export function loadTomlRepo(source: string): TomlRepo {
  if (statSync(source).isFile()) {
    const file = readToml(source, basename(source));
    return { layout: "file", definitions: new Map(), defaults: new Map(), projects: new Map([[stem(source), file]]) };
  }
  const metricHub = existsSync(join(source, "opmon")) && statSync(join(source, "opmon")).isDirectory();
  const projectDir = metricHub ? "opmon" : "";
  const read = (dir: string, file: string) => readToml(join(source, dir, file), [dir, file].filter(Boolean).join("/"));
  const definitions = new Map<string, { shared?: TomlFile; opmon?: TomlFile }>();
  let functions: TomlFile | undefined;
  const layers: [string, "shared" | "opmon"][] = metricHub ? [["definitions", "shared"], ["opmon/definitions", "opmon"]] : [["definitions", "shared"]];
  for (const [dir, layer] of layers) {
    for (const file of tomlFiles(join(source, dir))) {
      if (stem(file) === "functions") {
        functions ??= read(dir, file);
        continue;
      }
      const entry = definitions.get(stem(file)) ?? {};
      entry[layer] = read(dir, file);
      definitions.set(stem(file), entry);
    }
  }
  const defaultsDir = [projectDir, "defaults"].filter(Boolean).join("/");
  const defaults = new Map(tomlFiles(join(source, defaultsDir)).map((f) => [stem(f), read(defaultsDir, f)] as const));
  const projects = new Map(tomlFiles(join(source, projectDir)).map((f) => [stem(f), read(projectDir, f)] as const));
  const sorted = new Map([...definitions].sort(([a], [b]) => a.localeCompare(b)));
  return { layout: metricHub ? "metric-hub" : "opmon-config", ...(functions ? { functions } : {}), definitions: sorted, defaults, projects };
}
