import { existsSync, readdirSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { isEntity, type AnyPlatform, type Defaults, type Project } from "../dsl/index.js";
import { firstLine } from "../util/first-line.js";
import { CONFIG_FOLDERS } from "./config-folders.js";
import { issue, type Issue } from "./issue.js";
import { resolveOpmonToSelf } from "./opmon-entry.js";


/** A loaded module's entity, with the file it came from (relative to the config directory). */
export interface Loaded<T> {
  readonly file: string;
  readonly value: T;
}

/** Everything a config directory declares. */
export interface ConfigDir {
  readonly dir: string;
  readonly platforms: readonly Loaded<AnyPlatform>[];
  readonly defaults: readonly Loaded<Defaults>[];
  /** Projects with their slug: `slug` if set, else the file name's stem. */
  readonly projects: readonly (Loaded<Project> & { readonly slug: string })[];
  readonly issues: readonly Issue[];
}

/** The `.ts` (and `.js`) modules of a config directory, relative to it, folder by folder. */
export function configFiles(dir: string): string[] {
  return CONFIG_FOLDERS.flatMap((folder) => {
    const path = join(dir, folder);
    if (!existsSync(path)) return [];
    return readdirSync(path)
      .filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !/\.d\.ts$|\.test\.|\.test-d\./.test(f))
      .sort()
      .map((f) => join(folder, f));
  });
}


/**
 * Imports every module of a config directory and collects its platforms, defaults and projects.
 * A module that fails to load becomes an issue naming the file; the others still load.
 *
 * @example const config = await loadConfigDir("."); config.projects.map((p) => p.slug);
 */
export async function loadConfigDir(dir: string, options: { readonly skip?: ReadonlySet<string> } = {}): Promise<ConfigDir> {
  const platforms: Loaded<AnyPlatform>[] = [];
  const defaults: Loaded<Defaults>[] = [];
  const projects: (Loaded<Project> & { slug: string })[] = [];
  const issues: Issue[] = [];
  resolveOpmonToSelf();
  for (const file of configFiles(dir)) {
    if (options.skip?.has(file)) continue;
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    } catch (error) {
      // .ts modules of a folder without "type": "module" load as CommonJS, and cannot import opmon
      const esm = /require\(\) ES Module|in a cycle/.test(firstLine(error));
      const hint = esm ? 'give the config directory a package.json saying "type": "module" (opmon import writes one)' : undefined;
      issues.push({ ...issue("load_failed", "", { reason: `cannot load: ${firstLine(error)}` }, { hint }), file });
      continue;
    }
    const folder = file.split(/[\\/]/)[0];
    const exported = Object.values(module);
    if (folder === "projects") {
      const project = module["default"];
      if (!isEntity(project, "project")) {
        issues.push({ ...issue("load_failed", "", { reason: "the default export is not defineProject(...)" }), file });
        continue;
      }
      const value = project as Project;
      projects.push({ file, value, slug: value.slug ?? basename(file).replace(/\.[^.]+$/, "") });
    } else if (folder === "defaults") {
      for (const d of exported) if (isEntity(d, "defaults")) defaults.push({ file, value: d as Defaults });
    } else {
      for (const p of exported) if (isEntity(p, "platform")) platforms.push({ file, value: p as AnyPlatform });
    }
  }
  return { dir, platforms, defaults, projects, issues };
}

/** A path relative to the config directory, with forward slashes. */
export const relativeTo = (dir: string, path: string) => relative(dir, path).split("\\").join("/");
