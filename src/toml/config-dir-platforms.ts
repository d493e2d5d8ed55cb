import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { resolveOpmonToSelf } from "../config/opmon-entry.js";
import { isEntity, type AnyPlatform } from "../dsl/index.js";
import type { PlatformIndex } from "./generate-body.js";

/**
 * The platforms an existing config directory's `definitions/` modules export, for importing a single
 * project file into it: each by the export a project should import (of a base and the layer extending
 * it, the layer), with the names it declares. A module that does not load is left out.
 *
 * @example const platforms = await configDirPlatforms("./monitoring"); platforms.get("firefox_desktop")?.exportName;
 */
export async function configDirPlatforms(dir: string): Promise<PlatformIndex> {
  const folder = join(dir, "definitions");
  const index = new Map<string, { exportName: string; names: ReturnType<typeof namesOf>; module: string; size: number }>();
  if (!existsSync(folder)) return index;
  resolveOpmonToSelf();
  for (const file of readdirSync(folder).filter((f) => /\.(ts|mts|js|mjs)$/.test(f) && !f.endsWith(".d.ts")).sort()) {
    let module: Record<string, unknown>;
    try {
      module = (await import(pathToFileURL(join(folder, file)).href)) as Record<string, unknown>;
    } catch {
      continue;
    }
    for (const [exportName, value] of Object.entries(module)) {
      if (!isEntity(value, "platform")) continue;
      const platform = value as AnyPlatform;
      const size = Object.keys(platform.probes).length + Object.keys(platform.dataSources).length + Object.keys(platform.dimensions).length;
      // an extendPlatform layer holds everything its base does and more
      if ((index.get(platform.name)?.size ?? -1) > size) continue;
      index.set(platform.name, { exportName, names: namesOf(platform), module: file.replace(/\.[^.]+$/, ""), size });
    }
  }
  return index;
}

function namesOf(platform: AnyPlatform) {
  return {
    dataSources: new Set(Object.keys(platform.dataSources)),
    probes: new Map(Object.entries(platform.probes).map(([name, p]) => [name, { type: p.type, statistics: p.statistics !== undefined }])),
    dimensions: new Set(Object.keys(platform.dimensions)),
  };
}
