import { issue, type Issue } from "../config/issue.js";
import { configFiles, loadConfigDir, type ConfigDir } from "../config/load-config-dir.js";
import { typeCheck } from "../config/type-check.js";
import { checkBody } from "./check-body.js";
import type { ExperimentInfo, ProjectGraph } from "./project-graph.js";
import { resolveProject } from "./resolve.js";

/** One project of a config directory, resolved or not. */
export interface ResolvedProject {
  readonly slug: string;
  readonly file: string;
  readonly graph?: ProjectGraph;
  readonly issues: readonly Issue[];
}

/** Every project of a config directory, and every issue found in it. */
export interface ResolvedConfigDir {
  readonly config: ConfigDir;
  readonly projects: readonly ResolvedProject[];
  /** All issues, type errors first, each with its file. */
  readonly issues: readonly Issue[];
}

/** Options of {@link resolveConfigDir}. */
export interface ResolveConfigDirOptions {
  /** Run the TypeScript compiler over the config modules first (what `opmon validate` does). */
  readonly typeCheck?: boolean;
  /** Experimenter's entries by slug. */
  readonly experiments?: ReadonlyMap<string, ExperimentInfo>;
}

/**
 * Loads a config directory and resolves every project in it. With `typeCheck`, modules with type
 * errors are reported by tsc and not loaded, so each problem is reported once.
 *
 * @example const { projects, issues } = await resolveConfigDir(".", { typeCheck: true });
 */
export async function resolveConfigDir(dir: string, options: ResolveConfigDirOptions = {}): Promise<ResolvedConfigDir> {
  const typeIssues = options.typeCheck ? typeCheck(dir, configFiles(dir)) : [];
  const config = await loadConfigDir(dir, { skip: new Set(typeIssues.map((i) => i.file ?? "")) });
  const issues: Issue[] = [...typeIssues, ...config.issues];
  for (const d of config.defaults) issues.push(...checkBody(d.value).map((i) => ({ ...i, file: d.file })));
  const defaults = config.defaults.map((d) => d.value);
  const seen = new Map<string, string>();
  const projects = config.projects.map(({ file, slug, value }): ResolvedProject => {
    const experiment = options.experiments?.get(slug);
    const resolution = resolveProject({ project: value, slug, defaults, ...(experiment ? { experiment } : {}) });
    const own = resolution.issues.map((i) => ({ ...i, file }));
    const other = seen.get(slug);
    if (other) own.push({ ...issue("duplicate_slug", "slug", { slug, other }), file });
    seen.set(slug, file);
    issues.push(...own);
    return { slug, file, issues: own, ...(resolution.graph && !other ? { graph: resolution.graph } : {}) };
  });
  return { config, projects, issues };
}
