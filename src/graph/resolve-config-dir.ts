import { basename } from "node:path";
import { issue, type Issue } from "../config/issue.js";
import { configFiles, loadConfigDir, type ConfigDir } from "../config/load-config-dir.js";
import { typeCheck } from "../config/type-check.js";
import type { AnyPlatform, Project } from "../dsl/index.js";
import { entity } from "../dsl/entity.js";
import { checkBody } from "./check-body.js";
import type { ExperimentInfo, ProjectGraph } from "./project-graph.js";
import { resolveProject, tableSlug } from "./resolve.js";

/** One project of a config directory (or an automatic rollout project), resolved or not. */
export interface ResolvedProject {
  readonly slug: string;
  /** The module, or `(experimenter)` for rollouts monitored by default. */
  readonly file: string;
  readonly origin: "config" | "experimenter";
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
  /** Experimenter's entries; when given, rollouts without a project get default monitoring. */
  readonly experiments?: readonly ExperimentInfo[];
  /** Report projects Experimenter does not know, unless they monitor the entire population. */
  readonly requireExperiment?: boolean;
}

/** The file name given to projects created for Experimenter rollouts without a config. */
export const EXPERIMENTER_ORIGIN = "(experimenter)";

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
  const experiments = new Map((options.experiments ?? []).map((e) => [e.slug, e]));
  const seen = new Map<string, string>();
  // two slugs naming the same tables (gc-exp, gc_exp, GC_EXP) would overwrite each other's results
  const tables = new Map<string, { slug: string; file: string }>();
  const projects = config.projects.map(({ file, slug, value }): ResolvedProject => {
    const experiment = experiments.get(slug);
    const resolution = resolveProject({ project: value, slug, defaults, ...(experiment ? { experiment } : {}) });
    const own = resolution.issues.map((i) => ({ ...i, file }));
    const other = seen.get(slug);
    const sameTables = tables.get(tableKey(slug));
    if (other) own.push({ ...issue("duplicate_slug", "slug", { slug, other }), file });
    else if (sameTables) own.push({ ...issue("slug_tables_collide", "slug", { slug, other: sameTables.slug, file: sameTables.file }), file });
    tables.set(tableKey(slug), { slug, file });
    if (options.requireExperiment && !experiment && !resolution.graph?.population.branching.mode.startsWith("entire")) {
      own.push({ ...issue("not_in_experimenter", "slug", { slug }), file });
    }
    seen.set(slug, file);
    issues.push(...own);
    const valid = resolution.graph && !own.some((i) => i.severity === "error");
    return { slug, file, origin: "config", issues: own, ...(valid ? { graph: resolution.graph } : {}) };
  });
  // a project module that did not load (syntax error, a throw, type errors) is a project that failed, never a missing one
  const unloaded = new Set(config.projects.map((p) => p.file));
  for (const i of issues) {
    const file = i.file ?? "";
    if (i.severity !== "error" || !isProjectFile(file) || unloaded.has(file)) continue;
    unloaded.add(file);
    projects.push({ slug: fileSlug(file), file, origin: "config", issues: issues.filter((j) => j.file === file) });
  }
  for (const experiment of experiments.values()) {
    if (!experiment.isRollout || !experiment.startDate || seen.has(experiment.slug)) continue;
    const platform = config.platforms.find((p) => p.value.name === (experiment.appName ?? "firefox_desktop"))?.value;
    if (!platform) continue;
    const resolution = resolveProject({ project: rolloutProject(platform), slug: experiment.slug, defaults, experiment });
    const own = resolution.issues.map((i) => ({ ...i, file: EXPERIMENTER_ORIGIN }));
    issues.push(...own.filter((i) => i.severity === "error"));
    projects.push({
      slug: experiment.slug,
      file: EXPERIMENTER_ORIGIN,
      origin: "experimenter",
      issues: own,
      ...(resolution.graph ? { graph: resolution.graph } : {}),
    });
  }
  return { config, projects, issues };
}

/** The name a slug's tables get, compared the way DuckDB and BigQuery datasets compare names. */
const tableKey = (slug: string) => tableSlug(slug).toLowerCase();

const isProjectFile = (file: string) => /^projects[\\/]/.test(file);

/** The slug a project module gets from its file name: `projects/gc-rollout.ts` gives `gc-rollout`. */
const fileSlug = (file: string) => basename(file).replace(/\.[^.]+$/, "");

/**
 * The config's errors that belong to no project (a definitions or defaults module that fails to load or
 * type-check): every project may depend on them, so a run reports them as failures.
 *
 * @example sharedErrors(resolved).map((i) => i.file) // ["definitions/firefox_desktop.ts"]
 */
export const sharedErrors = (resolved: ResolvedConfigDir): readonly Issue[] =>
  resolved.issues.filter((i) => i.severity === "error" && i.file !== undefined && !isProjectFile(i.file) && i.file !== EXPERIMENTER_ORIGIN);

/** What upstream monitors for a rollout without a config: the platform defaults, nothing else. */
function rolloutProject(platform: AnyPlatform): Project {
  return entity("project", {
    kind: "project" as const,
    platform,
    isRollout: true,
    probes: [],
    statistics: {},
    population: { dimensions: [] },
    metricGroups: {},
    alerts: {},
  });
}
