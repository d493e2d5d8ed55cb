import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { format } from "prettier";
import type { Issue } from "../config/issue.js";
import { generateBody, type PlatformIndex } from "./generate-body.js";
import { generateDefinitions, generateFunctions, type GeneratedModule } from "./generate-definitions.js";
import { checkTomlValues } from "./check-toml-values.js";
import { ImportLog } from "./import-context.js";
import { loadTomlRepo, type TomlRepo } from "./toml-repo.js";

/** What an import produced, or why it did not. */
export interface ImportResult {
  readonly modules: readonly GeneratedModule[];
  /** Errors (nothing is written when there is one) and warnings, each with its file. */
  readonly issues: readonly Issue[];
  /** What was carried through `extra` or mapped from seed-era syntax. */
  readonly notices: readonly string[];
}

/**
 * Turns a config repository's TOML (metric-hub or opmon-config layout, or one project file) into DSL
 * modules: `definitions/<platform>.ts`, `defaults/<stem>.ts`, `projects/<slug>.ts`, formatted with
 * prettier. Pure apart from reading `source`: the same input gives the same modules.
 *
 * @example const { modules, issues } = await importToml("../metric-hub");
 */
export async function importToml(source: string): Promise<ImportResult> {
  return generateModules(loadTomlRepo(source));
}

/** Generates the modules of a loaded repository. */
export async function generateModules(repo: TomlRepo): Promise<ImportResult> {
  const log = new ImportLog();
  for (const layers of repo.definitions.values())
    for (const file of [layers.shared, layers.opmon]) if (file) checkTomlValues(file, undefined, log);
  for (const file of repo.defaults.values()) checkTomlValues(file, undefined, log);
  for (const [slug, file] of repo.projects) checkTomlValues(file, slug, log);
  const modules: GeneratedModule[] = [];
  if (repo.functions) modules.push(generateFunctions(repo.functions, log));
  const platforms = new Map<string, { exportName: string; names: import("./import-context.js").PlatformNames }>();
  for (const [name, layers] of repo.definitions) {
    const generated = generateDefinitions(name, layers, repo, log);
    platforms.set(name, { exportName: generated.exportName, names: generated.names });
    modules.push(generated);
  }
  const index: PlatformIndex = platforms;
  for (const [stem, file] of repo.defaults) {
    const m = generateBody("defaults", stem, file, index, log);
    if (m) modules.push(m);
  }
  for (const [slug, file] of repo.projects) {
    const m = generateBody("project", slug, file, index, log);
    if (m) modules.push(m);
  }
  const formatted = await Promise.all(
    modules.map(async (m) => ({ path: m.path, source: await format(m.source, { parser: "typescript", printWidth: 120 }) })),
  );
  return { modules: formatted, issues: log.issues, notices: log.notices };
}

/**
 * Writes generated modules under `out` all at once: into a temporary directory beside it first, then
 * moved into place, so a failure never leaves a half-written config directory.
 *
 * @example writeModules("./imported", modules);
 */
export function writeModules(out: string, modules: readonly GeneratedModule[]): void {
  const target = resolve(out);
  mkdirSync(dirname(target), { recursive: true });
  const temp = mkdtempSync(join(dirname(target), `.${basename(target)}.import-`));
  try {
    for (const m of modules) {
      mkdirSync(dirname(join(temp, m.path)), { recursive: true });
      writeFileSync(join(temp, m.path), m.source);
    }
    if (!existsSync(target)) {
      renameSync(temp, target);
      return;
    }
    for (const m of modules) {
      mkdirSync(dirname(join(target, m.path)), { recursive: true });
      renameSync(join(temp, m.path), join(target, m.path));
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
