import { existsSync, readdirSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { isTable } from "./import-context.js";
import { readToml, TomlSyntaxError, type TomlFile, type TomlTable } from "./read-toml.js";

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
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(".toml") && statSync(join(dir, f)).isFile())
        .sort()
    : [];
const stem = (file: string) => basename(file).replace(/\.toml$/, "");

/** How {@link loadTomlRepo} reads. */
export interface LoadOptions {
  /** Prefixes every file's path (which source it came from, when several are layered). */
  readonly prefix?: string;
  /** Called with each file that does not parse, which is then left out; without it, the first one throws. */
  readonly skip?: (error: TomlSyntaxError) => void;
}

/**
 * Reads a config repository in metric-hub layout (`opmon/*.toml`, `opmon/defaults/`, `opmon/definitions/`,
 * shared `definitions/` with `functions.toml`), in opmon-config layout (projects at the root, `defaults/`,
 * `definitions/`), or a single project file. Files are read in name order, so the result is deterministic.
 * A file that does not parse throws {@link TomlSyntaxError} (or goes to `options.skip`).
 *
 * @example const repo = loadTomlRepo("../metric-hub"); repo.projects.size;
 */
export function loadTomlRepo(source: string, options: LoadOptions = {}): TomlRepo {
  const named = (path: string) => (options.prefix ? `${options.prefix}/${path}` : path);
  const parse = (absolute: string, path: string): TomlFile | undefined => {
    if (!options.skip) return readToml(absolute, named(path));
    try {
      return readToml(absolute, named(path));
    } catch (error) {
      if (!(error instanceof TomlSyntaxError)) throw error;
      options.skip(error);
      return undefined;
    }
  };
  if (statSync(source).isFile()) {
    const file = parse(source, basename(source));
    return { layout: "file", definitions: new Map(), defaults: new Map(), projects: new Map(file ? [[stem(source), file]] : []) };
  }
  const metricHub = existsSync(join(source, "opmon")) && statSync(join(source, "opmon")).isDirectory();
  const projectDir = metricHub ? "opmon" : "";
  const read = (dir: string, file: string) => parse(join(source, dir, file), [dir, file].filter(Boolean).join("/"));
  const definitions = new Map<string, { shared?: TomlFile; opmon?: TomlFile }>();
  let functions: TomlFile | undefined;
  const layers: [string, "shared" | "opmon"][] = metricHub
    ? [
        ["definitions", "shared"],
        ["opmon/definitions", "opmon"],
      ]
    : [["definitions", "shared"]];
  for (const [dir, layer] of layers) {
    for (const file of tomlFiles(join(source, dir))) {
      if (stem(file) === "functions") {
        functions ??= read(dir, file);
        continue;
      }
      const parsed = read(dir, file);
      if (!parsed) continue;
      const entry = definitions.get(stem(file)) ?? {};
      entry[layer] = parsed;
      definitions.set(stem(file), entry);
    }
  }
  const defaultsDir = [projectDir, "defaults"].filter(Boolean).join("/");
  const readAll = (dir: string) =>
    new Map(
      tomlFiles(join(source, dir)).flatMap((f) => {
        const parsed = read(dir, f);
        return parsed ? [[stem(f), parsed] as const] : [];
      }),
    );
  const defaults = readAll(defaultsDir);
  const projects = readAll(projectDir);
  const sorted = new Map([...definitions].sort(([a], [b]) => a.localeCompare(b)));
  return {
    layout: metricHub ? "metric-hub" : "opmon-config",
    ...(functions ? { functions } : {}),
    definitions: sorted,
    defaults,
    projects,
  };
}

/**
 * Several config repositories layered in order, as upstream read metric-hub and opmon-config together:
 * a platform's first definitions file is its shared layer and every later one overlays it (entries
 * merge key by key, `statistics` replaced whole, as upstream merged them); a later defaults or project
 * file with the same name overlays the earlier one the same way, a project's metrics, alerts and
 * population dimensions joined and its population branches kept from the first layer that sets them.
 * Paths name their source when there are several.
 *
 * @example const repo = loadTomlRepos(["../metric-hub", "../opmon-config"]);
 */
export function loadTomlRepos(sources: readonly string[], options: Pick<LoadOptions, "skip"> = {}): TomlRepo {
  if (sources.length === 1) return loadTomlRepo(sources[0]!, options);
  const repos = sources.map((source, i) => loadTomlRepo(source, { ...options, prefix: sourceName(sources, i) }));
  const definitions = new Map<string, DefinitionLayers>();
  for (const repo of repos) {
    for (const [platform, layers] of repo.definitions) {
      for (const file of [layers.shared, layers.opmon]) {
        if (!file) continue;
        const current = definitions.get(platform);
        if (!current) definitions.set(platform, { shared: file });
        else definitions.set(platform, { ...current, opmon: current.opmon ? overlay(current.opmon, file) : file });
      }
    }
  }
  const byName = (pick: (r: TomlRepo) => ReadonlyMap<string, TomlFile>) => {
    const out = new Map<string, TomlFile>();
    for (const repo of repos) for (const [name, file] of pick(repo)) out.set(name, out.has(name) ? overlay(out.get(name)!, file) : file);
    return out;
  };
  const functions = repos.map((r) => r.functions).reduce<TomlFile | undefined>((a, b) => (a && b ? overlay(a, b) : (a ?? b)), undefined);
  return {
    layout: repos[0]!.layout,
    ...(functions ? { functions } : {}),
    definitions: new Map([...definitions].sort(([a], [b]) => a.localeCompare(b))),
    defaults: byName((r) => r.defaults),
    projects: byName((r) => r.projects),
  };
}

/** A source's name in paths: its folder or file name, numbered when two sources share one. */
function sourceName(sources: readonly string[], i: number): string {
  const name = basename(sources[i]!);
  return sources.filter((s) => basename(s) === name).length > 1 ? `${name}#${i + 1}` : name;
}

/** Lists upstream's `ProjectSpec.merge` and `PopulationSpec.merge` join instead of replacing. */
const JOINED = new Set(["project.metrics", "project.alerts", "project.population.dimensions"]);
/** Upstream's `PopulationSpec.merge` keeps the lower layer's branches once set. */
const FIRST_WINS = new Set(["project.population.branches"]);

/**
 * `top` layered over `below` as upstream merges specs: tables merge key by key; a project's metrics,
 * alerts and population dimensions are joined; population branches keep the lower layer's; anything
 * else (and `statistics`) replaces.
 */
function overlay(below: TomlFile, top: TomlFile): TomlFile {
  const merge = (a: TomlTable, b: TomlTable, at: string): TomlTable =>
    Object.fromEntries(
      [...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => {
        const [x, y, path] = [a[k], b[k], at ? `${at}.${k}` : k];
        if (y === undefined || (x !== undefined && FIRST_WINS.has(path))) return [k, x];
        if (JOINED.has(path) && Array.isArray(x) && Array.isArray(y)) return [k, [...new Set([...x, ...y])]];
        return [k, k !== "statistics" && isTable(x) && isTable(y) ? merge(x as TomlTable, y as TomlTable, path) : y];
      }),
    ) as TomlTable;
  return {
    path: `${below.path} + ${top.path}`,
    data: merge(below.data, top.data, ""),
    comments: new Map([...below.comments, ...top.comments]),
  };
}
