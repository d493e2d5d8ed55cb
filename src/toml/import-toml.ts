import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { format } from "prettier";
import type { Issue } from "../config/issue.js";
import { generateBody, type PlatformIndex } from "./generate-body.js";
import { generateDefinitions, generateFunctions, type GeneratedModule } from "./generate-definitions.js";
import { checkTomlValues } from "./check-toml-values.js";
import { ImportLog } from "./import-context.js";
import { loadTomlRepos, type TomlRepo } from "./toml-repo.js";
import { printComments, visible, withComments } from "./ts-code.js";
import type { TomlFile, TomlSyntaxError } from "./read-toml.js";
import { SLUG } from "../config/project-schema.js";

/** What an import produced, or why it did not. */
export interface ImportResult {
  readonly modules: readonly GeneratedModule[];
  /** Errors (nothing is written when there is one) and warnings, each with its file. */
  readonly issues: readonly Issue[];
  /** What was carried through `extra` or mapped from seed-era syntax. */
  readonly notices: readonly string[];
  /** With `keepGoing`: the files left out, each with why. */
  readonly skipped: readonly TomlSyntaxError[];
}

/** Options of {@link importToml}. */
export interface ImportOptions {
  /** Leave out files that do not parse (listed in `skipped`) instead of failing on the first. */
  readonly keepGoing?: boolean;
  /** Platforms already defined where the modules go (for a project file imported on its own). */
  readonly platforms?: PlatformIndex;
}

/**
 * Turns config repositories' TOML (metric-hub or opmon-config layout, or one project file; several are
 * layered in order) into DSL modules: `definitions/<platform>.ts`, `defaults/<stem>.ts`,
 * `projects/<slug>.ts`, formatted with prettier. Pure apart from reading the sources: the same input
 * gives the same modules.
 *
 * @example const { modules, issues } = await importToml(["../metric-hub", "../opmon-config"]);
 */
export async function importToml(sources: string | readonly string[], options: ImportOptions = {}): Promise<ImportResult> {
  const skipped: TomlSyntaxError[] = [];
  const repo = loadTomlRepos(typeof sources === "string" ? [sources] : sources, options.keepGoing ? { skip: (e) => skipped.push(e) } : {});
  return { ...(await generateModules(repo, options.platforms)), skipped };
}

/** Generates the modules of a loaded repository. */
export async function generateModules(repo: TomlRepo, existing?: PlatformIndex): Promise<ImportResult> {
  const log = new ImportLog();
  const formatted = await withComments(
    () => generateSources(repo, log, existing),
    (modules) => Promise.all(modules.map(async (m) => ({ path: m.path, source: printComments(await formatModule(m)) }))),
  );
  return { modules: formatted, issues: log.issues, notices: log.notices, skipped: [] };
}

/** A generated module failed to format: opmon wrote code that does not parse, which is opmon's bug. */
export class GeneratedCodeError extends Error {
  override readonly name = "GeneratedCodeError";
}

/** Formats one module; a failure names the module instead of surfacing as prettier's own error. */
async function formatModule(m: GeneratedModule): Promise<string> {
  try {
    return await format(m.source, { parser: "typescript", printWidth: 120 });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
    throw new GeneratedCodeError(
      `${m.path}: the module generated for it does not parse (${visible(reason)}); nothing was written. This is a bug in opmon import: please report it with the TOML that produced it`,
    );
  }
}

/** The unformatted modules, synchronously (their comment groups stay registered until printed). */
function generateSources(repo: TomlRepo, log: ImportLog, existing: PlatformIndex = new Map()): GeneratedModule[] {
  for (const layers of repo.definitions.values())
    for (const file of [layers.shared, layers.opmon]) if (file) checkTomlValues(file, undefined, log);
  for (const file of repo.defaults.values()) checkTomlValues(file, undefined, log);
  for (const [slug, file] of repo.projects) checkTomlValues(file, slug, log);
  checkModuleNames(repo, log);
  const modules: GeneratedModule[] = [];
  if (repo.functions) modules.push(generateFunctions(repo.functions, log));
  const platforms = new Map(existing);
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
  return modules;
}

/**
 * Definitions and defaults file names become module paths and import specifiers, so they are held to
 * the slug rule projects already follow (a quote, `#` or line break there would break the module).
 */
function checkModuleNames(repo: TomlRepo, log: ImportLog): void {
  const check = (name: string, file: TomlFile | undefined) => {
    if (file && !SLUG.test(name))
      log.error(file, "invalid_value", "", {
        reason: `file name ${visible(JSON.stringify(name))} may only hold letters, digits, "_" and "-" (it names a module)`,
      });
  };
  for (const [name, layers] of repo.definitions) check(name, layers.shared ?? layers.opmon);
  for (const [stem, file] of repo.defaults) check(stem, file);
}

/**
 * What a folder needs besides the modules so that they load as ES modules: a `package.json` saying
 * `"type": "module"`, unless `out` already lies in a package that says so (nothing when it has its own
 * package.json: that is the user's to edit).
 *
 * @example folderFiles("./monitoring") // [{ path: "package.json", source: "{ ... }" }]
 */
export function folderFiles(out: string): GeneratedModule[] {
  for (let dir = resolve(out); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      if (dir === resolve(out)) return [];
      const type = (() => {
        try {
          return (JSON.parse(readFileSync(manifest, "utf8")) as { type?: unknown }).type;
        } catch {
          return undefined;
        }
      })();
      if (type === "module") return [];
      break;
    }
    if (dirname(dir) === dir) break;
  }
  return [{ path: "package.json", source: `${JSON.stringify({ private: true, type: "module" }, null, 2)}\n` }];
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
